"""The logs mask every secret the settings hold: API keys and the database password."""

from __future__ import annotations

from urllib.parse import quote

from interview_platform.bootstrap import logging_config
from interview_platform.config import AISettings, Settings
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore

PASSWORD = "pg/Secret@2024!"  # characters a URL must escape
COMPATIBLE_KEY = "vllm-token-4f9a2c"
DATABASE_URL = f"postgresql+psycopg://app:{quote(PASSWORD, safe='')}@db.internal:5432/interviews"


def test_the_database_password_and_every_key_are_masked_in_the_logs() -> None:
    settings = Settings(
        _env_file=None,
        database_url=DATABASE_URL,
        log_to_file=False,
        ai=AISettings(
            openai_compatible_base_url="http://127.0.0.1:8000/v1",
            openai_compatible_api_key=COMPATIBLE_KEY,
        ),
    )
    store = InMemoryDataStore()
    logger = LoggingManager(logging_config(settings, console=False), store)
    logger.log_error(
        "SQLDataStore",
        "connect",
        RuntimeError(f"cannot reach {settings.database_url} (password {PASSWORD})"),
        context={"upstream": f"{COMPATIBLE_KEY} refused"},
    )
    logger.close()

    [entry] = store.get_log_entries(min_level="ERROR")
    logged = f"{entry.message} {entry.metadata} {entry.stack_trace}"
    assert "postgresql+psycopg://app:***@db.internal:5432/interviews" in logged
    for secret in (PASSWORD, quote(PASSWORD, safe=""), COMPATIBLE_KEY):
        assert secret not in logged

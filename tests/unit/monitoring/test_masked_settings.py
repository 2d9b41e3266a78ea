"""The logs mask every secret the settings hold: API keys and the database password."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

import pytest

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


def test_values_under_secret_looking_names_are_masked_wherever_they_were_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plug-in's token read from the environment, `.env` or the YAML file is masked even
    when no plug-in declares it, and so is the password of any URL set there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACME_ACCESS_TOKEN", "env-token-8c1d2e3f4a5b")
    monkeypatch.setenv("CACHE_URL", "redis://cache:r3dis-Pa55word@cache.internal:6379/0")
    (tmp_path / ".env").write_text("HF_TOKEN=hf_dotenvToken123456\n", encoding="utf-8")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text(
        "plugins:\n  acme:\n    apiKey: yaml-key-77aa88bb99cc\n", encoding="utf-8"
    )
    settings = Settings(log_to_file=True, log_file_path=tmp_path / "app.log")
    logger = LoggingManager(logging_config(settings, console=False), InMemoryDataStore())
    logger.warning(
        "acme",
        "call",
        "refused env-token-8c1d2e3f4a5b, hf_dotenvToken123456, yaml-key-77aa88bb99cc "
        "and r3dis-Pa55word; max_tokens_per_session stays 50000",
    )
    logger.close()

    logged = (tmp_path / "app.log").read_text(encoding="utf-8")
    assert "refused ***, ***, *** and ***; max_tokens_per_session stays 50000" in logged


def test_records_from_plain_logging_loggers_are_masked_too(tmp_path: Path) -> None:
    """Modules that log through `logging.getLogger(__name__)` (retries, plug-in loading)
    write to the same file; their lines are masked like the structured ones."""
    settings = Settings(
        _env_file=None,
        log_to_file=True,
        log_file_path=tmp_path / "app.log",
        ai=AISettings(
            openai_compatible_base_url="http://127.0.0.1:8000/v1",
            openai_compatible_api_key=COMPATIBLE_KEY,
        ),
    )
    logger = LoggingManager(logging_config(settings, console=False), InMemoryDataStore())
    try:
        raise RuntimeError(f"the server said: bad key {COMPATIBLE_KEY}")
    except RuntimeError:
        logging.getLogger("interview_platform.providers.resilience").exception(
            "retrying after %s", f"Bearer {COMPATIBLE_KEY}"
        )
    logger.close()

    logged = (tmp_path / "app.log").read_text(encoding="utf-8")
    assert "retrying after Bearer ***" in logged and "bad key ***" in logged
    assert COMPATIBLE_KEY not in logged

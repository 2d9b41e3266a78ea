"""load_settings(): defaults, the YAML file, `.env`, the environment and their precedence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from interview_platform.config import ModelPrice, Settings, load_settings
from interview_platform.errors import ConfigurationError
from interview_platform.providers.registry import default_registry

NESTED_SECTIONS = ("AI__", "STORAGE__", "COMMUNICATION__", "DATABASE__", "MONITORING__")
REAL_KEY = "sk-test-abcdefghijklmnop1234"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory with no configuration variable set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONFIG_FILE", raising=False)
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    for name in list(os.environ):
        if name.upper().startswith(NESTED_SECTIONS):
            monkeypatch.delenv(name)
    return tmp_path


def write_yaml(directory: Path, text: str) -> Path:
    path = directory / "config" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_error(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> str:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    return str(caught.value)


def test_defaults(isolated: Path) -> None:
    settings = load_settings()

    assert settings.max_tokens_per_session == 50000
    assert settings.token_budget_warning_threshold == 0.8
    assert settings.ai.default_provider == "builtin"
    assert settings.ai.pricing == {}  # each provider plug-in lists its own prices
    assert settings.storage.max_session_size_mb == 500
    assert settings.storage.cleanup_old_sessions_days == 90
    assert settings.communication.audio_sample_rate == 16000
    assert settings.communication.audio_max_size_mb == 100
    assert (settings.database.pool_size, settings.database.max_overflow) == (10, 20)
    assert settings.log_file_path == Path("logs/app.log")
    assert settings.log_max_bytes == 10 * 1024 * 1024
    assert settings.log_backup_count == 5
    assert settings.log_level == "INFO"
    assert settings.database_url == ""
    assert default_registry().available(settings) == []
    expected_db = (isolated / "data" / "interview_platform.db").resolve()
    assert settings.effective_database_url == f"sqlite:///{expected_db}"


def test_effective_database_url_follows_data_dir(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_DIR", str(isolated / "elsewhere"))

    url = load_settings().effective_database_url

    assert url == f"sqlite:///{(isolated / 'elsewhere' / 'interview_platform.db').resolve()}"


def test_yaml_file_is_read(isolated: Path) -> None:
    write_yaml(
        isolated,
        "ai:\n  default_model: gpt-4o\n  pricing:\n    openai:\n"
        "      gpt-4o: {input: 0.5, output: 1.5}\n"
        "storage:\n  data_directory: ./stash\n  max_session_size_mb: 42\n"
        "database:\n  pool_size: 3\n"
        "logging:\n  level: debug\n  backup_count: 2\n",
    )

    settings = load_settings()

    assert settings.ai.default_model == "gpt-4o"
    assert settings.ai.pricing == {"openai": {"gpt-4o": ModelPrice(input=0.5, output=1.5)}}
    assert settings.storage.max_session_size_mb == 42
    assert settings.storage.cleanup_old_sessions_days == 90
    assert settings.data_dir == Path("stash")
    assert settings.database.pool_size == 3
    assert settings.database.max_overflow == 20
    assert settings.log_level == "DEBUG"
    assert settings.log_backup_count == 2


def test_config_file_variable_selects_another_yaml(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_yaml(isolated, "database:\n  pool_size: 3\n")
    other = isolated / "other.yaml"
    other.write_text("database:\n  pool_size: 7\n", encoding="utf-8")
    monkeypatch.setenv("CONFIG_FILE", str(other))

    assert load_settings().database.pool_size == 7


def test_environment_beats_dotenv_beats_yaml(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_yaml(
        isolated,
        "logging:\n  level: DEBUG\n  backup_count: 1\n  max_bytes: 1000\n"
        "storage:\n  data_directory: from-yaml\n",
    )
    (isolated / ".env").write_text(
        "LOG_LEVEL=WARNING\nLOG_BACKUP_COUNT=2\nDATA_DIR=from-dotenv\n", encoding="utf-8"
    )
    monkeypatch.setenv("LOG_LEVEL", "ERROR")

    settings = load_settings()

    assert settings.log_level == "ERROR"  # environment, over .env and YAML
    assert settings.log_backup_count == 2  # .env, over YAML
    assert settings.data_dir == Path("from-dotenv")
    assert settings.log_max_bytes == 1000  # only in YAML


def test_nested_environment_override_merges_with_yaml(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_yaml(isolated, "database:\n  pool_size: 3\n  max_overflow: 7\n")
    monkeypatch.setenv("DATABASE__POOL_SIZE", "5")

    settings = load_settings()

    assert settings.database.pool_size == 5
    assert settings.database.max_overflow == 7


def test_missing_config_file_is_named(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = isolated / "nope.yaml"

    message = config_error(monkeypatch, "CONFIG_FILE", str(missing))

    assert "CONFIG_FILE" in message
    assert str(missing) in message


@pytest.mark.parametrize("text", ["ai: [unclosed\n", "ai:\n  pricing: {a: 1\n", "- a list\n"])
def test_invalid_yaml_is_a_configuration_error(isolated: Path, text: str) -> None:
    write_yaml(isolated, text)

    with pytest.raises(ConfigurationError) as caught:
        load_settings()

    assert str(Path("config/config.yaml")) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_TOKENS_PER_SESSION", "abc"),
        ("MAX_TOKENS_PER_SESSION", "0"),
        ("TOKEN_BUDGET_WARNING_THRESHOLD", "1.5"),
        ("TOKEN_BUDGET_WARNING_THRESHOLD", "0"),
        ("LOG_LEVEL", "LOUD"),
        ("METRICS_PORT", "0"),
        ("METRICS_PORT", "70000"),
        ("DATABASE__POOL_SIZE", "0"),
    ],
)
def test_invalid_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    message = config_error(monkeypatch, name, value)

    assert f"- {name}" in message


def test_log_level_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "warning")

    assert load_settings().log_level == "WARNING"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OPENAI_API_KEY", "sk-your-openai-key-here"),
        ("ANTHROPIC_API_KEY", "sk-ant-your-anthropic-key-here"),
        ("OPENAI_API_KEY", "<your key>"),
    ],
)
def test_placeholder_key_is_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    message = config_error(monkeypatch, name, value)

    assert name in message
    assert "placeholder" in message
    assert ".env" in message
    assert value not in message


@pytest.mark.parametrize(
    ("name", "provider"), [("OPENAI_API_KEY", "openai"), ("ANTHROPIC_API_KEY", "anthropic")]
)
def test_real_key_is_accepted_and_hidden(
    monkeypatch: pytest.MonkeyPatch, name: str, provider: str
) -> None:
    monkeypatch.setenv(name, REAL_KEY)

    settings = load_settings()

    assert default_registry().available(settings) == [provider]
    key = getattr(settings, name.lower())
    assert key.get_secret_value() == REAL_KEY
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert REAL_KEY not in shown


def test_real_key_in_dotenv_is_hidden(isolated: Path) -> None:
    (isolated / ".env").write_text(f"OPENAI_API_KEY={REAL_KEY}\n", encoding="utf-8")

    settings = load_settings()

    assert default_registry().available(settings) == ["openai"]
    assert REAL_KEY not in repr(settings)
    assert REAL_KEY not in settings.model_dump_json()


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_key_means_not_configured(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", value)
    monkeypatch.setenv("ANTHROPIC_API_KEY", REAL_KEY)

    settings = load_settings()

    assert settings.openai_api_key is None
    assert default_registry().available(settings) == ["anthropic"]


@pytest.mark.parametrize(
    "url",
    ["postgresql://user:your_password@localhost/db", "postgresql://user:changeme@localhost/db"],
)
def test_a_database_url_with_a_placeholder_is_refused(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    message = config_error(monkeypatch, "DATABASE_URL", url)

    assert "DATABASE_URL still holds a template placeholder" in message


def test_the_database_url_is_kept_as_written_for_storage_to_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", " mysql://u:p@h:3306/db ")

    assert load_settings().effective_database_url == "mysql://u:p@h:3306/db"


def test_the_settings_need_no_database_driver() -> None:
    code = "import sys, interview_platform.config; print('sqlalchemy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


def test_overrides_are_validated_too() -> None:
    with pytest.raises(ConfigurationError, match="MAX_TOKENS_PER_SESSION"):
        load_settings(max_tokens_per_session=-1)

    assert load_settings(max_tokens_per_session=10).max_tokens_per_session == 10


def test_database_password_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:s3cret-pass@db:5432/interviews")
    settings = load_settings()
    assert "s3cret-pass" in settings.effective_database_url
    assert "s3cret-pass" not in repr(settings) and "s3cret-pass" not in str(settings)


def test_a_setting_is_read_by_its_environment_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", REAL_KEY)
    monkeypatch.setenv("AI__OLLAMA_BASE_URL", "http://127.0.0.1:11434/")
    monkeypatch.setenv("AI__MODELS__OPENAI", "gpt-4.1")

    settings = load_settings()

    assert settings.value_of("OPENAI_API_KEY") == REAL_KEY  # a secret, revealed
    assert settings.value_of("ai__ollama_base_url") == "http://127.0.0.1:11434"
    assert settings.value_of("AI__MODELS__OPENAI") == "gpt-4.1"
    assert settings.value_of("AI__MODELS__ANTHROPIC") is None
    assert settings.value_of("ANTHROPIC_API_KEY") is None
    assert settings.value_of("AI__NO_SUCH_SETTING") is None


def test_a_setting_no_field_reads_comes_from_the_environment_then_dotenv(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated / ".env").write_text("ACME_API_KEY=from-file\nACME_REGION= \n", encoding="utf-8")
    settings = load_settings()

    assert settings.value_of("ACME_API_KEY") == "from-file"
    assert settings.value_of("ACME_REGION") is None  # blank is unset
    assert settings.value_of("ACME_MISSING") is None
    monkeypatch.setenv("acme_api_key", "from-environment")
    assert settings.value_of("ACME_API_KEY") == "from-environment"

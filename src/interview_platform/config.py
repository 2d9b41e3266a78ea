"""One typed settings object, read from the environment, `.env` and `config/config.yaml`.

Precedence, highest first: environment variables, `.env`, the YAML file, defaults.
Flat environment names are the design's (`DATABASE_URL`, `LOG_LEVEL`, ...); the YAML file
uses the design's sections (`ai`, `storage`, `communication`, `database`, `logging`,
`monitoring`), and a nested value can also be set from the environment with `__`
(for example `DATABASE__POOL_SIZE=5`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote

import pydantic
import yaml
from dotenv import dotenv_values
from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from interview_platform.errors import ConfigurationError

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
DEFAULT_CONFIG_FILE = Path("config/config.yaml")
PLACEHOLDER_MARKERS = ("your_", "your-", "-here", "_here", "<", "changeme", "xxxx", "replace")
SECRET_WORDS = {"KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"}
STUN_PATTERN = re.compile(r"stun:(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})")

# YAML paths that set a flat, environment-named field.
YAML_TO_FIELD: dict[tuple[str, str], str] = {
    ("storage", "data_directory"): "data_dir",
    ("logging", "level"): "log_level",
    ("logging", "format"): "log_format",
    ("logging", "to_file"): "log_to_file",
    ("logging", "to_db"): "log_to_db",
    ("logging", "db_level"): "log_db_level",
    ("logging", "file_path"): "log_file_path",
    ("logging", "max_bytes"): "log_max_bytes",
    ("logging", "backup_count"): "log_backup_count",
}


class ModelPrice(BaseModel):
    """USD per 1,000 tokens. Each provider plug-in lists its models' prices; `ai.pricing`
    replaces a provider's list with the prices set here."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)


class AISettings(BaseModel):
    default_provider: str = "builtin"
    default_model: str = "rubric"
    timeout_seconds: float = Field(default=30, gt=0)
    max_retries: int = Field(default=3, ge=1, le=10)
    retry_delay_seconds: float = Field(default=1, ge=0)
    pricing: dict[str, dict[str, ModelPrice]] = Field(default_factory=dict)
    fallback_provider: str | None = None
    # The built-in provider plug-ins' URLs and local key (see Settings.openai_api_key).
    openai_base_url: str | None = None
    anthropic_base_url: str | None = None
    ollama_base_url: str | None = None
    openai_compatible_base_url: str | None = None
    openai_compatible_api_key: SecretStr | None = None
    models: dict[str, str] = Field(default_factory=dict)  # else each plug-in's default model
    circuit_breaker_failures: int = Field(default=3, ge=1)
    circuit_breaker_reset_seconds: float = Field(default=60, ge=0)

    @field_validator(
        "openai_base_url", "anthropic_base_url", "ollama_base_url", "openai_compatible_base_url"
    )
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = value.strip().rstrip("/")
        if any(marker in url.lower() for marker in PLACEHOLDER_MARKERS):
            raise ValueError("still holds a template placeholder; set a real URL or unset it")
        if not url.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL, e.g. http://127.0.0.1:11434")
        return url

    @field_validator("fallback_provider")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class StorageSettings(BaseModel):
    max_session_size_mb: int = Field(default=500, gt=0)
    cleanup_old_sessions_days: int = Field(default=90, gt=0)
    resume_max_size_mb: float = Field(default=5, gt=0, le=50)
    resume_max_pages: int = Field(default=20, gt=0, le=200)
    # A PDF resume is read in a child process, killed past these limits (a PDF bomb is refused):
    # its pages' content decompressed, the seconds it may take, the memory it may map.
    resume_pdf_max_content_mb: float = Field(default=8, gt=0, le=512)
    resume_pdf_max_seconds: float = Field(default=20, gt=0, le=600)
    resume_pdf_max_memory_mb: int = Field(default=1024, ge=128, le=65536)
    resume_pdf_max_parallel: int = Field(default=2, ge=1, le=64)  # more wait, then are refused


class CommunicationSettings(BaseModel):
    audio_sample_rate: int = Field(default=16000, gt=0)
    audio_max_size_mb: int = Field(default=100, gt=0)
    # The longest voice answer transcribed; a longer recording is refused from its header.
    audio_max_minutes: float = Field(default=15, gt=0, le=30)
    video_fps: int = Field(default=30, gt=0)
    video_max_size_mb: int = Field(default=500, gt=0)
    video_codec: str = "h264"
    whiteboard_resolution: tuple[int, int] = (1920, 1080)
    screen_capture_interval_seconds: float = Field(default=5, ge=1, le=60)
    screen_capture_max_width: int = Field(default=1280, ge=320, le=3840)
    video_max_minutes: int = Field(default=120, gt=0)
    # Speech to text: "auto" uses the offline model, or OpenAI if only OpenAI can run.
    transcription_backend: Literal["auto", "local", "openai"] = "auto"
    # WebRTC reaches no server unless one is named here: "stun:host:port".
    stun_server: str | None = None

    @field_validator("stun_server")
    @classmethod
    def _check_stun_server(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = value.strip()
        match = STUN_PATTERN.fullmatch(url)
        if match is None or not 1 <= int(match.group(1)) <= 65535:
            raise ValueError("must look like stun:host:port, e.g. stun:stun.example.org:3478")
        return url


class DatabaseSettings(BaseModel):
    pool_size: int = Field(default=10, ge=1)
    max_overflow: int = Field(default=20, ge=0)
    pool_timeout: float = Field(default=30, gt=0)
    pool_recycle: int = Field(default=3600, gt=0)
    echo: bool = False


class MonitoringSettings(BaseModel):
    health_check_interval_seconds: float = Field(default=30, gt=0)
    metrics_collection_enabled: bool = True
    alert_on_error_rate: float = Field(default=0.05, ge=0, le=1)
    alert_on_response_time_ms: float = Field(default=10000, gt=0)


class AuthSettings(BaseModel):
    """Who may use the app: `none` (one local user, no sign-in, `DEFAULT_USER_ID`) or
    `password` (accounts in the database, argon2 hashes; `AUTH__MODE=password`)."""

    mode: Literal["none", "password"] = "none"
    # Signs the sign-in cookie; unset, a random one is kept in DATA_DIR/auth_secret.
    secret: SecretStr | None = None
    session_hours: float = Field(default=12, gt=0, le=24 * 30)
    allow_registration: bool = False
    min_password_length: int = Field(default=10, ge=8, le=128)

    @field_validator("secret", mode="after")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        secret = value.get_secret_value()
        if any(marker in secret.lower() for marker in PLACEHOLDER_MARKERS) or len(secret) < 32:
            raise ValueError(
                "must be at least 32 random characters (e.g. `openssl rand -hex 32`), "
                "or unset to keep a generated one in the data directory"
            )
        return value


class YamlConfigSource(PydanticBaseSettingsSource):
    """Reads `config/config.yaml` (or `CONFIG_FILE`) and lifts flat keys to their fields."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = config_file_path()
        if not path.exists():
            return {}
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigurationError(f"{path} is not valid YAML: {exc}. Fix the file.") from exc
        if not isinstance(raw, dict):
            raise ConfigurationError(f"{path} must hold a mapping of sections, e.g. 'ai:'.")
        return _lift_flat_keys(raw)


def _lift_flat_keys(raw: dict[str, Any]) -> dict[str, Any]:
    values = {key: dict(val) if isinstance(val, dict) else val for key, val in raw.items()}
    for (section, key), field_name in YAML_TO_FIELD.items():
        block = values.get(section)
        if isinstance(block, dict) and key in block:
            values[field_name] = block.pop(key)
    if isinstance(values.get("logging"), dict):
        values.pop("logging")
    return values


def config_file_path() -> Path:
    explicit = os.environ.get("CONFIG_FILE")
    if explicit and not Path(explicit).exists():
        raise ConfigurationError(
            f"CONFIG_FILE points to {explicit}, which does not exist. "
            "Fix the path or unset CONFIG_FILE to use config/config.yaml."
        )
    return Path(explicit) if explicit else DEFAULT_CONFIG_FILE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    database_url: str = Field(default="", repr=False)  # may hold a password
    data_dir: Path = Path("data")
    default_user_id: str = "local"
    # The built-in provider plug-ins' keys and URLs (each plug-in declares its own, see
    # providers/), typed here so YAML and the placeholder checks cover them; any other
    # plug-in setting is read by `value_of` from the environment or `.env`.
    openai_api_key: SecretStr | None = None
    anthropic_api_key: SecretStr | None = None
    log_level: LogLevel = "INFO"
    log_format: Literal["json", "text"] = "json"
    log_to_file: bool = True
    log_to_db: bool = True
    log_db_level: LogLevel = "WARNING"
    log_file_path: Path = Path("logs/app.log")
    log_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    log_backup_count: int = Field(default=5, ge=0)
    enable_metrics: bool = False
    metrics_port: int = Field(default=9090, ge=1, le=65535)
    max_tokens_per_session: int = Field(default=50000, gt=0)
    token_budget_warning_threshold: float = Field(default=0.8, gt=0, le=1)
    # The worker pool for transcription, evaluation and whiteboard analysis: threads (about
    # one per core) and how many jobs may wait for them before new ones are refused.
    worker_pool_size: int = Field(default=2, ge=1, le=64)
    worker_queue_limit: int = Field(default=50, ge=1, le=10_000)
    # The names the app answers to (its Host header), besides localhost, 127.0.0.1, ::1 and
    # the --host it runs on: `ALLOWED_HOSTS=interview.example.org,*.corp.example`; `*`: any.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)

    ai: AISettings = Field(default_factory=AISettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    communication: CommunicationSettings = Field(default_factory=CommunicationSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    monitoring: MonitoringSettings = Field(default_factory=MonitoringSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, dotenv_settings, YamlConfigSource(settings_cls))

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        """A comma- or space-separated list from the environment, or a YAML list."""
        names = re.split(r"[,\s]+", value) if isinstance(value, str) else value
        if not isinstance(names, list):
            return names
        return [str(name).strip().lower() for name in names if str(name).strip()]

    @field_validator("log_level", "log_db_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("openai_api_key", "anthropic_api_key", mode="after")
    @classmethod
    def _refuse_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        secret = value.get_secret_value().lower()
        if any(marker in secret for marker in PLACEHOLDER_MARKERS):
            raise ValueError(
                "is still the template's placeholder; put your real key in .env, "
                "or delete the line to use the built-in interviewer"
            )
        return value

    @field_validator("database_url", mode="after")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        """Placeholders only: storage.database checks the URL itself, when it is used."""
        if any(marker in value.lower() for marker in PLACEHOLDER_MARKERS):
            raise ValueError("still holds a template placeholder; set a real URL or unset it")
        return value.strip()

    @property
    def effective_database_url(self) -> str:
        """`DATABASE_URL`, or a SQLite file in the data directory by default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'interview_platform.db').resolve()}"

    def value_of(self, variable: str) -> str | None:
        """A setting by the environment name users write (`OPENAI_API_KEY`,
        `AI__OLLAMA_BASE_URL`), secrets revealed; None when unset or blank. A name that is no
        field here (a provider plug-in's own setting) is read from the environment, then `.env`."""
        first, *rest = variable.lower().split("__")
        if first not in type(self).model_fields:
            return _outside_value(variable)
        found: object = getattr(self, first)
        for part in rest:
            if isinstance(found, BaseModel) and part in type(found).model_fields:
                found = getattr(found, part)
            elif isinstance(found, dict):
                found = found.get(part)
            else:
                return None
        if isinstance(found, SecretStr):
            found = found.get_secret_value()
        text = "" if found is None else str(found).strip()
        return text or None


def _outside_value(variable: str) -> str | None:
    """An environment variable (any case), else the `.env` file's line, that no field reads."""
    wanted = variable.upper()
    from_environment = {name.upper(): value for name, value in os.environ.items()}
    if wanted in from_environment:
        return from_environment[wanted].strip() or None
    env_file = Path(".env")
    from_file = dotenv_values(env_file, encoding="utf-8") if env_file.is_file() else {}
    value = {name.upper(): value for name, value in from_file.items()}.get(wanted)
    return value.strip() or None if value is not None else None


def secret_looking_values() -> tuple[str, ...]:
    """The values of every setting whose name has a secret-looking word (`KEY`, `TOKEN`,
    `SECRET`, `PASSWORD`...) in the environment, `.env` and the YAML file, whatever reads them, and
    the password of any URL set there; so a plug-in's key is masked even if undeclared."""
    env_file = Path(".env")
    named = [*os.environ.items()]
    if env_file.is_file():
        named += [(k, v or "") for k, v in dotenv_values(env_file, encoding="utf-8").items()]
    path = config_file_path()
    if path.is_file():
        named += _yaml_items(yaml.safe_load(path.read_text(encoding="utf-8")), "")
    found = {value for name, value in named if looks_secret(name)}
    found |= {_url_password(value) for _, value in named}
    return tuple(value for value in found if value and len(value.strip()) >= 8)


def looks_secret(name: str) -> bool:
    """`OPENAI_API_KEY`, `hf_token`, `AUTH__SECRET`: a word of the name says it is secret."""
    return not SECRET_WORDS.isdisjoint(re.split(r"[_\W]+", name.upper()))


def _yaml_items(node: object, prefix: str) -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [item for k, v in node.items() for item in _yaml_items(v, f"{prefix}__{k}")]
    return [(prefix, str(node))] if isinstance(node, str | int) else []


def _url_password(value: str) -> str:
    """The password in a `scheme://user:password@host` value; "" when there is none."""
    match = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]*:([^/@\s]+)@", value)
    return unquote(match.group(1)) if match else ""


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning validation failures into one actionable ConfigurationError."""
    try:
        return Settings(**overrides)
    except pydantic.ValidationError as exc:
        raise ConfigurationError(_describe(exc)) from None


def _describe(exc: pydantic.ValidationError) -> str:
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        name = "__".join(str(part) for part in error["loc"]).upper()
        message = error["msg"].removeprefix("Value error, ")
        problems.append(
            f"{name} {message}" if error["type"] == "value_error" else f"{name}: {message}"
        )
    return invalid_configuration(problems)


def invalid_configuration(problems: list[str]) -> str:
    """The message for settings that cannot be used, one line per problem (`NAME says why`)."""
    lines = ["The configuration is invalid:", *(f"- {problem}" for problem in problems)]
    lines.append("Set these in your environment, .env, or config/config.yaml, then try again.")
    return "\n".join(lines)

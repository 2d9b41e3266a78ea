"""LoggingManager: structured logs to the console (text), a rotating JSON file and `audit_logs`.

Every entry carries `component`, `operation` and, where there is one, `session_id`. Values
under secret-looking keys and the configured secrets themselves are masked before any
handler sees them.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import structlog
from structlog.stdlib import ProcessorFormatter
from structlog.typing import Processor

from interview_platform.core.models import LogEntry
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.redaction import MASK, Redactor
from interview_platform.errors import ValidationError

SECRET_KEY = re.compile(r"(api[_-]?key|password|passwd|secret|authorization|credential)", re.I)
SECRET_VALUE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|sk-ant-[A-Za-z0-9_\-]{8,})")
RESERVED = {"event", "level", "timestamp", "component", "operation", "session_id", "user_id"}


@dataclass(frozen=True)
class LoggingConfig:
    level: str = "INFO"
    console: bool = True
    to_file: bool = True
    file_path: Path = Path("logs/app.log")
    file_format: str = "json"
    max_bytes: int = 10 * 1024 * 1024
    backup_count: int = 5
    to_db: bool = True
    db_level: str = "WARNING"
    secrets: tuple[str, ...] = field(default=(), repr=False)


class SecretMasker:
    """A structlog processor that masks secrets wherever they appear in an event."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._redact = Redactor(secrets)

    def __call__(self, _logger: Any, _name: str, event: MutableMapping[str, Any]) -> Any:
        return {key: self._clean(key, value) for key, value in event.items()}

    def _clean(self, key: str, value: Any) -> Any:
        if SECRET_KEY.search(key) and value:
            return MASK
        if isinstance(value, dict):
            return {k: self._clean(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean(key, v) for v in value]
        if isinstance(value, str):
            return self.mask_text(value)
        return value

    def mask_text(self, text: str) -> str:
        return SECRET_VALUE.sub(MASK, self._redact(text))


class DatabaseLogHandler(logging.Handler):
    """Writes structured records to `audit_logs`; never lets a failure recurse into logging."""

    def __init__(self, data_store: DataStore, level: str) -> None:
        super().__init__(level)
        self._store = data_store
        self._busy = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._busy, "active", False) or not isinstance(record.msg, dict):
            return
        self._busy.active = True
        try:
            self._store_entry(_entry_from(record.msg, record))
        except Exception:
            self.handleError(record)
        finally:
            self._busy.active = False

    def _store_entry(self, entry: LogEntry) -> None:
        try:
            self._store.save_log_entry(entry)
        except ValidationError:  # NotFoundError, or a session id that is not a UUID
            meta = entry.metadata | {"unknown_session_id": entry.session_id}
            self._store.save_log_entry(
                LogEntry(
                    entry.timestamp,
                    entry.level,
                    entry.component,
                    entry.operation,
                    entry.message,
                    None,
                    meta,
                    entry.stack_trace,
                    entry.user_id,
                )
            )


def _entry_from(event: dict[str, Any], record: logging.LogRecord) -> LogEntry:
    metadata = {k: v for k, v in event.items() if k not in RESERVED and not k.startswith("_")}
    metadata.pop("exception", None)
    stack = event.get("exception")
    if stack is None and record.exc_info:
        stack = "".join(traceback.format_exception(*record.exc_info))
    return LogEntry(
        timestamp=datetime.now(UTC),
        level=record.levelname,
        component=str(event.get("component", "app")),
        operation=str(event.get("operation", "log")),
        message=str(event.get("event", "")),
        session_id=event.get("session_id"),
        metadata=_jsonable(metadata),
        stack_trace=stack,
        user_id=event.get("user_id"),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class LoggingManager:
    """The platform's logger; one per process, built by the composition root."""

    LOGGER_NAME = "interview_platform"

    def __init__(self, config: LoggingConfig, data_store: DataStore | None = None) -> None:
        self.config = config
        self.masker = SecretMasker(config.secrets)
        self._stdlib = logging.getLogger(self.LOGGER_NAME)
        self._stdlib.setLevel(config.level)
        self._stdlib.propagate = False
        self._replace_handlers(self._build_handlers(data_store))
        self._log = structlog.wrap_logger(
            self._stdlib,
            processors=[
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.processors.format_exc_info,
                self.masker,
                ProcessorFormatter.wrap_for_formatter,
            ],
            wrapper_class=structlog.stdlib.BoundLogger,
        )

    def _build_handlers(self, data_store: DataStore | None) -> list[logging.Handler]:
        handlers: list[logging.Handler] = []
        chain = [structlog.stdlib.add_log_level, ProcessorFormatter.remove_processors_meta]
        # Records from plain `logging` loggers under ours skip the structlog chain: mask them here.
        foreign: list[Processor] = [structlog.processors.format_exc_info, self.masker]
        if self.config.console:
            console = logging.StreamHandler(sys.stderr)
            console.setFormatter(
                ProcessorFormatter(
                    processors=[*chain, structlog.dev.ConsoleRenderer(colors=False)],
                    foreign_pre_chain=foreign,
                )
            )
            handlers.append(console)
        if self.config.to_file:
            self.config.file_path.parent.mkdir(parents=True, exist_ok=True)
            file_handler = RotatingFileHandler(
                self.config.file_path,
                maxBytes=self.config.max_bytes,
                backupCount=self.config.backup_count,
                encoding="utf-8",
            )
            renderer: Any = (
                structlog.processors.JSONRenderer()
                if self.config.file_format == "json"
                else structlog.dev.ConsoleRenderer(colors=False)
            )
            file_handler.setFormatter(
                ProcessorFormatter(processors=[*chain, renderer], foreign_pre_chain=foreign)
            )
            handlers.append(file_handler)
        if self.config.to_db and data_store is not None:
            handlers.append(DatabaseLogHandler(data_store, self.config.db_level))
        return handlers

    def _replace_handlers(self, handlers: list[logging.Handler]) -> None:
        for old in list(self._stdlib.handlers):
            self._stdlib.removeHandler(old)
            old.close()
        for handler in handlers:
            self._stdlib.addHandler(handler)

    def log_operation(
        self,
        level: str,
        component: str,
        operation: str,
        message: str,
        session_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        exc_info: BaseException | None = None,
    ) -> None:
        fields = {k: v for k, v in (metadata or {}).items() if k not in RESERVED}
        if session_id is not None:
            fields["session_id"] = session_id
        self._log.log(
            logging.getLevelName(level.upper()),
            message,
            component=component,
            operation=operation,
            exc_info=exc_info,
            **fields,
        )

    def info(self, component: str, operation: str, message: str, **fields: Any) -> None:
        session_id = fields.pop("session_id", None)
        self.log_operation("INFO", component, operation, message, session_id, fields)

    def warning(self, component: str, operation: str, message: str, **fields: Any) -> None:
        session_id = fields.pop("session_id", None)
        self.log_operation("WARNING", component, operation, message, session_id, fields)

    def log_error(
        self,
        component: str,
        operation: str,
        error: BaseException,
        session_id: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        metadata = {"error_type": type(error).__name__, **(context or {})}
        self.log_operation("ERROR", component, operation, str(error), session_id, metadata, error)

    def log_api_call(
        self,
        provider: str,
        endpoint: str,
        request_data: dict[str, Any],
        response_data: dict[str, Any],
        duration_ms: float,
        session_id: str | None = None,
    ) -> None:
        metadata = {
            "provider": provider,
            "endpoint": endpoint,
            "request": request_data,
            "response": response_data,
            "duration_ms": round(duration_ms, 1),
        }
        self.log_operation("INFO", "AIProvider", endpoint, "api_call", session_id, metadata)

    def close(self) -> None:
        self._replace_handlers([])

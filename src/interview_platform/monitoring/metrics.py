"""MetricsCollector: the platform's interview_* metrics on prometheus-client.

Each collector owns its own `CollectorRegistry`, so tests and several apps in one process never
clash. The domain does not import this module: bootstrap passes the collector's bound methods
as observer hooks (SessionManager events, TokenTracker.on_usage, SQLDataStore.on_query, ...).
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)

from interview_platform.core.models import TokenUsage

if TYPE_CHECKING:
    from interview_platform.monitoring.logging_manager import LoggingManager

RECENT_TURNS = 100
LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0)
DB_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

# The HTTP servers this process runs: port -> the registry it serves.
_servers: dict[int, CollectorRegistry] = {}
_servers_lock = threading.Lock()


class MetricsCollector:
    """Records the interview_* metrics; `summary()` feeds the app, `serve()` Prometheus."""

    def __init__(self, *, logger: LoggingManager | None = None, recent: int = RECENT_TURNS) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.logger = logger  # told when serving fails; bootstrap sets it once it exists
        self.serve_error: str | None = None
        self._lock = threading.Lock()
        # Per turn or failed reply, newest last: True for an error. Feeds the error-rate alert.
        self._outcomes: deque[bool] = deque(maxlen=recent)
        self._responses: deque[float] = deque(maxlen=recent)
        reg = self.registry
        self._sessions_created = Counter(
            "interview_sessions_created", "Interview sessions created.", registry=reg
        )
        self._sessions_completed = Counter(
            "interview_sessions_completed", "Interview sessions ended.", registry=reg
        )
        self._turns = Counter(
            "interview_turns", "Interviewer replies to an answer.", ["engine"], registry=reg
        )
        self._provider_latency = Histogram(
            "interview_provider_latency_seconds",
            "AI provider call time.",
            ["provider"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self._tokens = Counter(
            "interview_tokens",
            "Tokens used by AI calls.",
            ["operation", "provider"],
            registry=reg,
        )
        self._cost = Counter(
            "interview_cost_usd",
            "Estimated AI cost in US dollars.",
            ["operation", "provider"],
            registry=reg,
        )
        self._errors = Counter(
            "interview_errors", "Errors by component.", ["component"], registry=reg
        )
        self._transcription = Histogram(
            "interview_transcription_seconds",
            "Voice answer transcription time.",
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self._db_query = Histogram(
            "interview_db_query_seconds",
            "Database transaction time.",
            buckets=DB_BUCKETS,
            registry=reg,
        )
        self._response = Histogram(
            "interview_response_seconds",
            "The interviewer's reply time per turn.",
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )

    # Recording (the hooks bootstrap wires in)

    def session_created(self) -> None:
        self._sessions_created.inc()

    def session_completed(self) -> None:
        self._sessions_completed.inc()

    def turn(self, engine: str, seconds: float) -> None:
        """One interviewer reply to an answer, and how long it took."""
        self._turns.labels(engine=engine or "unknown").inc()
        self._response.observe(max(seconds, 0.0))
        with self._lock:
            self._outcomes.append(False)
            self._responses.append(seconds)

    def error(self, component: str) -> None:
        self._errors.labels(component=component).inc()
        with self._lock:
            self._outcomes.append(True)

    def provider_call(self, provider: str, seconds: float) -> None:
        self._provider_latency.labels(provider=provider).observe(max(seconds, 0.0))

    def record_usage(self, operation: str, usage: TokenUsage) -> None:
        """TokenTracker's `on_usage` hook: tokens and cost by operation and provider."""
        labels = {"operation": operation, "provider": usage.provider or "unknown"}
        self._tokens.labels(**labels).inc(usage.total_tokens)
        self._cost.labels(**labels).inc(max(usage.estimated_cost, 0.0))

    def transcription(self, seconds: float) -> None:
        self._transcription.observe(max(seconds, 0.0))

    def db_query(self, seconds: float) -> None:
        self._db_query.observe(max(seconds, 0.0))

    # Reading

    def error_rate(self) -> float:
        """Errors among the recent turns and failed replies (0 when nothing happened yet)."""
        with self._lock:
            outcomes = list(self._outcomes)
        return sum(outcomes) / len(outcomes) if outcomes else 0.0

    def recent_max_response(self) -> float:
        with self._lock:
            return max(self._responses, default=0.0)

    def errors_by_component(self) -> dict[str, float]:
        return {
            labels["component"]: value for labels, value in self._samples("interview_errors_total")
        }

    def summary(self) -> dict[str, float]:
        count = self._total("interview_response_seconds_count")
        total = self._total("interview_response_seconds_sum")
        return {
            "sessions_created": self._total("interview_sessions_created_total"),
            "sessions_completed": self._total("interview_sessions_completed_total"),
            "turns": self._total("interview_turns_total"),
            "tokens": self._total("interview_tokens_total"),
            "cost_usd": round(self._total("interview_cost_usd_total"), 6),
            "errors": self._total("interview_errors_total"),
            "error_rate": round(self.error_rate(), 4),
            "response_mean_seconds": round(total / count, 3) if count else 0.0,
            "response_p95_seconds": self._p95_response(),
        }

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)

    def _samples(self, name: str) -> list[tuple[dict[str, str], float]]:
        return [
            (sample.labels, sample.value)
            for metric in self.registry.collect()
            for sample in metric.samples
            if sample.name == name
        ]

    def _total(self, name: str) -> float:
        return float(sum(value for _labels, value in self._samples(name)))

    def _p95_response(self) -> float:
        """The upper bound of the bucket holding the 95th percentile (the recent max if +Inf)."""
        buckets = sorted(
            (float(labels["le"]), value)
            for labels, value in self._samples("interview_response_seconds_bucket")
        )
        total = buckets[-1][1] if buckets else 0.0
        if not total:
            return 0.0
        bound = next(le for le, cumulative in buckets if cumulative >= 0.95 * total)
        return self.recent_max_response() if math.isinf(bound) else bound

    # Serving

    def serve(self, port: int, addr: str = "127.0.0.1") -> bool:
        """Serve /metrics on `addr`:`port` (the app's own address: loopback unless the app
        listens wider), once per process. A port this process already serves with this
        collector is a no-op; a port in use is a warning, never a crash."""
        with _servers_lock:
            serving = _servers.get(port)
            if serving is self.registry:
                return True
            if serving is not None:
                return self._serve_failed(
                    port, "this process already serves another metrics collector there"
                )
            try:
                start_http_server(port, addr=addr, registry=self.registry)
            except OSError as exc:
                return self._serve_failed(port, exc.strerror or str(exc))
            _servers[port] = self.registry
            self.serve_error = None
            return True

    def _serve_failed(self, port: int, reason: str) -> bool:
        self.serve_error = (
            f"Metrics are not served on port {port} ({reason}); "
            "set METRICS_PORT to a free port, or ENABLE_METRICS=false."
        )
        fields: dict[str, Any] = {"port": port}
        if self.logger is not None:
            self.logger.warning("MetricsCollector", "serve", self.serve_error, **fields)
        else:
            logging.getLogger(__name__).warning(self.serve_error)
        return False

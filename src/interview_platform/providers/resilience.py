"""Retries for transient failures, and a circuit breaker that stops calling a failing provider.

Only TransientProviderError is retried (rate limit, 5xx, timeout, connection error); a call
that has already streamed text is not retried, so the listener never sees text twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from interview_platform.core.ports.chat import (
    ChatMessage,
    ChatProvider,
    ChatResult,
    Schema,
    TokenSink,
    TransientProviderError,
)
from interview_platform.errors import AIProviderError

Clock = Callable[[], float]
BreakerState = Literal["closed", "open", "half_open"]
Result = TypeVar("Result")
logger = logging.getLogger(__name__)


class ProviderUnavailableError(AIProviderError):
    """The circuit breaker is open: the provider failed repeatedly and is not called for now."""


class CircuitBreaker:
    """Opens after `failures` transient failures in a row; after `reset_seconds` it lets a
    trial call through (half-open): success closes it, failure opens it again."""

    def __init__(
        self, *, failures: int = 3, reset_seconds: float = 60, clock: Clock = time.monotonic
    ) -> None:
        self._threshold = failures
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        return "half_open" if self._remaining() <= 0 else "open"

    def check(self, provider: str) -> None:
        """Raise ProviderUnavailableError while the breaker is open."""
        if self.state == "open":
            raise ProviderUnavailableError(
                f"{provider} failed {self._failures} times in a row, so it is paused for "
                f"another {self._remaining():.0f} s. Check your network and the provider's "
                "status page, or switch to another provider (AI__FALLBACK_PROVIDER)."
            )

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self.state == "half_open" or self._failures >= self._threshold:
                self._opened_at = self._clock()

    def _remaining(self) -> float:
        opened_at = self._opened_at if self._opened_at is not None else self._clock()
        return opened_at + self._reset_seconds - self._clock()


class ResilientProvider:
    """A ChatProvider that retries transient failures with exponential backoff (1, 2, 4 s
    times `wait_multiplier`) behind a circuit breaker."""

    def __init__(
        self,
        inner: ChatProvider,
        *,
        breaker: CircuitBreaker | None = None,
        attempts: int = 3,
        wait_multiplier: float = 1.0,
    ) -> None:
        self.name = inner.name
        self.model = inner.model
        self.supports_vision = inner.supports_vision
        self.breaker = breaker or CircuitBreaker()
        self._inner = inner
        self._attempts = attempts
        self._wait_multiplier = wait_multiplier

    def validate(self) -> None:
        self._inner.validate()

    def complete(
        self, messages: Sequence[ChatMessage], *, on_token: TokenSink | None = None
    ) -> ChatResult:
        streamed = False

        def forward(token: str) -> None:
            nonlocal streamed
            streamed = True
            if on_token is not None:
                on_token(token)

        return self._call(
            lambda: self._inner.complete(messages, on_token=forward), lambda: not streamed
        )

    def structured(
        self, messages: Sequence[ChatMessage], schema: type[Schema]
    ) -> tuple[Schema, ChatResult]:
        return self._call(lambda: self._inner.structured(messages, schema), lambda: True)

    def _call(self, operation: Callable[[], Result], retryable: Callable[[], bool]) -> Result:
        retrying = Retrying(
            retry=retry_if_exception(
                lambda exc: isinstance(exc, TransientProviderError) and retryable()
            ),
            stop=stop_after_attempt(self._attempts),
            wait=wait_exponential(
                multiplier=self._wait_multiplier, min=0, max=4 * self._wait_multiplier
            ),
            before_sleep=self._log_retry,
            reraise=True,
        )
        result: Result = retrying(self._guarded, operation)
        return result

    def _guarded(self, operation: Callable[[], Result]) -> Result:
        self.breaker.check(self.name)
        try:
            result = operation()
        except TransientProviderError:
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        return result

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        logger.warning(
            "AI provider %s (%s) failed on attempt %d, retrying: %s",
            self.name,
            self.model,
            state.attempt_number,
            error,
        )

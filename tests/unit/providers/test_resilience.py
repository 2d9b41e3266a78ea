"""Retries and the circuit breaker, on an in-process provider that fails on cue."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from pydantic import BaseModel

from interview_platform.core.ports.chat import (
    ChatMessage,
    ChatResult,
    Schema,
    TokenSink,
    TransientProviderError,
)
from interview_platform.errors import AIProviderError
from interview_platform.providers.resilience import (
    CircuitBreaker,
    ProviderUnavailableError,
    ResilientProvider,
)

PROMPT = [ChatMessage("user", "hello")]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Flaky:
    """Fails with the queued errors, then answers; can stream part of a reply first."""

    name = "flaky"
    model = "m1"
    supports_vision = False

    def __init__(self, *failures: Exception, stream_before_failing: bool = False) -> None:
        self.failures = list(failures)
        self.calls = 0
        self.stream_before_failing = stream_before_failing

    def validate(self) -> None:
        """Nothing to check."""

    def complete(
        self, messages: Sequence[ChatMessage], *, on_token: TokenSink | None = None
    ) -> ChatResult:
        self.calls += 1
        if self.failures:
            if self.stream_before_failing and on_token is not None:
                on_token("partial ")
            raise self.failures.pop(0)
        if on_token is not None:
            on_token("done")
        return ChatResult("done", self.name, self.model, 3, 1)

    def structured(
        self, messages: Sequence[ChatMessage], schema: type[Schema]
    ) -> tuple[Schema, ChatResult]:
        result = self.complete(messages)
        return schema.model_validate({"text": result.text}), result


class Reply(BaseModel):
    text: str


def resilient(inner: Flaky, breaker: CircuitBreaker | None = None) -> ResilientProvider:
    return ResilientProvider(inner, breaker=breaker, attempts=3, wait_multiplier=0)


def test_transient_failures_are_retried_until_an_answer() -> None:
    inner = Flaky(TransientProviderError("503"), TransientProviderError("timeout"))

    assert resilient(inner).complete(PROMPT).text == "done"
    assert inner.calls == 3


def test_structured_calls_are_retried_too() -> None:
    inner = Flaky(TransientProviderError("429"))

    parsed, _ = resilient(inner).structured(PROMPT, Reply)

    assert parsed == Reply(text="done")
    assert inner.calls == 2


def test_other_errors_are_not_retried() -> None:
    inner = Flaky(AIProviderError("bad request"))

    with pytest.raises(AIProviderError, match="bad request"):
        resilient(inner).complete(PROMPT)
    assert inner.calls == 1


def test_a_reply_that_already_streamed_is_not_sent_twice() -> None:
    inner = Flaky(TransientProviderError("connection reset"), stream_before_failing=True)
    heard: list[str] = []

    with pytest.raises(TransientProviderError):
        resilient(inner).complete(PROMPT, on_token=heard.append)

    assert heard == ["partial "]
    assert inner.calls == 1


def test_the_breaker_opens_then_lets_one_trial_through_after_the_pause() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, reset_seconds=60, clock=clock)
    inner = Flaky(*[TransientProviderError("503")] * 4)
    provider = resilient(inner, breaker)

    with pytest.raises(TransientProviderError):
        provider.complete(PROMPT)
    assert breaker.state == "open"
    with pytest.raises(ProviderUnavailableError, match="paused for another 60 s"):
        provider.complete(PROMPT)
    assert inner.calls == 3

    clock.now += 61
    assert state_of(breaker) == "half_open"
    with pytest.raises(ProviderUnavailableError):
        provider.complete(PROMPT)
    assert state_of(breaker) == "open"
    assert inner.calls == 4

    clock.now += 61
    assert provider.complete(PROMPT).text == "done"
    assert state_of(breaker) == "closed"


def state_of(breaker: CircuitBreaker) -> str:
    return breaker.state

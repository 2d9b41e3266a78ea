"""stream_reply: a blocking call's tokens as they come, attempt by attempt, then its result
or its exception."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from interview_platform.core.ports.chat import STREAM_RESET
from interview_platform.errors import AIProviderError
from interview_platform.ui.streaming import TokenSink, stream_reply


def texts(attempts: Iterator[Iterator[str]]) -> list[list[str]]:
    return [list(attempt) for attempt in attempts]


def test_tokens_arrive_in_order_and_the_result_is_returned() -> None:
    def call(on_token: TokenSink) -> str:
        for piece in ("Tell ", "me ", "", "more."):
            on_token(piece)
        return "done"

    attempts, result = stream_reply(call)

    assert texts(attempts) == [["Tell ", "me ", "more."]]
    assert result() == "done"


def test_a_reset_ends_the_partial_attempt_and_the_fallbacks_text_starts_a_new_one() -> None:
    def call(on_token: TokenSink) -> str:
        for piece in ("Interesting ", "choice. Before"):
            on_token(piece)
        on_token(STREAM_RESET)  # the provider failed mid-reply; the fallback starts over
        for piece in ("Good. ", "How would you shard it?"):
            on_token(piece)
        return "stored"

    attempts, result = stream_reply(call)

    shown = texts(attempts)
    assert shown == [["Interesting ", "choice. Before"], ["Good. ", "How would you shard it?"]]
    assert "".join(shown[-1]) == "Good. How would you shard it?"
    assert result() == "stored"


def test_an_attempt_left_early_is_skipped_to_the_next() -> None:
    def call(on_token: TokenSink) -> None:
        on_token("one")
        on_token("two")
        on_token(STREAM_RESET)
        on_token("three")

    attempts = stream_reply(call)[0]

    first = next(attempts)
    assert next(first) == "one"
    assert list(next(attempts)) == ["three"]
    assert list(attempts) == []


def test_the_call_runs_in_a_worker_thread_while_tokens_are_read() -> None:
    released = threading.Event()
    threads: list[threading.Thread] = []

    def call(on_token: TokenSink) -> int:
        threads.append(threading.current_thread())
        on_token("first")
        released.wait(timeout=5)
        on_token("second")
        return 2

    attempts, result = stream_reply(call)
    tokens = next(attempts)

    assert next(tokens) == "first"  # read before the call has finished
    released.set()
    assert list(tokens) == ["second"]
    assert list(attempts) == []
    assert result() == 2
    assert threads[0] is not threading.current_thread()


def test_the_worker_exception_is_raised_in_the_caller_after_the_tokens_so_far() -> None:
    def call(on_token: TokenSink) -> str:
        on_token("partial")
        raise AIProviderError("The interviewer could not reply, but your answer is saved.")

    attempts, result = stream_reply(call)

    assert texts(attempts) == [["partial"]]
    with pytest.raises(AIProviderError, match="answer is saved"):
        result()


def test_the_result_can_be_collected_without_reading_the_tokens() -> None:
    def call(on_token: TokenSink) -> str:
        on_token("unread")
        return "quiet"

    attempts, result = stream_reply(call)

    assert result() == "quiet"
    assert texts(attempts) == [["unread"]]

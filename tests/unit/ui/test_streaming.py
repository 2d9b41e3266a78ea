"""stream_reply: a blocking call's tokens as they come, then its result or its exception."""

from __future__ import annotations

import threading

import pytest

from interview_platform.errors import AIProviderError
from interview_platform.ui.streaming import TokenSink, stream_reply


def test_tokens_arrive_in_order_and_the_result_is_returned() -> None:
    def call(on_token: TokenSink) -> str:
        for piece in ("Tell ", "me ", "", "more."):
            on_token(piece)
        return "done"

    tokens, result = stream_reply(call)

    assert list(tokens) == ["Tell ", "me ", "more."]
    assert result() == "done"


def test_the_call_runs_in_a_worker_thread_while_tokens_are_read() -> None:
    released = threading.Event()
    threads: list[threading.Thread] = []

    def call(on_token: TokenSink) -> int:
        threads.append(threading.current_thread())
        on_token("first")
        released.wait(timeout=5)
        on_token("second")
        return 2

    tokens, result = stream_reply(call)

    assert next(tokens) == "first"  # read before the call has finished
    released.set()
    assert list(tokens) == ["second"]
    assert result() == 2
    assert threads[0] is not threading.current_thread()


def test_the_worker_exception_is_raised_in_the_caller_after_the_tokens_so_far() -> None:
    def call(on_token: TokenSink) -> str:
        on_token("partial")
        raise AIProviderError("The interviewer could not reply, but your answer is saved.")

    tokens, result = stream_reply(call)

    assert list(tokens) == ["partial"]
    with pytest.raises(AIProviderError, match="answer is saved"):
        result()


def test_the_result_can_be_collected_without_reading_the_tokens() -> None:
    def call(on_token: TokenSink) -> str:
        on_token("unread")
        return "quiet"

    tokens, result = stream_reply(call)

    assert result() == "quiet"
    assert list(tokens) == ["unread"]

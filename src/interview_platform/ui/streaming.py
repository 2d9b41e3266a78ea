"""Run a blocking call that reports text through a callback, and stream that text as it comes.

`submit_answer(..., on_token=...)` blocks until the reply is complete; the page wants the tokens
as they arrive. A worker thread runs the call and feeds a queue; the
page thread drains it, then collects the call's result, or its exception, re-raised.

The text comes in attempts: when a provider fails mid-reply and the next one starts over, the
call reports STREAM_RESET, which ends one attempt and begins the next. `write_attempts` shows
them in one place, so the candidate sees only the last attempt, never two replies run
together. Only `write_attempts` touches Streamlit, and only in the page thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

import streamlit as st

from interview_platform.core.ports.chat import is_stream_reset
from interview_platform.ui.user_text import user_markdown

T = TypeVar("T")
TokenSink = Callable[[str], None]


class _Done:
    """Put on the queue once the call has returned or raised."""


class StreamedCall(Generic[T]):
    """A call running in a worker thread: iterate its attempts' tokens, then ask its result."""

    def __init__(self, call: Callable[[TokenSink], T]) -> None:
        self._call = call
        self._tokens: queue.Queue[str | _Done] = queue.Queue()
        self._result: list[T] = []  # the return value, once the call has returned
        self._error: BaseException | None = None
        self._ended = False  # the reader has taken _Done off the queue
        self._thread = threading.Thread(target=self._work, name="streamed-reply", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            self._result.append(self._call(self._tokens.put))
        except BaseException as exc:  # re-raised in the page thread by result()
            self._error = exc
        finally:
            self._tokens.put(_Done())

    def attempts(self) -> Iterator[Iterator[str]]:
        """The text as it arrives, one iterator per attempt at the reply, until the call ends;
        a reset ends an attempt (what it streamed is to be discarded) and begins the next."""
        while not self._ended:
            attempt = self._until_reset()
            yield attempt
            for _ in attempt:  # the reader left this attempt early: skip the rest of it
                pass

    def _until_reset(self) -> Iterator[str]:
        """The attempt's pieces (empty ones skipped), until a reset or the end of the call."""
        while not isinstance(token := self._tokens.get(), _Done):
            if is_stream_reset(token):
                return
            if token:
                yield token
        self._ended = True

    def result(self) -> T:
        """Wait for the call; its return value, or its exception raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result[0]


def stream_reply(
    call: Callable[[TokenSink], T],
) -> tuple[Iterator[Iterator[str]], Callable[[], T]]:
    """Start `call(on_token)` in a worker thread; its attempts' tokens, and its result."""
    streamed = StreamedCall(call)
    return streamed.attempts(), streamed.result


def write_attempts(attempts: Iterable[Iterator[str]]) -> None:
    """Stream each attempt into the same spot: a new attempt replaces what the last one showed.
    The text is drawn as a candidate's is (`user_markdown`): a reply that quotes an answer
    fetches no image the answer names."""
    spot = st.empty()
    for attempt in attempts:
        spot.empty()
        shown = ""
        for piece in attempt:
            shown += piece
            spot.markdown(user_markdown(shown))

"""Run a blocking call that reports text through a callback, and stream that text as it comes.

`submit_answer(..., on_token=...)` blocks until the reply is complete; the page wants the tokens
as they arrive (for `st.write_stream`). A worker thread runs the call and feeds a queue; the
page thread drains it, then collects the call's result, or its exception, re-raised.
Nothing here touches Streamlit, so the worker never calls it either.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
TokenSink = Callable[[str], None]


class _Done:
    """Put on the queue once the call has returned or raised."""


class StreamedCall(Generic[T]):
    """A call running in a worker thread: iterate for its tokens, then ask for its result."""

    def __init__(self, call: Callable[[TokenSink], T]) -> None:
        self._call = call
        self._tokens: queue.Queue[str | _Done] = queue.Queue()
        self._result: list[T] = []  # the return value, once the call has returned
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="streamed-reply", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            self._result.append(self._call(self._tokens.put))
        except BaseException as exc:  # re-raised in the page thread by result()
            self._error = exc
        finally:
            self._tokens.put(_Done())

    def tokens(self) -> Iterator[str]:
        """The text as it arrives, until the call ends (empty pieces skipped)."""
        while not isinstance(token := self._tokens.get(), _Done):
            if token:
                yield token

    def result(self) -> T:
        """Wait for the call; its return value, or its exception raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result[0]


def stream_reply(call: Callable[[TokenSink], T]) -> tuple[Iterator[str], Callable[[], T]]:
    """Start `call(on_token)` in a worker thread; the tokens it reports, and its result."""
    streamed = StreamedCall(call)
    return streamed.tokens(), streamed.result

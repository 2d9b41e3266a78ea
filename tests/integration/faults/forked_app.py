"""App processes forked from a warm fork server, for the kill test.

The fork server imports the app and takes one built-in turn in memory once (`warm_app`), so
each process forked from it starts in a fraction of a second instead of several; each is a
real OS process with its own services and database connections, killed with SIGKILL.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

WAIT_SECONDS = 120.0
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(
    ["tests.integration.faults.warm_app", "tests.integration.faults.interview_child"]
)


class ForkedApp:
    """A process running `body(connection, *arguments)`; the lines it sends are read here."""

    def __init__(self, body: Callable[..., None], *arguments: Any) -> None:
        self._lines, sender = _CONTEXT.Pipe(duplex=False)
        self._process = _CONTEXT.Process(target=body, args=(sender, *arguments), daemon=True)
        self._process.start()
        sender.close()  # the child holds the only sending end: its death ends the pipe
        self.seen: list[str] = []

    def wait_for(self, prefix: str, timeout: float = WAIT_SECONDS) -> str:
        """The next line starting with `prefix` (lines before it are kept in `seen`)."""
        while True:
            line = self._next(timeout)
            if line is None:
                raise AssertionError(f"the process ended (code {self._exit()}) before '{prefix}'")
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, no atexit; then every line it had sent."""
        self._process.kill()
        self._drain()

    def finish(self) -> int | None:
        """Wait for a process that ends by itself; its exit code."""
        self._drain()
        return self._exit()

    def _next(self, timeout: float) -> str | None:
        if not self._lines.poll(timeout):
            self._process.kill()
            raise AssertionError(f"no line within {timeout:.0f} s")
        try:
            line: str = self._lines.recv()
        except EOFError:
            return None
        return line

    def _drain(self) -> None:
        while (line := self._next(WAIT_SECONDS)) is not None:
            self.seen.append(line)
        self._exit()

    def _exit(self) -> int | None:
        self._process.join(WAIT_SECONDS)
        return self._process.exitcode

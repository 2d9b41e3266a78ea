"""A child process driven through its stdin, whose stdout lines are read by a thread, so a
test can wait for a line with a timeout."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from itertools import count
from pathlib import Path
from typing import TextIO

WAIT_SECONDS = 120.0
_NUMBERS = count(1)


class ChildProcess:
    def __init__(self, script: Path, arguments: Sequence[str], cwd: Path) -> None:
        self._stderr = cwd / f"child-{next(_NUMBERS)}.stderr"
        with self._stderr.open("w") as stderr:
            self._process = self._start(script, arguments, cwd, stderr)
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    @staticmethod
    def _start(
        script: Path, arguments: Sequence[str], cwd: Path, stderr: TextIO
    ) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(script), *arguments],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line.strip())
        self._lines.put(None)

    def send(self, line: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()

    def close_input(self) -> None:
        """End the child's stdin: a child reading commands from it ends."""
        assert self._process.stdin is not None
        self._process.stdin.close()

    def wait_for(self, prefix: str, timeout: float = WAIT_SECONDS) -> str:
        """The next line starting with `prefix` (lines before it are kept in `seen`)."""
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                self._kill()
                raise AssertionError(f"no '{prefix}' line within {timeout:.0f} s") from None
            if line is None:
                raise AssertionError(f"the child ended before '{prefix}': {self.errors()}")
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def _kill(self) -> None:
        if self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGKILL)
        self._process.wait(timeout=WAIT_SECONDS)

    def finish(self) -> int:
        """Wait for a child that ends by itself; its return code."""
        code = self._process.wait(timeout=WAIT_SECONDS)
        self._drain()
        return code

    def _drain(self) -> None:
        while (line := self._lines.get(timeout=WAIT_SECONDS)) is not None:
            self.seen.append(line)

    def errors(self) -> str:
        self._process.wait(timeout=WAIT_SECONDS)
        return self._stderr.read_text()[-2000:]

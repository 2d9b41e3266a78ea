"""The app in a real browser: `interview-platform run` (or any Streamlit command) on a free
loopback port, and Debian's Chromium driven by Playwright, for the end-to-end tests and the
benchmarks that measure the app in a browser (`bench ui`, `bench audio`, `bench load`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import interview_platform

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

APP_FILE = Path(interview_platform.__file__).parent / "ui" / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
SERVER_START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "interview-platform"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from interview_platform.cli import main; main()"]


@contextmanager
def running_app(workdir: Path, timeout_s: float = SERVER_START_TIMEOUT_S) -> Iterator[str]:
    """`interview-platform run` on a free loopback port, in `workdir`, with SQLite in
    `workdir/data` and no API keys; yields the app's URL once /_stcore/health answers."""
    port = free_port()
    command = [*_cli(), "run", "--port", str(port), "--host", "127.0.0.1"]
    with running_server(workdir, command, port, timeout_s=timeout_s) as url:
        yield url


@contextmanager
def running_server(
    workdir: Path,
    command: list[str],
    port: int,
    env: dict[str, str] | None = None,
    timeout_s: float = SERVER_START_TIMEOUT_S,
) -> Iterator[str]:
    """A Streamlit server started by `command` in `workdir` (its data in `workdir/data`, no
    API keys, plus `env`), stopped with its process group; yields its URL once healthy."""
    log_path = workdir / "server.log"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "DATA_DIR": str(workdir / "data"),
        **(env or {}),
    }
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command,
            cwd=workdir,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log_path, timeout_s)
        yield url
    finally:
        with suppress(ProcessLookupError):  # a test may have killed it already
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The app exited with {server.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling the health endpoint, not waiting for the page
    raise RuntimeError(f"The app did not answer on {url} within {timeout_s:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def launch_chromium(
    playwright: Playwright, executable: Path = CHROMIUM, extra_args: Sequence[str] = ()
) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(executable), args=[*CHROMIUM_ARGS, *extra_args]
    )


# True once the page's Streamlit run has ended (and while none has started).
SETTLED = """() => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute("data-test-script-state") === 'notRunning'"""
# The interviewer's messages: the content of every `st.chat_message("assistant")` bubble.
INTERVIEWER_MESSAGE = (
    '[data-testid="stChatMessageContent"][aria-label="Chat message from assistant"]'
)
INTERVIEWER_MESSAGES = f"() => Array.from(document.querySelectorAll('{INTERVIEWER_MESSAGE}'))"


def start_interview(page: Page, url: str, timeout_ms: float = 30_000) -> None:
    """Open the app and start a built-in interview without a resume."""
    from playwright.sync_api import expect

    page.goto(url)
    start = page.get_by_role("button", name="Start Interview")
    expect(start).to_be_visible(timeout=timeout_ms)
    start.click()
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=timeout_ms)
    page.wait_for_function(f"() => {INTERVIEWER_MESSAGES}().length > 0", timeout=timeout_ms)

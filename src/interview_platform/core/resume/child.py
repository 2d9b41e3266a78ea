"""Reads a PDF resume in a child process that is killed when it needs too much time or memory.

A PDF is a program for its reader: a few KB can ask for gigabytes or minutes. The parent sends
the file on stdin and gets the text back as JSON on stdout; the child caps its own address
space (RLIMIT_AS) before reading, and the parent kills it after `max_seconds`. So a bomb costs
the server one bounded process, never the app's memory or the users' interpreter.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys
import threading
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import Any

from interview_platform.core.resume.pdf_limits import TOO_DEMANDING
from interview_platform.core.resume.reading import (
    DAMAGED,
    ResumeLimits,
    ResumeText,
    is_pdf,
    read_resume,
)
from interview_platform.errors import FileTooDemandingError, ServerBusyError, ValidationError

BUSY = "Other resumes are being read right now: upload yours again in a minute, or paste the text."
_SOURCE_ROOT = str(Path(__file__).resolve().parents[3])  # the directory holding the package


def read_resume_in_child(
    data: bytes, limits: ResumeLimits, slots: threading.Semaphore | None = None
) -> ResumeText:
    """`read_resume`, with a PDF read in a child process bounded by `limits`; with `slots`,
    only as many children run at once as it holds, the others waiting up to `max_seconds`."""
    if not is_pdf(data) or len(data) > limits.max_bytes:
        return read_resume(data, limits)  # text is read in linear time; size is refused here
    if slots is None:
        return _run_child(data, limits)
    if not slots.acquire(timeout=limits.max_seconds):
        raise ServerBusyError(BUSY)
    try:
        return _run_child(data, limits)
    finally:
        slots.release()


def _run_child(data: bytes, limits: ResumeLimits) -> ResumeText:
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, json.dumps(asdict(limits))],
            input=data,
            capture_output=True,
            timeout=limits.max_seconds,
            env=_child_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed and reaped the child
        raise FileTooDemandingError(TOO_DEMANDING) from exc
    return _answer(done)


def _child_environment() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [_SOURCE_ROOT, os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def _answer(done: subprocess.CompletedProcess[bytes]) -> ResumeText:
    try:
        reply: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        reply = {}
    if "text" in reply:
        return ResumeText(text=reply["text"], kind=reply["kind"], pages=reply["pages"])
    if "refused" in reply:
        error = FileTooDemandingError if reply.get("demanding") else ValidationError
        raise error(reply["refused"])
    cause = ChildProcessError(done.returncode, done.stderr[-2000:].decode(errors="replace"))
    if done.returncode < 0 or b"MemoryError" in done.stderr:  # killed, or out of memory
        raise FileTooDemandingError(TOO_DEMANDING) from cause
    raise ValidationError(DAMAGED) from cause


def _main() -> None:
    limits = ResumeLimits(**json.loads(sys.argv[1]))
    data = sys.stdin.buffer.read()
    logging.disable(logging.CRITICAL)  # pypdf warns per broken object: stderr stays short
    warnings.simplefilter("ignore")
    resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory_bytes, limits.max_memory_bytes))
    reply: dict[str, Any]
    try:
        result = read_resume(data, limits)
        reply = {"text": result.text, "kind": result.kind, "pages": result.pages}
    except FileTooDemandingError as exc:
        reply = {"refused": str(exc), "demanding": True}
    except ValidationError as exc:
        reply = {"refused": str(exc)}
    sys.stdout.write(json.dumps(reply))


if __name__ == "__main__":
    _main()

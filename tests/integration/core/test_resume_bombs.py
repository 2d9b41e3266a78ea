"""PDF bombs uploaded through the real services: refused with a message the candidate can act
on, read in a child process that is killed past its limits, the app's memory left alone."""

from __future__ import annotations

import os
import resource
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings, StorageSettings
from interview_platform.core.resume.extraction import extract_resume
from interview_platform.core.resume.reading import read_resume
from interview_platform.errors import (
    FileTooDemandingError,
    InterviewPlatformError,
    ServerBusyError,
)
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.support.bombs import MB, pdf_bomb
from tests.support.resume_fixtures import RESUMES, ResumeFixture
from tests.support.resume_pdf import write_pdf

TOO_DEMANDING = "takes too long or too much memory to read"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def services(**storage: float) -> Services:
    settings = Settings(_env_file=None, storage=StorageSettings(**storage))
    return bootstrap(settings, data_store=InMemoryDataStore(), migrate=False, console_logs=False)


def resident_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE_SIZE


def children() -> set[str]:
    tasks = Path(f"/proc/{os.getpid()}/task").iterdir()
    return {pid for task in tasks for pid in (task / "children").read_text().split()}


@contextmanager
def watched_memory() -> Iterator[Callable[[], int]]:
    """Samples this process's resident memory from another thread (which keeps working while
    the upload runs); yields a function giving the largest growth seen."""
    start, peak, done = resident_bytes(), [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], resident_bytes() - start)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield lambda: peak[0]
    finally:
        done.set()
        sampler.join()


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_a_pdf_bomb_is_refused_in_a_child_and_the_app_stays_small() -> None:
    app = services()  # the default limits
    bomb = pdf_bomb(64 * MB)  # 64 KB on disk
    child_cpu = child_cpu_seconds()

    with watched_memory() as growth, pytest.raises(FileTooDemandingError, match=TOO_DEMANDING):
        app.resume_manager.upload_resume(bomb, "cand")

    assert growth() < 32 * MB
    assert child_cpu_seconds() > child_cpu  # the PDF was read by a child process
    assert app.resume_manager.get_resume("cand") is None


def test_a_pdf_that_outlasts_its_time_is_killed() -> None:
    app = services(resume_pdf_max_content_mb=256, resume_pdf_max_seconds=2)
    before = children()

    with watched_memory() as growth, pytest.raises(FileTooDemandingError, match=TOO_DEMANDING):
        app.resume_manager.upload_resume(pdf_bomb(64 * MB, pages=3), "cand")

    assert growth() < 32 * MB
    assert children() <= before  # killed and reaped


def test_a_pdf_that_needs_more_memory_than_allowed_is_refused() -> None:
    app = services(resume_pdf_max_content_mb=256, resume_pdf_max_memory_mb=256)

    with watched_memory() as growth, pytest.raises(FileTooDemandingError, match=TOO_DEMANDING):
        app.resume_manager.upload_resume(pdf_bomb(200 * MB), "cand")

    assert growth() < 32 * MB


def test_no_more_pdfs_are_read_at_once_than_allowed() -> None:
    app = services(
        resume_pdf_max_content_mb=256, resume_pdf_max_seconds=3, resume_pdf_max_parallel=1
    )
    bomb, before, refusals = pdf_bomb(64 * MB, pages=3), children(), []
    most, done = [0], threading.Event()

    def count() -> None:
        while not done.wait(0.01):
            most[0] = max(most[0], len(children() - before))

    def upload(user: str) -> None:
        try:
            app.resume_manager.upload_resume(bomb, user)
        except InterviewPlatformError as exc:
            refusals.append(exc)

    counter = threading.Thread(target=count)
    uploads = [threading.Thread(target=upload, args=(f"cand{n}",)) for n in range(3)]
    for thread in [counter, *uploads]:
        thread.start()
    for thread in uploads:
        thread.join()
    done.set()
    counter.join()

    assert most[0] == 1
    assert len(refusals) == 3
    assert all(isinstance(exc, FileTooDemandingError | ServerBusyError) for exc in refusals)


@pytest.mark.parametrize("fixture", RESUMES[:4], ids=lambda fixture: fixture.slug)
def test_a_real_resume_reads_in_the_child_as_in_the_app(fixture: ResumeFixture) -> None:
    app = services(resume_pdf_max_content_mb=1, resume_pdf_max_memory_mb=256)
    pdf = write_pdf(fixture)

    resume = app.resume_manager.upload_resume(pdf, "cand")

    assert resume == extract_resume(read_resume(pdf).text, "cand", date.today())
    assert app.resume_manager.get_resume("cand") == resume

"""Fifty sessions starting at once in a fresh process load the problem bank once: the first
caller loads it and the others wait for that load (single flight) instead of each parsing the
YAML again. Real threads, started together by a barrier, on services built by `bootstrap`
with a SQLite file; the loads are counted by wrapping the real loader."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.interviewer import problems
from interview_platform.core.interviewer.problems import ProblemBank, default_bank
from interview_platform.core.models import Session, SessionStatus
from tests.conftest import make_config

SESSIONS = 50
TIMEOUT = 120.0


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'cold.db'}",
        data_dir=tmp_path / "data",
        log_to_file=False,
    )
    app = bootstrap(settings, console_logs=False)
    yield app
    app.close()


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times the real bank loader ran, with the process's bank forgotten first."""
    counted: list[int] = []
    real = problems.load_bank

    def counting_load() -> ProblemBank:
        counted.append(threading.get_ident())
        return real()

    monkeypatch.setattr(problems, "load_bank", counting_load)
    default_bank.cache_clear()
    yield counted
    default_bank.cache_clear()


def test_fifty_concurrent_starts_load_the_bank_once(services: Services, loads: list[int]) -> None:
    ready = threading.Barrier(SESSIONS, timeout=TIMEOUT)
    manager = services.session_manager

    def start(index: int) -> Session:
        session = manager.create_session(make_config(), f"cold-{index}")
        ready.wait()
        return manager.start_session(session.id)

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        started = list(pool.map(start, range(SESSIONS), timeout=TIMEOUT))

    assert len(loads) == 1
    assert all(s.status is SessionStatus.ACTIVE and s.problem is not None for s in started)
    assert default_bank() is default_bank()  # later callers get the loaded bank
    assert len(loads) == 1


def test_a_cleared_bank_loads_afresh(loads: list[int]) -> None:
    first = default_bank()
    default_bank.cache_clear()
    assert default_bank() is not first
    assert len(loads) == 2

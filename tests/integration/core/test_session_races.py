"""Two tabs racing on one session: real threads, each with its own SQL store and connections,
started together by a barrier, on a SQLite file and on PostgreSQL. Exactly one transition
wins each race; the other gets InvalidTransitionError naming the state the session is in now.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from interview_platform.core.models import SessionStatus
from interview_platform.core.session_manager import SessionManager
from interview_platform.errors import InterviewPlatformError, InvalidTransitionError
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.sql_store import SQLDataStore
from interview_platform.storage.tables import metadata
from tests.conftest import make_config

ROUNDS = 12
TIMEOUT = 20.0

Action = Callable[..., object]  # (manager, session_id, *, expected_version) -> Session
START: Action = SessionManager.start_session
PAUSE: Action = SessionManager.pause_session
RESUME: Action = SessionManager.resume_session
END: Action = SessionManager.end_session

# what each winning action leaves behind
OUTCOME = {
    START: SessionStatus.ACTIVE,
    PAUSE: SessionStatus.PAUSED,
    RESUME: SessionStatus.ACTIVE,
    END: SessionStatus.COMPLETED,
}


@dataclass
class CountingEvents:
    """SessionEvents that counts completions: the UI evaluates once per completion."""

    completed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def session_created(self) -> None:
        """Not counted."""

    def session_completed(self) -> None:
        with self.lock:
            self.completed += 1

    def turn(self, engine: str, seconds: float) -> None:
        """Not counted."""

    def error(self, component: str) -> None:
        """Not counted."""


@dataclass
class Tab:
    """One browser tab: its own store (engine, connection pool) and its own SessionManager."""

    store: SQLDataStore
    manager: SessionManager
    events: CountingEvents


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.db'}"
        migrated = SQLDataStore(create_database_engine(url), retry_wait=0)
        migrated.initialize_schema()
        migrated.close()
        yield url
        return
    url = str(request.getfixturevalue("postgres_url"))
    yield url
    engine = create_database_engine(url)
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture
def tabs(database_url: str, logger: LoggingManager) -> Iterator[tuple[Tab, Tab]]:
    opened = []
    for _ in range(2):
        store = SQLDataStore(create_database_engine(database_url), retry_wait=0)
        events = CountingEvents()
        opened.append(Tab(store, SessionManager(store, logger, events=events), events))
    yield opened[0], opened[1]
    for tab in opened:
        tab.store.close()


def _race(
    tabs: tuple[Tab, Tab], session_id: str, actions: tuple[Action, Action], *, shown: bool
) -> list[object]:
    """Run both actions at once, one per tab; each result is the Session or the error raised.

    With `shown`, each tab first reads the session (its page) and acts on the version it
    shows, as the Interview page does; without, the manager reads it itself.
    """
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    results: list[object] = [None, None]

    def run(index: int) -> None:
        manager = tabs[index].manager
        version = manager.get_session(session_id).version if shown else None
        barrier.wait()
        try:
            results[index] = actions[index](manager, session_id, expected_version=version)
        except InterviewPlatformError as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return results


def _new_session(tab: Tab, status: SessionStatus) -> str:
    manager = tab.manager
    session = manager.create_session(make_config(), user_id="racer")
    if status is not SessionStatus.CREATED:
        manager.start_session(session.id)
    if status is SessionStatus.PAUSED:
        manager.pause_session(session.id)
    return session.id


ACTIVE, PAUSED, CREATED = SessionStatus.ACTIVE, SessionStatus.PAUSED, SessionStatus.CREATED


@pytest.mark.parametrize(
    ("first", "second", "status", "shown"),
    [
        (PAUSE, END, ACTIVE, True),
        (END, END, ACTIVE, True),
        (RESUME, END, PAUSED, True),
        (END, END, ACTIVE, False),
        (START, START, CREATED, False),
    ],
    ids=["pause-vs-end", "end-vs-end", "resume-vs-end", "end-vs-end-unversioned", "start-vs-start"],
)
def test_exactly_one_of_two_racing_transitions_wins(
    tabs: tuple[Tab, Tab], first: Action, second: Action, status: SessionStatus, shown: bool
) -> None:
    for _ in range(ROUNDS):
        session_id = _new_session(tabs[0], status)
        completed_before = tabs[0].events.completed + tabs[1].events.completed

        results = _race(tabs, session_id, (first, second), shown=shown)

        winners = [i for i, result in enumerate(results) if not isinstance(result, Exception)]
        assert len(winners) == 1, results
        loser = results[1 - winners[0]]
        assert isinstance(loser, InvalidTransitionError), loser
        final = tabs[1].manager.get_session(session_id)
        assert final.status is OUTCOME[(first, second)[winners[0]]]
        assert str(final.status.value) in str(loser)
        assert (final.ended_at is not None) == (final.status is SessionStatus.COMPLETED)
        completed = tabs[0].events.completed + tabs[1].events.completed - completed_before
        assert completed == (1 if final.status is SessionStatus.COMPLETED else 0)

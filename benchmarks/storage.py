"""`python -m benchmarks storage`: data-store latency on SQLite and PostgreSQL."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from interview_platform.core.models import (
    CommunicationMode,
    Message,
    Role,
    Session,
    SessionConfig,
    SessionStatus,
    TokenUsage,
    TokenUsageRecord,
    utc_now,
)
from interview_platform.errors import DataStoreError
from interview_platform.storage import serialization as ser
from interview_platform.storage import sql_rows
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.sql_store import SQLDataStore
from interview_platform.storage.tables import sessions, token_usage

TARGET_P95_MS = 10.0
USAGE_ROWS = 200  # AI calls already recorded in the session when its budget is checked
Echo = Callable[[str], None]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _config() -> SessionConfig:
    return SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")


def _seed_sessions(store: SQLDataStore, count: int) -> None:
    """Insert `count` completed sessions of the user "bench" in bulk; seeding is not measured."""
    now = utc_now()
    rows = []
    for index in range(count):
        session = Session(
            id=str(uuid.uuid4()),
            user_id="bench",
            created_at=now - timedelta(minutes=index),
            status=SessionStatus.COMPLETED,
            config=_config(),
            ended_at=now,
        )
        rows.append(
            {
                "id": session.id,
                "user_id": "bench",
                "created_at": session.created_at,
                "ended_at": now,
                "status": session.status.value,
                "enabled_modes": ["text"],
                "ai_provider": "builtin",
                "ai_model": "rubric",
                "metadata": ser.session_metadata(session),
            }
        )
    with store.engine.begin() as connection:
        connection.execute(sessions.insert(), rows)


def _seed_usage(store: SQLDataStore, session_id: str, count: int) -> None:
    """Record `count` AI calls in the session in bulk; seeding is not measured."""
    usage = TokenUsage(900, 100, 1000, 0.001, "openai", "gpt-4o-mini")
    record = TokenUsageRecord(session_id, "response_analysis", usage)
    with store.engine.begin() as connection:
        connection.execute(token_usage.insert(), [sql_rows.usage_row(record)] * count)


def _measure(
    store: SQLDataStore, backend: str, sessions_n: int, messages_n: int, echo: Echo
) -> None:
    session = Session(str(uuid.uuid4()), "bench", utc_now(), SessionStatus.ACTIVE, _config())
    store.save_session(session)
    counter = iter(range(messages_n))
    role = (Role.CANDIDATE, Role.INTERVIEWER)

    def save() -> None:
        n = next(counter)
        store.save_conversation(session.id, Message(role[n % 2], f"message {n} " + "x" * 300))

    results = {
        "save_conversation": _timed(save, messages_n),
        f"get_conversation_history ({messages_n} msgs)": _timed(
            lambda: store.get_conversation_history(session.id), 50
        ),
    }
    _seed_usage(store, session.id, USAGE_ROWS)
    results[f"token budget check (sum of {USAGE_ROWS} calls)"] = _timed(
        lambda: store.get_token_total(session.id), 50
    )
    _seed_sessions(store, sessions_n)
    results[f"list_sessions (page of 50, {sessions_n:,} sessions)"] = _timed(
        lambda: store.list_sessions(50, 0), 50
    )
    for name, samples in results.items():
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        verdict = "ok" if p95 <= TARGET_P95_MS else "OVER TARGET"
        echo(f"{backend:<11} {name:<48} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  {verdict}")


@contextmanager
def _sqlite_store() -> Iterator[SQLDataStore]:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLDataStore(create_database_engine(f"sqlite:///{Path(folder) / 'bench.db'}"))
        store.initialize_schema()
        try:
            yield store
        finally:
            store.close()


@contextmanager
def scratch_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server at `server_url`, dropped on exit; yields its URL."""
    name = f"interview_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise DataStoreError(
            f"Cannot create a scratch database on {make_url(server_url).render_as_string()}: "
            f"{str(exc).splitlines()[0]}. Pass --postgres-url or --skip-postgres."
        ) from exc
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@contextmanager
def _postgres_store(server_url: str) -> Iterator[SQLDataStore]:
    with scratch_postgres_database(server_url) as url:
        store = SQLDataStore(create_database_engine(url))
        try:
            store.initialize_schema()
            yield store
        finally:
            store.close()


def run_storage_benchmark(
    sessions_n: int, messages_n: int, postgres_url: str | None, echo: Echo
) -> None:
    echo(f"Storage benchmark (target p95 <= {TARGET_P95_MS:.0f} ms; the design asks < 100 ms)")
    with _sqlite_store() as store:
        _measure(store, "sqlite", sessions_n, messages_n, echo)
    if postgres_url:
        with _postgres_store(postgres_url) as store:
            _measure(store, "postgresql", sessions_n, messages_n, echo)

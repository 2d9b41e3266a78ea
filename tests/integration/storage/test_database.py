"""Engine, retries and migrations against real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from interview_platform.core.models import SessionStatus, TokenUsage, TokenUsageRecord, utc_now
from interview_platform.core.pricing import DatedPrice, PriceTable
from interview_platform.errors import DataStoreError
from interview_platform.monitoring.token_tracker import TokenTracker
from interview_platform.storage import sql_rows as rows
from interview_platform.storage.database import (
    alembic_config,
    create_database_engine,
    head_revision,
    migrate,
    with_connection_retry,
)
from interview_platform.storage.sql_store import SQLDataStore
from interview_platform.storage.tables import resumes, sessions
from tests.conftest import DEFAULT_PG, make_session

TABLES = {
    "resumes",
    "sessions",
    "conversations",
    "evaluations",
    "media_files",
    "token_usage",
    "audit_logs",
}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_retry_cures_transient_connection_errors() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        return "ok"

    assert with_connection_retry(flaky, wait_multiplier=0) == "ok"
    assert len(calls) == 3


def test_retry_gives_up_after_three_attempts_with_a_clear_error() -> None:
    calls: list[int] = []

    def down() -> None:
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    with pytest.raises(DataStoreError, match=r"after 3 attempts.*DATABASE_URL"):
        with_connection_retry(down, wait_multiplier=0)
    assert len(calls) == 3


def test_other_database_errors_are_not_retried() -> None:
    calls: list[int] = []

    def constraint() -> None:
        calls.append(1)
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    with pytest.raises(IntegrityError):
        with_connection_retry(constraint, wait_multiplier=0)
    assert len(calls) == 1


def test_unreachable_postgres_fails_fast_and_clearly() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nothing"
    store = SQLDataStore(create_database_engine(url), retry_wait=0)
    started = time.monotonic()
    with pytest.raises(DataStoreError, match="Cannot reach the database"):
        store.save_session(make_session())
    assert time.monotonic() - started < 30
    store.close()


def test_migrations_are_idempotent_on_sqlite(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'nested' / 'app.db'}")
    assert migrate(engine, wait_multiplier=0) == head_revision() == "0005"
    assert migrate(engine, wait_multiplier=0) == "0005"
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()


@pytest.mark.postgres
def test_migrations_are_idempotent_on_postgres(postgres_url: str) -> None:
    engine = create_database_engine(postgres_url)
    assert migrate(engine, wait_multiplier=0) == "0005"
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_a_failed_multi_step_write_leaves_nothing(sqlite_store: SQLDataStore) -> None:
    """save_session writes the user's profile row, then the session: both or neither."""
    session = make_session()
    with sqlite_store.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON sessions "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    with pytest.raises(DataStoreError, match="refused"):
        sqlite_store.save_session(session)
    with sqlite_store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM resumes")).scalar_one() == 0
        assert connection.execute(text("SELECT count(*) FROM sessions")).scalar_one() == 0


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """An empty database of its own, for tests that migrate step by step."""
    server = os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"interview_upgrade_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is unreachable: {exc}")
        pytest.skip(f"PostgreSQL is unreachable: {exc}")
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_upgrading_from_the_first_schema_keeps_the_rows(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    engine = create_database_engine(url)
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    store = SQLDataStore(engine, retry_wait=0)
    session = make_session(user_id="old")
    session_id = session.id
    stored_id = uuid.UUID(session_id).hex if backend == "sqlite" else session_id
    with engine.begin() as connection:  # the columns of 0001: no version yet
        connection.execute(resumes.insert().values(rows.profile_row("old")))
        connection.execute(sessions.insert().values(id=session_id, **rows.session_values(session)))
        connection.execute(
            text(
                "INSERT INTO token_usage (session_id, operation, provider, model, input_tokens, "
                "output_tokens, total_tokens, estimated_cost) "
                "VALUES (:sid, 'evaluation', 'builtin', 'rubric', 1, 2, 3, 0)"
            ),
            {"sid": stored_id},
        )

    assert migrate(engine, wait_multiplier=0) == head_revision()

    assert [r.usage.total_tokens for r in store.get_token_usage(session_id)] == [3]
    usage = TokenUsage(5, 5, 10, 0.0, "openai", "gpt-4o-mini")
    store.save_token_usage(TokenUsageRecord(None, "resume_parsing", usage, user_id="old"))
    assert len(store.get_user_token_usage("old")) == 1
    migrated = store.get_session(session_id)
    assert (migrated, migrated.version) == (session, 0)
    migrated.move_to(SessionStatus.ACTIVE, utc_now())
    assert store.compare_and_set_session(migrated)
    assert store.get_session(session_id).version == 1
    store.close()


def _migrate_to(engine: Engine, revision: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _usage_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        result = connection.execute(text("SELECT * FROM token_usage ORDER BY id"))
        return [dict(row._mapping) for row in result]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_0005_keeps_usage_raw_and_converts_existing_rows(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    engine = create_database_engine(url)
    _migrate_to(engine, "0004")
    session = make_session(user_id="old")
    stored_id = uuid.UUID(session.id).hex if backend == "sqlite" else session.id
    with engine.begin() as connection:  # a call recorded with its cost frozen at write time
        connection.execute(resumes.insert().values(rows.profile_row("old")))
        connection.execute(sessions.insert().values(id=session.id, **rows.session_values(session)))
        connection.execute(
            text(
                "INSERT INTO token_usage (session_id, operation, provider, model, input_tokens, "
                "output_tokens, total_tokens, estimated_cost) "
                "VALUES (:sid, 'evaluation', 'openai', 'gpt-4', 1000, 500, 1500, 0.054)"
            ),
            {"sid": stored_id},
        )

    assert migrate(engine, wait_multiplier=0) == "0005"

    [old] = _usage_rows(engine)
    assert (bool(old["estimated"]), old["duration_ms"], float(old["estimated_cost"])) == (
        False,
        None,
        0.054,
    )
    store = SQLDataStore(engine, retry_wait=0)
    [record] = store.get_token_usage(session.id)
    assert record.usage == TokenUsage(1000, 500, 1500, 0.0, "openai", "gpt-4", False, None)
    prices = PriceTable([DatedPrice("openai", "gpt-4", date(2024, 1, 1), 0.03, 0.06)])
    tracker = TokenTracker(store, prices, max_tokens_per_session=10**6, warning_threshold=0.8)
    assert tracker.get_total_cost(session.id) == 0.06  # priced now, not the frozen 0.054
    new = TokenUsage(10, 5, 15, 0.0, "openai", "gpt-4", estimated=True, duration_ms=1500)
    store.save_token_usage(TokenUsageRecord(session.id, "evaluation", new))
    assert [r.usage for r in store.get_token_usage(session.id)] == [record.usage, new]
    assert _usage_rows(engine)[1]["estimated_cost"] is None
    store.close()

    _migrate_to(engine, "0004", down=True)

    columns = {c["name"]: c for c in inspect(engine).get_columns("token_usage")}
    assert "estimated" not in columns and "duration_ms" not in columns
    assert columns["estimated_cost"]["nullable"] is False
    assert [float(r["estimated_cost"]) for r in _usage_rows(engine)] == [0.054, 0.0]
    _migrate_to(engine, "head")
    assert [bool(r["estimated"]) for r in _usage_rows(engine)] == [False, False]
    engine.dispose()

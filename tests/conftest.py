"""Shared fixtures: data stores on SQLite, PostgreSQL and in memory, and quiet loggers.

PostgreSQL tests use TEST_POSTGRES_URL (default: the local server, user postgres). They skip
when it is unreachable, unless REQUIRE_POSTGRES=1, when they fail instead (as in CI).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from interview_platform.core.models import (
    CommunicationMode,
    Session,
    SessionConfig,
    SessionStatus,
    utc_now,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.monitoring.logging_manager import LoggingConfig, LoggingManager
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.memory_store import InMemoryDataStore
from interview_platform.storage.sql_store import SQLDataStore
from interview_platform.storage.tables import metadata
from tests.integration.faults.tcp_proxy import TcpProxy, proxy_to

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_server_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A scratch database on the PostgreSQL server, migrated once, dropped at the end."""
    server = _postgres_server_url()
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"interview_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL at {make_url(server).render_as_string()} is unreachable: {exc}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    store = SQLDataStore(create_database_engine(url), retry_wait=0)
    store.initialize_schema()
    store.close()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[TcpProxy]:
    """A TCP proxy on loopback in front of the test PostgreSQL, for the outage tests to cut."""
    server = make_url(postgres_url)
    with proxy_to(server.host or "127.0.0.1", server.port or 5432) as running:
        yield running


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[SQLDataStore]:
    store = SQLDataStore(create_database_engine(postgres_url), retry_wait=0)
    yield store
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    with store.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))
    store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLDataStore]:
    store = SQLDataStore(create_database_engine(f"sqlite:///{tmp_path / 'test.db'}"), retry_wait=0)
    store.initialize_schema()
    yield store
    store.close()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> DataStore:
    """Every back end: the contract suite runs once per implementation."""
    if request.param == "memory":
        return InMemoryDataStore()
    fixture = "sqlite_store" if request.param == "sqlite" else "postgres_store"
    backend: DataStore = request.getfixturevalue(fixture)
    return backend


@pytest.fixture
def logger(tmp_path: Path) -> Iterator[LoggingManager]:
    manager = LoggingManager(
        LoggingConfig(console=False, file_path=tmp_path / "logs" / "app.log", to_db=False)
    )
    yield manager
    manager.close()


def make_config(**changes: object) -> SessionConfig:
    values: dict[str, object] = {
        "enabled_modes": [CommunicationMode.TEXT, CommunicationMode.WHITEBOARD],
        "ai_provider": "builtin",
        "ai_model": "rubric",
    }
    values.update(changes)
    return SessionConfig(**values)  # type: ignore[arg-type]


def make_session(user_id: str = "alice", **changes: object) -> Session:
    session = Session(
        id=str(uuid.uuid4()),
        user_id=user_id,
        created_at=utc_now(),
        status=SessionStatus.CREATED,
        config=make_config(),
    )
    for key, value in changes.items():
        setattr(session, key, value)
    return session

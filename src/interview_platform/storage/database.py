"""Engine creation, the retry policy for connection errors, and migrations at start-up."""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from interview_platform.config import DatabaseSettings, invalid_configuration
from interview_platform.errors import (
    ConfigurationError,
    StorageFullError,
    StorageUnavailableError,
)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SUPPORTED_DRIVERS = {"sqlite", "sqlite+pysqlite", "postgresql+psycopg"}
P = ParamSpec("P")
T = TypeVar("T")
DISK_FULL_SQLSTATE = "53100"  # PostgreSQL's disk_full: "could not extend file ..."
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
DISK_FULL_TEXTS = ("database or disk is full", "no space left on device", "disk quota exceeded")
UNREADABLE_SQLITE = {sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT}  # primary result codes
logger = logging.getLogger(__name__)


def database_url(url: str) -> str:
    """`url` (DATABASE_URL) checked, with the psycopg 3 driver chosen for PostgreSQL. Not a URL,
    or another driver: a ConfigurationError that reads like any invalid setting's."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise _bad_database_url(
            "is not a database URL; use e.g. sqlite:///data/app.db or "
            "postgresql+psycopg://user:password@localhost:5432/interview_platform"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise _bad_database_url(
            f"uses the unsupported driver '{parsed.drivername}'; "
            "use sqlite:/// or postgresql+psycopg://"
        )
    return parsed.render_as_string(hide_password=False)


def _bad_database_url(problem: str) -> ConfigurationError:
    return ConfigurationError(invalid_configuration([f"DATABASE_URL {problem}"]))


def create_database_engine(url: str, settings: DatabaseSettings | None = None) -> Engine:
    """An engine with a pre-pinging pool; SQLite gets foreign keys, WAL and a busy timeout.
    A bad `url` raises ConfigurationError before anything is built (see `database_url`)."""
    settings = settings or DatabaseSettings()
    url = database_url(url)
    parsed = make_url(url)
    common: dict[str, Any] = {"pool_pre_ping": True, "echo": settings.echo}
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, common)
    return create_engine(
        url,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_timeout=settings.pool_timeout,
        pool_recycle=settings.pool_recycle,
        connect_args={"connect_timeout": 5},
        **common,
    )


def _sqlite_engine(url: str, database: str | None, common: dict[str, Any]) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **common)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def is_disk_full(exc: BaseException) -> bool:
    """True when the disk under the database (or a file) is full: SQLite's SQLITE_FULL,
    PostgreSQL's disk_full (53100), or ENOSPC / EDQUOT / EFBIG from the operating system."""
    cause = getattr(exc, "orig", None) or exc
    if getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return True
    if getattr(cause, "sqlstate", None) == DISK_FULL_SQLSTATE:
        return True
    if isinstance(cause, OSError) and cause.errno in DISK_FULL_ERRNOS:
        return True
    return any(text in str(cause).lower() for text in DISK_FULL_TEXTS)


def is_unreadable(exc: BaseException) -> bool:
    """True when the SQLite file is not (or no longer) a database that can be read."""
    code = getattr(getattr(exc, "orig", None) or exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in UNREADABLE_SQLITE


def unreadable_error(exc: BaseException, url: URL) -> StorageUnavailableError:
    return StorageUnavailableError(
        f"The database file {Path(url.database or '').resolve()} cannot be read "
        f"({_short(exc)}). Check the file and its disk, or restore the latest backup "
        "(scripts/restore.sh); nothing was saved meanwhile."
    )


def disk_full_error(exc: BaseException, url: URL) -> StorageFullError:
    """The error for a database whose disk is full, naming where to free space."""
    return StorageFullError(
        f"The disk holding the database is full ({_short(exc)}): free space on "
        f"{database_disk(url)} and try again. Nothing was saved."
    )


def database_disk(url: URL) -> str:
    """Where the database's files are: a SQLite file's folder, or the PostgreSQL server."""
    if url.get_backend_name() == "sqlite":
        return str(Path(url.database or ".").resolve().parent)
    return f"the PostgreSQL server at {url.host or 'localhost'}:{url.port or 5432}"


def is_connection_error(exc: BaseException) -> bool:
    """True for errors a retry can cure: a lost or refused connection, a locked database;
    never a full disk, which waiting does not free."""
    if is_disk_full(exc):
        return False
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def with_connection_retry(
    func: Callable[[], T], *, attempts: int = 3, wait_multiplier: float = 1.0
) -> T:
    """Run `func`, retrying connection errors only (3 attempts, waiting 1 s then 2 s, max 4 s)."""
    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=wait_multiplier, min=wait_multiplier, max=4),
        retry=retry_if_exception(is_connection_error),
        before_sleep=_log_retry,
        reraise=False,
    )
    try:
        return retrying(func)
    except RetryError as exc:
        cause = exc.last_attempt.exception()
        raise StorageUnavailableError(
            f"Cannot reach the database after {attempts} attempts ({_short(cause)}). "
            "Check DATABASE_URL and that the database server is running; "
            "`interview-platform doctor` checks the connection."
        ) from cause


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    logger.warning("Database attempt %d failed (%s); retrying", state.attempt_number, _short(error))


def _short(exc: BaseException | None) -> str:
    text = str(getattr(exc, "orig", None) or exc or "unknown error")
    return text.strip().splitlines()[0][:200] if text.strip() else type(exc).__name__


def _script_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def alembic_config(engine: Engine) -> Config:
    config = _script_config()
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def migrate(engine: Engine, *, wait_multiplier: float = 1.0) -> str:
    """Apply every pending migration; returns the revision the database is now at."""

    def upgrade() -> str:
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            return current_revision_on(connection) or ""

    try:
        return with_connection_retry(upgrade, wait_multiplier=wait_multiplier)
    except SQLAlchemyError as exc:
        if is_disk_full(exc):
            raise disk_full_error(exc, engine.url) from exc
        raise


def current_revision_on(connection: Any) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(_script_config()).get_current_head() or ""

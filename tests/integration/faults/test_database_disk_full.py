"""The disk under the database full, for real: a SQLite file on a 1 MB tmpfs filled up, and a
PostgreSQL table moved to a tablespace on a 1 MB tmpfs filled up (the server's own
"could not extend file: No space left on device", SQLSTATE 53100).

The answer is refused whole with StorageFullError, whose message names the disk to free and
not DATABASE_URL; the write is tried once (a retry cannot free space); once there is room,
the same services save the answer.

Mounting needs root with CAP_SYS_ADMIN (as in CI); elsewhere these tests skip, saying why.
"""

from __future__ import annotations

import random
import shutil
import string
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from interview_platform.bootstrap import Services
from interview_platform.errors import AnswerNotSavedError, StorageFullError
from tests.integration.faults.test_data_directory_faults import (
    FILLER,
    fill,
    run,
    services_on,
    small_disk,  # noqa: F401  (a fixture)
    started,
)
from tests.integration.faults.test_database_outage import delete_sessions


def conversation_inserts(engine: Engine) -> list[str]:
    """Every INSERT INTO conversations the engine sends: one per attempt at saving a message."""
    sent: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CONVERSATIONS"):
            sent.append(statement)

    return sent


def incompressible(size: int) -> str:
    """Text that neither SQLite nor PostgreSQL (TOAST) can squeeze into less room."""
    letters = random.Random(size).choices(string.ascii_letters + string.digits, k=size)
    return " ".join("".join(letters[i : i + 12]) for i in range(0, size, 12))


def refused_for_a_full_disk(app: Services, session_id: str, sent: list[str]) -> str:
    """Send a long answer to the full disk; the message of the error, checked to be one."""
    sent.clear()
    with pytest.raises(AnswerNotSavedError) as refused:
        app.session_manager.submit_answer(session_id, incompressible(15_000))
    assert isinstance(refused.value.__cause__, StorageFullError), repr(refused.value.__cause__)
    assert len(sent) == 1, f"the write was tried {len(sent)} times; a full disk is not retried"
    message = str(refused.value)
    assert "full" in message and "free space on" in message, message
    assert "DATABASE_URL" not in message and "Cannot reach" not in message, message
    return message


def answer_saved_again(app: Services, session_id: str) -> None:
    before = len(app.session_manager.get_conversation(session_id))
    answer, reply = app.session_manager.submit_answer(session_id, "A CDN serves the images.")
    history = app.session_manager.get_conversation(session_id)
    assert history[before].content == answer.content and reply is not None


def test_a_full_disk_under_sqlite_is_named_and_not_retried(small_disk: Path) -> None:  # noqa: F811
    app = services_on(f"sqlite:///{small_disk / 'interview_platform.db'}", small_disk)
    try:
        sent = conversation_inserts(app.data_store.engine)  # type: ignore[attr-defined]
        session_id = started(app)
        before = app.session_manager.get_conversation(session_id)
        fill(small_disk)

        message = refused_for_a_full_disk(app, session_id, sent)
        assert f"free space on {small_disk}" in message
        (small_disk / FILLER).unlink()

        assert app.session_manager.get_conversation(session_id) == before
        answer_saved_again(app, session_id)
    finally:
        app.close()


@pytest.fixture
def small_tablespace(postgres_url: str) -> Iterator[tuple[str, Path]]:
    """A PostgreSQL tablespace on a 1 MB tmpfs (the server runs on this machine, as in CI)."""
    folder = Path(tempfile.mkdtemp(prefix="pg-small-disk-"))
    folder.chmod(0o755)
    mounted = run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(folder))
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"Cannot mount a small tmpfs ({mounted.stderr.strip()}); needs root.")
    name = f"small_disk_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    try:
        shutil.chown(folder, "postgres", "postgres")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE TABLESPACE {name} LOCATION '{folder}'"))
    except Exception as exc:  # no postgres user here, or the server is on another machine
        admin.dispose()
        run("umount", "--lazy", str(folder))
        folder.rmdir()
        pytest.skip(f"Cannot make a tablespace on a small tmpfs: {exc}")
    yield name, folder
    with admin.connect() as connection:
        connection.execute(text("ALTER TABLE conversations SET TABLESPACE pg_default"))
        connection.execute(text(f"DROP TABLESPACE {name}"))
    admin.dispose()
    run("umount", "--lazy", str(folder))
    folder.rmdir()


@pytest.mark.postgres
def test_a_full_disk_under_postgresql_is_named_and_not_retried(
    postgres_url: str, small_tablespace: tuple[str, Path], tmp_path: Path
) -> None:
    tablespace, folder = small_tablespace
    app = services_on(postgres_url, tmp_path / "data")
    try:
        sent = conversation_inserts(app.data_store.engine)  # type: ignore[attr-defined]
        session_id = started(app)
        before = app.session_manager.get_conversation(session_id)
        with app.data_store.engine.begin() as connection:  # type: ignore[attr-defined]
            connection.execute(text(f"ALTER TABLE conversations SET TABLESPACE {tablespace}"))
        fill(folder)

        message = refused_for_a_full_disk(app, session_id, sent)
        server = make_url(postgres_url)
        assert f"free space on the PostgreSQL server at {server.host}:{server.port}" in message
        (folder / FILLER).unlink()

        assert app.session_manager.get_conversation(session_id) == before
        answer_saved_again(app, session_id)
    finally:
        delete_sessions(app)
        app.close()

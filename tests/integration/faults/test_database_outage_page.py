"""The Interview page while PostgreSQL is really gone (every read and write, through the TCP
proxy cut), under AppTest: the candidate sees a clear message, the typed answer is kept to
send again, and once the database is back the same app process saves it and replies. The
same holds for a SQLite file that cannot be read (its header overwritten in place).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.models import Role
from interview_platform.ui.context import services
from tests.integration.faults.tcp_proxy import TcpProxy
from tests.integration.faults.test_database_outage import delete_sessions
from tests.integration.ui.conftest import APP
from tests.integration.ui.test_interview_page import click, start_interview

pytestmark = pytest.mark.postgres
ANSWER = "Reads dominate, so a cache in front of the store takes most of the traffic."
RUN_TIMEOUT = 180  # each database call retries for 3 s before it gives up


@pytest.fixture
def app_services(
    postgres_url: str, proxy: TcpProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    """The app's services on PostgreSQL through the proxy."""
    proxied = make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)
    monkeypatch.chdir(tmp_path)
    environment = {
        "DATABASE_URL": proxied.render_as_string(hide_password=False),
        "DATA_DIR": str(tmp_path / "data"),
        "LOG_TO_FILE": "false",
        "DEFAULT_USER_ID": f"page-outage-{uuid.uuid4().hex[:8]}",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    services.clear()
    yield services()
    delete_sessions(services())
    services().close()
    services.clear()


def test_the_answer_typed_during_an_outage_is_kept_and_sent_once_the_database_is_back(
    app_services: Services, proxy: TcpProxy
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT)
    session_id = start_interview(at)

    proxy.cut()
    at.chat_input[0].set_value(ANSWER).run()
    proxy.restore()
    assert len(app_services.session_manager.get_conversation(session_id)) == 1

    at.run()
    assert at.text_area(key="interview_unsent_answer").value == ANSWER
    click(at, "Send again")
    assert not at.exception and not at.error
    conversation = app_services.session_manager.get_conversation(session_id)
    assert [m.role for m in conversation] == [Role.INTERVIEWER, Role.CANDIDATE, Role.INTERVIEWER]
    assert conversation[1].content == ANSWER
    assert not [area for area in at.text_area if area.key == "interview_unsent_answer"]


def test_during_the_outage_the_page_says_so_and_shows_the_kept_answer(
    app_services: Services, proxy: TcpProxy
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT)
    start_interview(at)

    proxy.cut()
    try:
        at.chat_input[0].set_value(ANSWER).run()
        assert not at.exception, "\n".join(
            line for e in at.exception for line in e.proto.stack_trace if "interview_pl" in line
        )
        assert any("not saved; send it again" in error.value for error in at.error)
        assert at.text_area(key="interview_unsent_answer").value == ANSWER
    finally:
        proxy.restore()


def test_a_sqlite_file_that_cannot_be_read_keeps_the_session_and_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite file's header overwritten in place (a damaged disk, or a file replaced by
    something that is not a database): the page says the database cannot be read, keeps
    `?session=` and what is typed; with the header back, the interview goes on."""
    database = tmp_path / "data" / "interview_platform.db"
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": f"sqlite:///{database}",
        "DATA_DIR": str(tmp_path / "data"),
        "LOG_TO_FILE": "false",
    }.items():
        monkeypatch.setenv(name, value)
    services.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT)
        session_id = start_interview(at)
        with closing(sqlite3.connect(database)) as other:  # page 1 back in the file itself
            other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        services().data_store.engine.dispose()  # type: ignore[attr-defined]  # as on recycling
        header = database.read_bytes()[:100]
        with database.open("r+b") as handle:
            handle.write(b"this is not a SQLite database, whatever it was".ljust(100, b"\0"))

        at.chat_input[0].set_value(ANSWER).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.query_params.get("session") == session_id
        assert any("cannot be read" in error.value for error in at.error), [
            e.value for e in at.error
        ]
        assert at.text_area(key="interview_unsent_answer").value == ANSWER

        with database.open("r+b") as handle:
            handle.write(header)
        click(at, "Try again")
        click(at, "Send again")
        assert not at.exception and not at.error
        conversation = services().session_manager.get_conversation(session_id)
        assert [m.content for m in conversation[1:]] == [ANSWER, conversation[2].content]
    finally:
        services().close()
        services.clear()

"""PostgreSQL gone mid-interview and back, with the same app services (no restart).

The app reaches PostgreSQL through a real TCP proxy on loopback; cutting it resets every open
connection and refuses new ones, as a stopped server does. While it is down, submit_answer
raises a clear error that says whether the answer was saved; nothing is half-written; once
the database is back, the same services work again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.models import CommunicationMode, Role, SessionConfig
from interview_platform.errors import AnswerNotSavedError, StorageUnavailableError
from tests.integration.faults.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres
CONFIG = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")


@pytest.fixture
def app(postgres_url: str, proxy: TcpProxy, tmp_path: Path) -> Iterator[Services]:
    proxied = make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)
    settings = Settings(
        _env_file=None,
        database_url=proxied.render_as_string(hide_password=False),
        data_dir=tmp_path,
        log_to_file=False,
        default_user_id=f"outage-{uuid.uuid4().hex[:8]}",  # apart from other tests' sessions
    )
    services = bootstrap(settings, migrate=False, console_logs=False)
    yield services
    delete_sessions(services)
    services.close()


def delete_sessions(app: Services) -> None:
    """Leave the shared test database as it was."""
    for summary in app.session_manager.list_sessions(user_id=app.settings.default_user_id):
        app.session_manager.delete_session(summary.id)


def started(app: Services) -> str:
    session = app.session_manager.create_session(CONFIG)
    app.session_manager.start_session(session.id)
    app.session_manager.submit_answer(session.id, "I would start with the read path.")
    return session.id


def contents(app: Services, session_id: str) -> list[str]:
    return [m.content for m in app.session_manager.get_conversation(session_id)]


def test_an_answer_sent_while_the_database_is_down_is_refused_whole_and_sent_again_after(
    app: Services, proxy: TcpProxy
) -> None:
    session_id = started(app)
    before = contents(app, session_id)

    proxy.cut()
    with pytest.raises(AnswerNotSavedError) as refused:
        app.session_manager.submit_answer(session_id, "Then a cache in front of the store.")
    message = str(refused.value)
    assert "was not saved" in message and "send it again" in message.lower()
    proxy.restore()

    assert contents(app, session_id) == before, "nothing of the refused answer was written"
    _, reply = app.session_manager.submit_answer(session_id, "Then a cache in front of the store.")
    assert reply is not None and reply.content
    assert contents(app, session_id)[len(before) :] == [
        "Then a cache in front of the store.",
        reply.content,
    ]


def test_the_database_lost_between_the_answer_and_the_reply_keeps_the_answer_once(
    app: Services, proxy: TcpProxy
) -> None:
    session_id = started(app)
    before = contents(app, session_id)

    def cut_before_the_reply_is_saved(_token: str) -> None:
        proxy.cut()  # the built-in interviewer sends its reply whole, just before it is saved

    with pytest.raises(StorageUnavailableError) as lost:
        app.session_manager.submit_answer(
            session_id, "Writes go through a queue.", on_token=cut_before_the_reply_is_saved
        )
    assert not isinstance(lost.value, AnswerNotSavedError)
    assert "answer is saved" in str(lost.value)
    proxy.restore()

    history = app.session_manager.get_conversation(session_id)
    assert [m.content for m in history] == [*before, "Writes go through a queue."]
    _, reply = app.session_manager.submit_answer(session_id, "And the workers are idempotent.")
    assert reply is not None
    assert [m.role for m in app.session_manager.get_conversation(session_id)[-3:]] == [
        Role.CANDIDATE,
        Role.CANDIDATE,
        Role.INTERVIEWER,
    ]


def test_the_same_services_recover_every_operation_when_the_database_is_back(
    app: Services, proxy: TcpProxy
) -> None:
    session_id = started(app)
    proxy.cut()
    with pytest.raises(StorageUnavailableError):
        app.session_manager.pause_session(session_id)
    with pytest.raises(StorageUnavailableError):
        app.data_store.ping()
    proxy.restore()

    app.data_store.ping()
    assert app.session_manager.pause_session(session_id).status.value == "paused"
    assert app.session_manager.resume_session(session_id).status.value == "active"
    assert app.session_manager.get_active_session() is not None


def test_the_database_lost_before_the_history_is_read_says_the_answer_is_saved(
    app: Services, proxy: TcpProxy
) -> None:
    """Cut just as the interviewer is about to read the conversation, after the answer's
    transaction committed: the message must say the answer is saved, so it is not sent
    twice."""
    session_id = started(app)
    before = contents(app, session_id)
    engine = app.data_store.engine  # type: ignore[attr-defined]
    saved: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def cut_before_the_history(_c: Any, _cur: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CONVERSATIONS"):
            saved.append(statement)
        elif saved and "ORDER BY conversations.timestamp" in statement:
            proxy.cut()

    try:
        with pytest.raises(StorageUnavailableError) as lost:
            app.session_manager.submit_answer(session_id, "Shard the links by their hash.")
    finally:
        event.remove(engine, "before_cursor_execute", cut_before_the_history)
        proxy.restore()
    assert not isinstance(lost.value, AnswerNotSavedError)
    assert "answer is saved" in str(lost.value), str(lost.value)
    assert contents(app, session_id) == [*before, "Shard the links by their hash."]

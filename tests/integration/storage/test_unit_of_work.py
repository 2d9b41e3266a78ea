"""The unit of work on every data store: its writes land together at the commit, or none do."""

from __future__ import annotations

import pytest

from interview_platform.core.models import Message, Role, SessionStatus, utc_now
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import NotFoundError
from tests.conftest import make_session


class CrashError(Exception):
    """Stands for anything that stops an operation between two of its writes."""


def hello() -> Message:
    return Message(Role.INTERVIEWER, "Hello! Let's design a URL shortener.", utc_now())


def test_writes_of_a_committed_unit_are_all_kept(store: DataStore) -> None:
    session = make_session()
    with store.transaction() as unit:
        unit.store.save_session(session)
        unit.store.save_conversation(session.id, hello())
        unit.commit()

    assert store.get_session(session.id).id == session.id
    assert [m.content for m in store.get_conversation_history(session.id)] == [hello().content]


def test_a_unit_stopped_between_writes_keeps_none_of_them(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    stored = store.get_session(session.id)

    with pytest.raises(CrashError), store.transaction() as unit:
        stored.move_to(SessionStatus.ACTIVE, utc_now())
        assert unit.store.compare_and_set_session(stored)
        unit.store.save_conversation(session.id, hello())
        raise CrashError

    after = store.get_session(session.id)
    assert after.status is SessionStatus.CREATED
    assert after.version == 0
    assert store.get_conversation_history(session.id) == []


def test_a_unit_left_without_commit_is_rolled_back(store: DataStore) -> None:
    session = make_session()
    with store.transaction() as unit:
        unit.store.save_session(session)

    with pytest.raises(NotFoundError):
        store.get_session(session.id)


def test_after_commit_actions_run_only_after_a_commit(store: DataStore) -> None:
    ran: list[str] = []
    with store.transaction() as unit:
        unit.after_commit(lambda: ran.append("committed"))
        assert ran == []
        unit.commit()
    with pytest.raises(CrashError), store.transaction() as unit:
        unit.after_commit(lambda: ran.append("rolled back"))
        raise CrashError

    assert ran == ["committed"]


def test_a_unit_opened_inside_another_joins_it(store: DataStore) -> None:
    session = make_session()
    ran: list[str] = []
    with pytest.raises(CrashError), store.transaction() as outer:
        with outer.store.transaction() as inner:
            inner.store.save_session(session)
            inner.after_commit(lambda: ran.append("inner"))
            inner.commit()
        raise CrashError

    with pytest.raises(NotFoundError):
        store.get_session(session.id)
    assert ran == []


def test_a_failed_write_in_a_unit_rolls_back_the_ones_before_it(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    with pytest.raises(NotFoundError), store.transaction() as unit:
        unit.store.save_conversation(session.id, hello())
        unit.store.save_conversation("00000000-0000-4000-8000-000000000000", hello())
        unit.commit()

    assert store.get_conversation_history(session.id) == []

"""Two tabs on one interview: when the other tab changes the session while this tab's Pause
or End is being saved, this tab shows an error saying what the session is now, and the other
tab's change stands (AppTest; the other tab's write is made at the moment this tab writes).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.models import Session, SessionStatus
from tests.integration.ui.test_interview_page import click, start_interview


def another_tab_first(app_services: Services, monkeypatch: pytest.MonkeyPatch, action: str) -> None:
    """At this tab's next session write, the other tab's `action` is saved just before it."""
    store = app_services.data_store
    write = store.compare_and_set_session

    def other_tab_then_this_one(session: Session) -> bool:
        monkeypatch.setattr(store, "compare_and_set_session", write)
        getattr(app_services.session_manager, action)(session.id)
        return write(session)

    monkeypatch.setattr(store, "compare_and_set_session", other_tab_then_this_one)


def test_pause_that_loses_to_an_end_in_another_tab_says_the_session_is_completed(
    app_test: AppTest, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = start_interview(app_test)
    another_tab_first(app_services, monkeypatch, "end_session")

    click(app_test, "Pause")

    assert not app_test.exception
    [error] = app_test.error
    assert "changed at the same time" in error.value and "is completed now" in error.value
    session = app_services.session_manager.get_session(session_id)
    assert session.status is SessionStatus.COMPLETED and session.paused_at is None


def test_end_that_loses_to_a_pause_in_another_tab_is_not_evaluated(
    app_test: AppTest, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = start_interview(app_test)
    click(app_test, "End Interview")
    another_tab_first(app_services, monkeypatch, "pause_session")

    click(app_test, "End and evaluate")

    assert not app_test.exception
    assert any("is paused now" in error.value for error in app_test.error)
    assert app_services.session_manager.get_session(session_id).status is SessionStatus.PAUSED
    assert app_services.evaluation_manager.get_evaluation(session_id) is None

"""The Evaluation and History pages under AppTest, on data made through the app's services."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from interview_platform.bootstrap import Services
from interview_platform.core.evaluation.presentation import points
from interview_platform.core.headless import simulate
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.interviewer.simulation import CandidateKind
from interview_platform.core.models import (
    CommunicationMode,
    ExperienceLevel,
    Session,
    SessionConfig,
)
from interview_platform.errors import NotFoundError
from tests.integration.ui.conftest import finish_queued_work

ANSWER = (
    "First the requirements: 100 million new URLs a month, reads dominate writes 100 to 1. "
    "I would put a load balancer in front of stateless API servers, keep the mappings in a "
    "key-value store, cache hot links in Redis and shard by the short code."
)


def open_page(at: AppTest, url_path: str) -> AppTest:
    """Open a page by its url_path.

    AppTest.switch_page() only resolves file pages; our pages are callables, whose st.Page hash
    is calc_hash(url_path), which is what a browser asks for when it opens /<url_path>.
    """
    at._page_hash = calc_hash(url_path)
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def new_session(app: Services, user: str = "local") -> Session:
    brief = brief_for(default_bank().get("url-shortener"), ExperienceLevel.MID)
    config = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")
    return app.session_manager.create_session(config, user, problem=brief)


def finished_session(app: Services, *, evaluate: bool = True, snapshot: bool = False) -> str:
    sessions = app.session_manager
    session_id = new_session(app).id
    sessions.start_session(session_id)
    sessions.submit_answer(session_id, ANSWER)
    if snapshot:
        app.file_storage.save_whiteboard(session_id, png())
    sessions.end_session(session_id)
    if evaluate:
        sessions.evaluate_session(session_id)
    return session_id


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def open_buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("open_")]


def test_evaluation_shows_score_competencies_plan_and_exports(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services)
    report = app_services.evaluation_manager.get_evaluation(session_id)
    assert report is not None
    tracker = app_services.token_tracker
    tracker.record_usage(session_id, "evaluation", "openai", "gpt-4o", 1200, 300)
    tracker.record_usage(session_id, "question_generation", "openai", "gpt-4o", 800, 200)
    app_test.session_state["session_id"] = session_id

    open_page(app_test, "evaluation")

    assert not app_test.exception and not app_test.error
    overall = next(m for m in app_test.metric if m.label == "Overall score")
    assert overall.value == f"{points(report.overall_score)}/100"
    assert len(report.competency_scores) == 7
    assert len(app_test.expander) == 7
    assert app_test.get("vega_lite_chart")
    quotes = [m.value for m in app_test.markdown if m.value.startswith("> ")]
    assert any(ANSWER[:30] in quote for quote in quotes)
    assert len(app_test.checkbox) == len(report.improvement_plan.concrete_steps)
    [usage] = app_test.dataframe
    assert list(usage.value["Operation"]) == ["Evaluation", "Question generation"]
    assert list(usage.value["Total tokens"]) == [1500, 1000]
    assert "Estimated" not in usage.value.columns
    total = next(m for m in app_test.metric if m.label == "Total cost")
    assert total.value == f"${tracker.get_total_cost(session_id):.4f}"
    assert not any("marks an estimate" in c.value for c in app_test.caption)
    downloads = [d.proto.label for d in app_test.get("download_button")]
    assert downloads == ["Download as Markdown", "Download as PDF"]

    click(app_test, "Start a new interview")

    assert app_test.title[0].value == "Setup Your Mock Interview"
    assert "session_id" not in app_test.session_state


def test_estimated_usage_is_marked_on_the_evaluation(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services)
    tracker = app_services.token_tracker
    tracker.record_usage(session_id, "evaluation", "openai", "gpt-4o", 1200, 300, estimated=True)
    tracker.record_usage(session_id, "question_generation", "openai", "gpt-4o", 800, 200)
    app_test.session_state["session_id"] = session_id

    open_page(app_test, "evaluation")

    [usage] = app_test.dataframe
    assert list(usage.value["Operation"]) == ["Evaluation", "Question generation"]
    assert list(usage.value["Estimated"]) == ["~", ""]
    total = next(m for m in app_test.metric if m.label == "Total cost")
    assert total.value == f"~${tracker.get_total_cost(session_id):.4f}"
    assert any("marks an estimate" in c.value for c in app_test.caption)


def test_a_completed_session_without_a_report_can_be_evaluated_now(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services, evaluate=False)
    app_test.session_state["session_id"] = session_id
    open_page(app_test, "evaluation")
    assert not app_test.metric

    click(app_test, "Evaluate now")
    finish_queued_work(app_test, app_services)

    assert app_services.evaluation_manager.get_evaluation(session_id) is not None
    assert any(m.label == "Overall score" for m in app_test.metric)


def test_evaluation_without_a_session_points_to_setup(app_test: AppTest) -> None:
    open_page(app_test, "evaluation")
    assert "No interview yet" in app_test.info[0].value

    click(app_test, "Go to Setup")

    assert app_test.title[0].value == "Setup Your Mock Interview"


def test_another_users_session_is_refused(app_test: AppTest, app_services: Services) -> None:
    theirs = simulate(
        app_services.session_manager, "url-shortener", ExperienceLevel.MID, CandidateKind.STRONG
    ).session_id
    app_test.session_state["view_session_id"] = theirs

    open_page(app_test, "evaluation")

    assert "not one of yours" in app_test.error[0].value
    assert not app_test.metric
    assert "view_session_id" not in app_test.session_state

    open_page(app_test, "history")
    app_test.session_state["history_open"] = theirs  # e.g. deleted by its owner meanwhile
    app_test.run()

    assert "not one of yours" in app_test.error[0].value
    assert not app_test.chat_message
    assert open_buttons(app_test) == []
    assert any("after two" in c.value for c in app_test.caption)


def test_history_lists_only_this_users_sessions_ten_per_page(
    app_test: AppTest, app_services: Services
) -> None:
    mine = {new_session(app_services).id for _ in range(12)}
    theirs = new_session(app_services, user="someone-else").id

    open_page(app_test, "history")

    assert not app_test.exception
    first = open_buttons(app_test)
    assert len(first) == 10
    assert any(m.value == "Page 1 of 2" for m in app_test.markdown)
    app_test.button(key="history_next").click().run()
    second = open_buttons(app_test)
    assert len(second) == 2
    assert any(m.value == "Page 2 of 2" for m in app_test.markdown)
    assert {key.removeprefix("open_") for key in first + second} == mine
    assert f"open_{theirs}" not in first + second

    app_test.selectbox(key="history_status").set_value("completed").run()

    assert "No interviews here yet" in app_test.info[0].value


def test_opening_a_session_shows_transcript_snapshot_and_evaluation(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services, snapshot=True)
    finished_session(app_services)
    messages = app_services.session_manager.get_conversation(session_id)
    open_page(app_test, "history")
    assert app_test.get("vega_lite_chart"), "two evaluated sessions draw the progress chart"

    app_test.button(key=f"open_{session_id}").click().run()

    assert not app_test.exception and not app_test.error
    assert [t.label for t in app_test.tabs] == ["Transcript", "Whiteboard", "Evaluation"]
    assert len(app_test.chat_message) == len(messages)
    assert any(ANSWER in m.value for m in app_test.markdown)
    assert len(app_test.get("image")) == 1
    assert any(m.label == "Overall score" for m in app_test.metric)

    click(app_test, "Open the full evaluation")

    assert app_test.title[0].value == "Evaluation"
    assert app_test.session_state["view_session_id"] == session_id
    assert len(app_test.expander) == 7


def test_delete_asks_for_confirmation_then_removes_rows_and_files(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services, snapshot=True)
    folder = app_services.file_storage.session_dir(session_id)
    assert folder.is_dir()
    open_page(app_test, "history")

    app_test.button(key=f"delete_{session_id}").click().run()

    assert any("cannot be undone" in m.value for m in app_test.markdown)
    assert app_services.session_manager.count_sessions(user_id="local") == 1

    app_test.button(key="confirm_delete").click().run()

    with pytest.raises(NotFoundError):
        app_services.session_manager.get_session(session_id)
    assert app_services.data_store.list_media(session_id) == []
    assert not folder.exists()
    assert "No interviews here yet" in app_test.info[0].value

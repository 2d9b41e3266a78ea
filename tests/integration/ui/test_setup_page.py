"""The Setup page under AppTest: start with and without a resume, correct the resume."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.models import ExperienceLevel, SessionStatus
from tests.support.resume_fixtures import RESUMES
from tests.support.resume_pdf import write_pdf, write_scanned_pdf

STAFF = next(r for r in RESUMES if r.slug == "staff-infrastructure")


def button(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def test_setup_offers_the_builtin_interviewer_and_starts_without_a_resume(
    app_test: AppTest, app_services: Services
) -> None:
    app_test.run()
    assert not app_test.exception
    assert app_test.title[0].value == "Setup Your Mock Interview"
    assert app_test.selectbox[0].value == "builtin"
    assert any("OPENAI_API_KEY" in c.value for c in app_test.caption)

    button(app_test, "Start Interview")

    [summary] = app_services.session_manager.list_sessions(user_id="local")
    session = app_services.session_manager.get_session(summary.id)
    assert session.status is SessionStatus.ACTIVE
    assert session.problem is not None and session.problem.level is ExperienceLevel.MID
    assert app_test.session_state["session_id"] == session.id


def test_an_uploaded_resume_sets_the_level_and_a_correction_is_used(
    app_test: AppTest, app_services: Services
) -> None:
    app_test.run()

    app_test.file_uploader[0].set_value(("resume.pdf", write_pdf(STAFF), "application/pdf")).run()

    assert not app_test.error
    assert any("**staff**" in s.value for s in app_test.success)
    level = next(s for s in app_test.selectbox if s.label == "Level")
    level.set_value("senior")
    next(b for b in app_test.button if b.label == "Save correction").click().run()
    resume = app_services.resume_manager.get_resume("local")
    assert resume is not None and resume.experience_level is ExperienceLevel.SENIOR

    button(app_test, "Start Interview")

    [summary] = app_services.session_manager.list_sessions(user_id="local")
    session = app_services.session_manager.get_session(summary.id)
    assert session.problem is not None and session.problem.level is ExperienceLevel.SENIOR


def test_a_bad_upload_shows_what_to_do_and_saves_nothing(
    app_test: AppTest, app_services: Services
) -> None:
    app_test.run()

    app_test.file_uploader[0].set_value(("scan.pdf", write_scanned_pdf(), "application/pdf")).run()

    assert any("no extractable text" in e.value for e in app_test.error)
    assert app_services.resume_manager.get_resume("local") is None
    assert app_test.title[0].value == "Setup Your Mock Interview"

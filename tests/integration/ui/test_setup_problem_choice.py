"""The Setup page under AppTest: each problem choice starts a session with the right problem;
the resume can be pasted; the real upload limit is shown."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.interviewer.choice import MAX_STATEMENT_CHARS, RECENT_SESSIONS
from interview_platform.core.models import ExperienceLevel, ProblemBrief
from interview_platform.core.resume_manager import MAX_PASTED_CHARS
from tests.integration.ui.conftest import APP
from tests.support.resume_fixtures import RESUMES

SENIOR = next(r for r in RESUMES if r.slug == "senior-backend-distributed")
GARAGE = "Design a parking garage occupancy tracker with live dashboards for 300 garages"


def setup_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def choose(at: AppTest, choice: str) -> None:
    at.radio(key="problem_choice").set_value(choice).run()


def latest_problem(app: Services) -> ProblemBrief:
    summary = app.session_manager.list_sessions(1, user_id="local")[0]
    problem = app.session_manager.get_session(summary.id).problem
    assert problem is not None
    return problem


def test_the_uploader_states_the_real_limit_not_200mb(app_services: Services) -> None:
    at = setup_page()

    assert at.file_uploader[0].proto.max_upload_size_mb == 5
    assert any("up to 5 MB" in caption.value for caption in at.caption)
    assert not any("200" in caption.value for caption in at.caption)


def test_a_pasted_resume_is_read_and_saved(app_services: Services) -> None:
    at = setup_page()
    box = at.text_area(key="resume_text")
    assert box.max_chars == MAX_PASTED_CHARS
    assert box.label == f"Resume text (up to {MAX_PASTED_CHARS:,} characters)"

    box.set_value(SENIOR.text())
    click(at, "Read the pasted text")

    assert not at.error
    assert any("**senior**" in s.value for s in at.success)
    resume = app_services.resume_manager.get_resume("local")
    assert resume is not None and resume.name == "Elena Petrova"


def test_an_empty_paste_says_what_to_do(app_services: Services) -> None:
    at = setup_page()

    click(at, "Read the pasted text")

    assert any("the box is empty" in e.value for e in at.error)
    assert app_services.resume_manager.get_resume("local") is None


def test_the_fitted_problem_is_the_default_and_changes_when_used_recently(
    app_services: Services,
) -> None:
    at = setup_page()
    assert at.radio(key="problem_choice").value == "fitted"
    assert any("**Design a URL Shortener** (mid)" in c.value for c in at.caption)

    click(at, "Start Interview")
    first = latest_problem(app_services)
    at = setup_page()
    assert not any("**Design a URL Shortener**" in c.value for c in at.caption)
    click(at, "Start Interview")

    assert first.slug == "url-shortener"
    assert latest_problem(app_services).slug not in (None, "url-shortener")


def test_a_bank_pick_filtered_by_level_and_domain_starts_that_problem(
    app_services: Services,
) -> None:
    at = setup_page()
    choose(at, "bank")
    at.multiselect(key="bank_domains").set_value(["mobile"]).run()
    at.selectbox(key="bank_level").set_value(ExperienceLevel.JUNIOR).run()
    problems = at.selectbox(key="bank_slug")
    assert problems.label == "Problem (5 in the bank)"
    assert problems.options == [
        "Design a Chat System",
        "Design a Ride-Sharing Service",
        "Design a Notification System",
        "Design a Photo-Sharing Service",
        "Design a Proximity Service",
    ]
    problems.set_value("photo-sharing").run()

    click(at, "Start Interview")

    problem = latest_problem(app_services)
    assert (problem.slug, problem.level) == ("photo-sharing", ExperienceLevel.JUNIOR)
    assert "Scale:" in problem.statement


def test_surprise_me_never_gives_a_recent_problem(app_services: Services) -> None:
    recent: list[str | None] = []
    for _ in range(RECENT_SESSIONS + 2):
        at = setup_page()
        choose(at, "surprise")
        assert any(f"last {RECENT_SESSIONS} sessions" in c.value for c in at.caption)
        click(at, "Start Interview")
        slug = latest_problem(app_services).slug
        assert slug is not None and slug not in recent[-RECENT_SESSIONS:]
        recent.append(slug)


def test_a_custom_statement_starts_an_interview_on_it(app_services: Services) -> None:
    at = setup_page()
    choose(at, "custom")
    box = at.text_area(key="custom_statement")
    assert box.max_chars == MAX_STATEMENT_CHARS

    box.set_value(GARAGE).run()
    click(at, "Start Interview")

    problem = latest_problem(app_services)
    assert (problem.statement, problem.slug) == (GARAGE, None)
    summary = app_services.session_manager.list_sessions(1, user_id="local")[0]
    opening = app_services.session_manager.get_conversation(summary.id)[0]
    assert GARAGE in opening.content


def test_a_bad_custom_statement_is_explained_and_starts_nothing(
    app_services: Services,
) -> None:
    at = setup_page()
    choose(at, "custom")

    click(at, "Start Interview")
    assert any("Write your problem statement" in e.value for e in at.error)
    at.text_area(key="custom_statement").set_value("cache").run()
    assert any("too short" in e.value for e in at.error)
    click(at, "Start Interview")

    assert app_services.session_manager.count_sessions(user_id="local") == 0

"""The tab's user and session live in the URL (`?user=&session=`) through every page switch,
so a reload, a restart or a bookmark opens the same interview; History opens on its list.

A reload is a new browser session: a fresh AppTest given the URL's page and query.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from interview_platform.bootstrap import Services
from interview_platform.core.models import CommunicationMode, SessionConfig
from tests.integration.ui.conftest import APP, finish_queued_work
from tests.integration.ui.test_evaluation_and_history import finished_session


def click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def visit(at: AppTest, url_path: str) -> AppTest:
    """Open /<url_path> as the sidebar's page link does; later runs follow the app's switches."""
    at._page_hash = calc_hash(url_path)  # how a browser names a callable page: its url_path
    at.run()
    at._page_hash = ""
    return at


def reload(url_path: str, query: dict[str, str]) -> AppTest:
    """What a browser shows on opening /<url_path>?<query> in a new tab."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params = dict(query)
    at._page_hash = calc_hash(url_path)
    return at.run()


def signed_in_as(at: AppTest) -> str:
    [who] = [c.value for c in at.sidebar.caption if c.value.startswith("Signed in as")]
    return who.removeprefix("Signed in as **").removesuffix("**")


def shows_interview(at: AppTest, session_id: str, services: Services) -> bool:
    opening = services.session_manager.get_conversation(session_id)[0].content
    no_session = any("No interview is open" in i.value for i in at.info)
    return not no_session and any(opening in m.value for m in at.markdown)


def test_start_puts_the_session_in_the_url_and_a_reload_reopens_it(
    app_test: AppTest, app_services: Services
) -> None:
    app_test.run()
    click(app_test, "Start Interview")
    session_id = app_test.session_state["session_id"]

    assert app_test.query_params == {"session": session_id}
    reloaded = reload("interview", app_test.query_params)
    assert not reloaded.exception
    assert shows_interview(reloaded, session_id, app_services)


def test_a_switched_user_stays_through_a_start_and_a_reload(
    app_test: AppTest, app_services: Services
) -> None:
    app_test.run()
    app_test.text_input[0].set_value("bob")
    click(app_test, "Switch")
    assert app_test.query_params == {"user": "bob"}

    click(app_test, "Start Interview")
    session_id = app_test.session_state["session_id"]

    assert app_test.query_params == {"user": "bob", "session": session_id}
    reloaded = reload("interview", app_test.query_params)
    assert signed_in_as(reloaded) == "bob"
    assert shows_interview(reloaded, session_id, app_services)
    assert signed_in_as(reload("setup", {"user": "bob"})) == "bob"


def test_a_page_link_that_drops_the_query_gets_it_back(app_test: AppTest) -> None:
    app_test.run()
    app_test.text_input[0].set_value("bob")
    click(app_test, "Switch")
    click(app_test, "Start Interview")
    expected = {"user": "bob", "session": app_test.session_state["session_id"]}

    app_test.query_params = {}  # the sidebar's page links open a page without the query
    visit(app_test, "history")

    assert app_test.title[0].value == "History"
    assert app_test.query_params == expected


def test_every_page_switch_keeps_the_user_and_session(
    app_test: AppTest, app_services: Services
) -> None:
    app_test.run()
    app_test.text_input[0].set_value("bob")
    click(app_test, "Switch")
    click(app_test, "Start Interview")
    expected = dict(app_test.query_params)
    session_id = expected["session"]

    visit(app_test, "setup")
    click(app_test, "Back to the interview")
    assert shows_interview(app_test, session_id, app_services)
    assert app_test.query_params == expected

    click(app_test, "End Interview")
    click(app_test, "End and evaluate")
    finish_queued_work(app_test, app_services)
    assert app_test.title[0].value == "Evaluation"
    assert app_test.query_params == expected

    click(app_test, "Start a new interview")
    assert app_test.title[0].value == "Setup Your Mock Interview"
    assert app_test.query_params == {"user": "bob"}  # a new interview: the old one is closed


def test_the_sidebar_resume_puts_the_session_in_the_url(
    app_test: AppTest, app_services: Services
) -> None:
    config = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")
    session = app_services.session_manager.create_session(config, "local")
    app_services.session_manager.start_session(session.id)
    app_test.run()

    app_test.sidebar.button(key="sidebar_resume").click().run()

    assert app_test.query_params == {"session": session.id}
    assert shows_interview(app_test, session.id, app_services)
    assert shows_interview(reload("interview", app_test.query_params), session.id, app_services)


def test_coming_back_to_history_shows_the_list_not_the_last_opened(
    app_test: AppTest, app_services: Services, tmp_path: Path
) -> None:
    session_id = finished_session(app_services)
    visit(app_test, "history")
    app_test.button(key=f"open_{session_id}").click().run()
    assert [t.label for t in app_test.tabs] == ["Transcript", "Whiteboard", "Evaluation"]
    app_test.run()  # a rerun of the same page keeps the detail open
    assert app_test.tabs

    visit(app_test, "setup")
    visit(app_test, "history")

    assert not app_test.tabs
    assert app_test.button(key=f"open_{session_id}")

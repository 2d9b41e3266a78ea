"""Password mode under AppTest: nothing shows before a sign-in, a wrong password is refused,
the URL cannot change who is signed in, and another user's interviews stay out of reach.
Default settings (`make run`) still need no sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.models import SessionStatus
from interview_platform.core.ownership import NOT_YOURS
from interview_platform.ui.context import services
from tests.integration.ui.conftest import APP
from tests.integration.ui.test_evaluation_and_history import (
    ANSWER,
    click,
    new_session,
    open_page,
)

ALICE_PASSWORD = "alice's long password"
BOB_PASSWORD = "bob's long password"


@pytest.fixture
def password_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    """The app's services in password mode, with accounts for alice and bob."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LOG_TO_FILE", "false")
    monkeypatch.setenv("AUTH__MODE", "password")
    for name in ("DATABASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DEFAULT_USER_ID"):
        monkeypatch.delenv(name, raising=False)
    services.clear()
    app = services()
    app.accounts.register("alice", ALICE_PASSWORD)
    app.accounts.register("bob", BOB_PASSWORD)
    yield app
    app.close()
    services.clear()


def fresh(query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params = dict(query or {})
    return open_page(at, page) if page else at.run()


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").set_value(name)
    at.text_input(key="sign_in_password").set_value(password)
    return next(b for b in at.button if b.label == "Sign in").click().run()


def signed_in_as(at: AppTest) -> str | None:
    found = [c.value for c in at.sidebar.caption if c.value.startswith("Signed in as")]
    return found[0].removeprefix("Signed in as **").removesuffix("**") if found else None


def on_sign_in_page(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Sign in"] and signed_in_as(at) is None


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def bobs_interview(app: Services) -> str:
    session = new_session(app, "bob")
    app.session_manager.start_session(session.id)
    app.session_manager.submit_answer(session.id, ANSWER)
    app.session_manager.end_session(session.id)
    app.session_manager.evaluate_session(session.id)
    return session.id


def test_default_settings_need_no_sign_in(app_test: AppTest) -> None:
    app_test.run()
    assert not app_test.exception
    assert [t.value for t in app_test.title] == ["Setup Your Mock Interview"]
    assert signed_in_as(app_test) == "local"
    assert not any(b.label == "Sign out" for b in app_test.button)


@pytest.mark.parametrize("page", ["setup", "interview", "evaluation", "history"])
def test_every_page_asks_for_a_sign_in_first(password_app: Services, page: str) -> None:
    at = fresh(page=page)
    assert not at.exception
    assert on_sign_in_page(at)
    assert not any("Setup Your Mock Interview" in t.value for t in at.title)
    assert "No account yet?" in at.caption[0].value


def test_a_wrong_password_or_name_is_refused_alike(password_app: Services) -> None:
    at = sign_in(fresh(), "alice", BOB_PASSWORD)
    assert on_sign_in_page(at)
    assert errors(at) == ["Wrong name or password. Check both and try again."]
    at = sign_in(fresh(), "mallory", ALICE_PASSWORD)
    assert on_sign_in_page(at)
    assert errors(at) == ["Wrong name or password. Check both and try again."]


def test_a_right_password_opens_the_app_and_sign_out_closes_it(password_app: Services) -> None:
    at = sign_in(fresh(), "alice", ALICE_PASSWORD)
    assert not at.exception
    assert signed_in_as(at) == "alice"
    assert [t.value for t in at.title] == ["Setup Your Mock Interview"]
    assert not any("Interviewing as" in e.label for e in at.expander)  # no name to switch
    at = click(at, "Sign out")
    assert on_sign_in_page(at)


def test_the_url_cannot_switch_or_name_the_user(password_app: Services) -> None:
    at = fresh({"user": "bob"})
    assert on_sign_in_page(at)  # ?user= signs nobody in
    at = sign_in(at, "alice", ALICE_PASSWORD)
    assert signed_in_as(at) == "alice"
    at.query_params["user"] = "bob"
    at.run()
    assert signed_in_as(at) == "alice"
    assert "user" not in at.query_params
    click(at, "Start Interview")
    [session] = password_app.session_manager.list_sessions(user_id="alice")
    assert password_app.session_manager.count_sessions(user_id="bob") == 0
    assert session.status is SessionStatus.ACTIVE


def test_another_users_session_in_the_url_is_refused(password_app: Services) -> None:
    bobs = bobs_interview(password_app)
    for page in ("setup", "interview", "evaluation"):
        at = sign_in(fresh({"session": bobs}, page=page), "alice", ALICE_PASSWORD)
        assert not at.exception
        assert NOT_YOURS in errors(at), page
        assert "session" not in at.query_params
        assert not any(ANSWER[:40] in m.value for m in at.markdown), page
    assert password_app.session_manager.get_session(bobs).status is SessionStatus.COMPLETED


def test_another_users_evaluation_and_history_entry_are_refused(password_app: Services) -> None:
    bobs = bobs_interview(password_app)
    at = sign_in(fresh(page="evaluation"), "alice", ALICE_PASSWORD)
    at.session_state["view_session_id"] = bobs
    at.run()
    assert NOT_YOURS in errors(at)
    assert not any(m.label == "Overall score" for m in at.metric)

    at = open_page(at, "history")
    assert not any(b.key == f"open_{bobs}" for b in at.button)  # not listed
    at.session_state["history_open"] = bobs
    at.run()
    assert NOT_YOURS in errors(at)
    assert not any(ANSWER[:40] in m.value for m in at.markdown)


def test_another_users_session_cannot_be_deleted(password_app: Services) -> None:
    bobs = bobs_interview(password_app)
    at = sign_in(fresh(page="history"), "alice", ALICE_PASSWORD)
    at.session_state["history_delete"] = bobs
    at.run()
    at = next(b for b in at.button if b.key == "confirm_delete").click().run()
    assert NOT_YOURS in errors(at)
    assert password_app.session_manager.get_session(bobs).user_id == "bob"
    assert password_app.evaluation_manager.get_evaluation(bobs) is not None


def test_each_user_sees_only_their_own_resume(password_app: Services) -> None:
    password_app.resume_manager.paste_resume(
        "Bob Example, staff engineer at Initech. 12 years of Kafka and Cassandra.", "bob"
    )
    at = sign_in(fresh(), "alice", ALICE_PASSWORD)
    page_text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Initech" not in page_text and "Bob Example" not in page_text
    at = sign_in(fresh(), "bob", BOB_PASSWORD)
    assert password_app.resume_manager.get_resume("bob") is not None
    assert password_app.resume_manager.get_resume("alice") is None


def test_self_registration_when_allowed(
    password_app: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(password_app.settings.auth, "allow_registration", True)
    at = fresh()
    assert [t.label for t in at.tabs] == ["Sign in", "Create an account"]
    at.text_input(key="register_name").set_value("carol")
    at.text_input(key="register_password").set_value("carol's long password")
    at.text_input(key="register_again").set_value("carol's long passwort")
    at = next(b for b in at.button if b.label == "Create the account").click().run()
    assert "The two passwords differ" in errors(at)[0]
    at.text_input(key="register_again").set_value("carol's long password")
    at = next(b for b in at.button if b.label == "Create the account").click().run()
    assert signed_in_as(at) == "carol"
    assert password_app.accounts.sign_in("carol", "carol's long password") == "carol"


def test_without_self_registration_there_is_no_form_for_it(password_app: Services) -> None:
    at = fresh()
    assert not at.tabs and not any(b.label == "Create the account" for b in at.button)

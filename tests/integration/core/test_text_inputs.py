"""Text where it enters the services, on real services from `bootstrap` (SQLite and
PostgreSQL, logging to a real file).

Text with a lone surrogate ("abc\\ud800def": a browser or a pasted JSON escape can send one)
is cleaned where it enters, each lone surrogate becoming U+FFFD: no input raises a raw
UnicodeEncodeError at the database, the log file or a file written. An answer over the
length limit is refused whole, before anything is read or written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.conversation_text import to_markdown
from interview_platform.core.interviewer.choice import CustomProblem
from interview_platform.core.interviewer.selection import custom_brief
from interview_platform.core.models import Role, clean_text
from interview_platform.core.session_manager import MAX_MESSAGE_CHARS
from interview_platform.errors import AnswerNotSavedError, AnswerTooLongError, ValidationError
from tests.conftest import make_config

LONE = "abc\ud800def"
CLEAN = "abc\ufffddef"
STATEMENT = "Design a parking garage \udfff occupancy tracker for a city"
RESUME = (
    "Jane Doe \ud800\nSenior Software Engineer, Acme 2015 - Present\n"
    "Built distributed payment systems in Python and Go \udc80 for ten years.\n"
    "Skills: Python, Go, PostgreSQL, Kafka\n"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'surrogates.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    settings = Settings(
        _env_file=None,
        database_url=url,
        data_dir=tmp_path / "data",
        log_file_path=tmp_path / "logs" / "app.log",
    )
    services = bootstrap(settings, console_logs=False)
    yield services
    services.close()


def test_clean_text_replaces_only_lone_surrogates() -> None:
    assert clean_text(LONE) == CLEAN
    assert clean_text("\udc80\ud800") == "\ufffd\ufffd"
    assert clean_text("\ud83d\ude00 pair") == "\U0001f600 pair"  # a split pair is joined
    assert clean_text("plain é 😀") == "plain é 😀"


def test_lone_surrogates_are_cleaned_everywhere_text_enters(
    app: Services, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    user = f"user-{LONE}"
    sessions = app.session_manager
    session = sessions.create_session(make_config(), user)
    assert session.user_id == f"user-{CLEAN}"
    session = sessions.start_session(session.id, CustomProblem(STATEMENT))
    assert session.problem is not None and "\ufffd" in session.problem.statement

    answer, reply = sessions.submit_answer(session.id, f"I would use {LONE} caching")
    edited, _ = sessions.submit_answer(
        session.id, f"Corrected transcript: {LONE}", {"source": "audio"}
    )
    assert answer.content == f"I would use {CLEAN} caching" and reply is not None
    saved = [m.content for m in sessions.get_conversation(session.id) if m.role is Role.CANDIDATE]
    assert (
        saved
        == [answer.content, edited.content]
        == [
            f"I would use {CLEAN} caching",
            f"Corrected transcript: {CLEAN}",
        ]
    )
    assert sessions.get_session(session.id).problem == session.problem

    resume = app.resume_manager.paste_resume(RESUME, user)
    assert app.resume_manager.get_resume(user) == resume
    assert "\ufffd" in resume.raw_text and not any(
        0xD800 <= ord(c) <= 0xDFFF for c in resume.raw_text
    )

    exported = tmp_path / "transcript.md"
    exported.write_text(to_markdown(sessions.get_conversation(session.id)), encoding="utf-8")
    assert CLEAN in exported.read_text(encoding="utf-8")

    app.logger.close()
    log = (tmp_path / "logs" / "app.log").read_text(encoding="utf-8")
    assert f"user-{CLEAN}" in log or session.id in log
    assert "UnicodeEncodeError" not in log + capfd.readouterr().err


def test_a_custom_brief_is_cleaned() -> None:
    assert "\ufffd" in custom_brief(STATEMENT).statement


def test_names_and_passwords_with_lone_surrogates(app: Services) -> None:
    with pytest.raises(ValidationError, match="A name may use"):
        app.accounts.register(f"name-{LONE}", "a long enough password")
    password = f"a long enough password {LONE}"
    app.accounts.register("surrogate-user", password)
    assert app.accounts.sign_in("surrogate-user", password) == "surrogate-user"


def test_a_one_megabyte_paste_is_refused_whole_with_the_limit(app: Services) -> None:
    """The answer the UI keeps for resending (AnswerNotSavedError), checked before the
    session is read, so nothing of it is written."""
    sessions = app.session_manager
    session = sessions.start_session(sessions.create_session(make_config(), "paster").id)
    before = sessions.get_conversation(session.id)
    pasted = "All of my notes. " * (1_000_000 // 17)
    with pytest.raises(AnswerTooLongError, match=f"limit is {MAX_MESSAGE_CHARS:,}") as raised:
        sessions.submit_answer(session.id, pasted)
    assert isinstance(raised.value, AnswerNotSavedError)
    assert isinstance(raised.value, ValidationError)
    assert sessions.get_conversation(session.id) == before
    sessions.pause_session(session.id)  # refused for its size before the session is read
    with pytest.raises(AnswerTooLongError):
        sessions.submit_answer(session.id, pasted)
    with pytest.raises(AnswerTooLongError):
        sessions.submit_answer("00000000-0000-0000-0000-000000000000", pasted)

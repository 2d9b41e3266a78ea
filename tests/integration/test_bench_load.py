"""`bench load` on a small size: the report's shape and the exactness check, not its speed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from benchmarks.load import SessionRun, conversation_problems, own_words
from interview_platform.core.models import Message, Role
from tests.support.bench_command import run_bench

FIGURES = re.compile(
    r"^(?P<backend>sqlite|postgresql) +3 sessions x 3 turns in [\d.]+ s +p50 +[\d.]+ ms +"
    r"p95 +[\d.]+ ms +max +[\d.]+ ms +errors 0 +(MET|MISSED)$",
    re.M,
)

# 3 sessions x 3 turns, service level only
SMALL_SERVICE_LEVEL = ("load", "--sessions", "3", "--turns", "3", "--browser-tabs", "0")


def _checked(stdout: str, backends: list[str]) -> None:
    assert [m.group("backend") for m in FIGURES.finditer(stdout)] == backends, stdout
    for backend in backends:
        assert re.search(rf"^{backend} +conversations: exact ", stdout, re.M), stdout
    assert "browser level" not in stdout  # --browser-tabs 0


def test_bench_load_on_sqlite_reports_figures_and_exact_conversations(tmp_path: Path) -> None:
    result = run_bench(*SMALL_SERVICE_LEVEL, "--skip-postgres", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    _checked(result.stdout, ["sqlite"])


@pytest.mark.postgres
def test_bench_load_on_postgres_and_sqlite(tmp_path: Path, postgres_url: str) -> None:
    server = make_url(postgres_url).set(database="postgres").render_as_string(hide_password=False)
    result = run_bench(*SMALL_SERVICE_LEVEL, "--postgres-url", server, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    _checked(result.stdout, ["postgresql", "sqlite"])


def _conversation(answers: list[str]) -> list[Message]:
    messages = [Message(Role.INTERVIEWER, "Opening")]
    for answer in answers:
        messages += [Message(Role.CANDIDATE, answer), Message(Role.INTERVIEWER, "Reply")]
    return messages


def test_an_exact_conversation_passes_the_check() -> None:
    run = SessionRun("s1", answers=["one", "two"])
    assert conversation_problems(run, _conversation(["one", "two"])) == []


@pytest.mark.parametrize(
    ("saved", "found"),
    [
        (["two", "one"], "not the ones sent, in the order sent"),
        (["one"], "3 messages, expected 5"),
        (["one", "two", "two"], "7 messages, expected 5"),
    ],
)
def test_a_wrong_conversation_is_caught(saved: list[str], found: str) -> None:
    run = SessionRun("s1", answers=["one", "two"])
    problems = conversation_problems(run, _conversation(saved))
    assert any(found in problem for problem in problems), problems


def test_a_lost_reply_is_caught() -> None:
    run = SessionRun("s1", answers=["one", "two"])
    messages = _conversation(["one", "two"])
    del messages[2]
    problems = conversation_problems(run, messages)
    assert any("do not alternate" in problem for problem in problems), problems


def test_own_words_makes_every_sentence_the_candidates() -> None:
    assert own_words("I would shard. Then cache it! Why? Because", "p3") == (
        "I would shard (candidate p3). Then cache it (candidate p3)! Why (candidate p3)? "
        "Because (candidate p3)."
    )

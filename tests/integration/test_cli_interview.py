"""`interview-platform interview`: the built-in interviewer on answers from a file, run as a user
would, in simulated time."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from interview_platform.bootstrap import bootstrap
from interview_platform.config import Settings
from interview_platform.core.headless import SimulatedClock, run_interview
from interview_platform.core.interviewer.problems import Phase
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.integration.test_cli import run_cli

# A mid-level candidate on a URL shortener, as they would say it.
ANSWERS = [
    "Okay, so before I draw anything I'd like to pin down scope. Users paste a long link and get "
    "a short one back, and when someone opens the short one we send them on to the original. "
    "Maybe custom aliases and links that expire after a while. I'd guess reads outnumber writes "
    "by something like a hundred to one, and redirects need to feel instant.",
    "For numbers, let's say a hundred million new links a month. That's roughly forty writes a "
    "second on average, and with that ratio around four thousand redirects a second, more at "
    "peak. If each record is about five hundred bytes, five years comes to around three "
    "terabytes, which is not scary.",
    "The API is small. A POST to create a link takes the long URL and optionally an alias and an "
    "expiry date, and gives back the short code. Then a GET on the code answers with a redirect "
    "and the original address in the Location header. I'd use 302 so we still count the clicks.",
    "To make the codes I'd keep a counter, hand out ranges of it to each app server so they don't "
    "fight over it, and write the number in base 62, so seven characters is trillions of codes. "
    "The table is basically code, long URL, owner, created at, expires at, looked up by code.",
    "Since it's so read heavy I'd put Redis in front of the database to keep the popular links in "
    "memory, and run the redirect servers behind a load balancer. If the data gets too big we "
    "split it by code, and I'd keep replicas so losing one machine doesn't stop redirects.",
]
PHASES = {phase.value for phase in Phase}
STEP = re.compile(r"^\[(\d+\.\d) min\] Interviewer \((\w+) → (\w+)(, hint)?\): \S", re.M)


def write_answers(folder: Path, answers: list[str], name: str = "answers.jsonl") -> Path:
    path = folder / name
    lines = [json.dumps({"content": answer}) for answer in answers]
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")  # blank lines are skipped
    return path


def interview(folder: Path, *args: str) -> dict[str, Any]:
    result = run_cli("interview", "--format", "json", *args, cwd=folder)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_url_shortener_interview_as_json(tmp_path: Path) -> None:
    write_answers(tmp_path, ANSWERS)
    document = interview(tmp_path, "--problem", "url-shortener", "--answers", "answers.jsonl")

    assert document["problem"] == "Design a URL Shortener"
    assert (document["slug"], document["level"]) == ("url-shortener", "mid")
    assert (document["answers_submitted"], document["answers_unused"]) == (5, 0)
    turns = document["turns"]
    assert [t["role"] for t in turns] == ["interviewer"] + ["candidate", "interviewer"] * 5
    assert all(set(t) == {"role", "content", "minute", "kind", "phase", "concept"} for t in turns)
    assert [t["content"] for t in turns[1::2]] == ANSWERS
    assert turns[0]["kind"] == "opening" and turns[0]["minute"] == 0.0
    assert [t["minute"] for t in turns[1::2]] == [4.5, 9.0, 13.5, 18.0, 22.5]
    assert [t["minute"] for t in turns[2::2]] == [4.5, 9.0, 13.5, 18.0, 22.5]
    questions = [t for t in turns[2::2] if t["kind"] in ("probe", "hint")]
    assert questions, "the interviewer asked no question"
    assert all(t["concept"] for t in questions)
    assert all(t["phase"] in PHASES for t in turns if t["role"] == "interviewer")


def test_minutes_per_answer_and_level_are_applied(tmp_path: Path) -> None:
    write_answers(tmp_path, ANSWERS[:3])
    document = interview(
        tmp_path,
        "--problem",
        "Design a URL Shortener",
        "--answers",
        "answers.jsonl",
        "--minutes-per-answer",
        "2",
        "--level",
        "senior",
    )
    assert document["slug"] == "url-shortener" and document["level"] == "senior"
    assert [t["minute"] for t in document["turns"]] == [0.0, 2.0, 2.0, 4.0, 4.0, 6.0, 6.0]


def test_text_tags_each_question_with_its_phase_and_concept(tmp_path: Path) -> None:
    write_answers(tmp_path, ANSWERS)
    result = run_cli(
        "interview", "--problem", "url-shortener", "--answers", "answers.jsonl", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Interview: Design a URL Shortener (mid)")
    assert "[0.0 min] Interviewer (requirements, opening): " in result.stdout
    assert f"[4.5 min] Candidate: {ANSWERS[0]}" in result.stdout
    steps = STEP.findall(result.stdout)
    assert steps and all(phase in PHASES for _, phase, _, _ in steps)
    assert "5 answer(s) submitted." in result.stdout


def test_a_problem_outside_the_bank(tmp_path: Path) -> None:
    statement = "Design a booking system for veterinary clinics that sends SMS reminders"
    write_answers(tmp_path, ANSWERS[:2])
    document = interview(tmp_path, "--problem", statement, "--answers", "answers.jsonl")

    assert document["slug"] is None and document["problem"] == statement
    assert statement in document["turns"][0]["content"]
    assert document["answers_submitted"] == 2 and len(document["turns"]) == 5


def test_answers_after_the_interview_closed_are_counted_not_submitted(tmp_path: Path) -> None:
    write_answers(tmp_path, ANSWERS * 8)
    document = interview(tmp_path, "--problem", "url-shortener", "--answers", "answers.jsonl")

    turns = document["turns"]
    kinds = [t["kind"] for t in turns[2::2]]
    assert kinds[-1] == "closed" and "wrap_up" in kinds
    # between the wrap-up and the end of time, the interviewer goes deeper rather than closing
    assert set(kinds[kinds.index("wrap_up") + 1 : -1]) <= {"deep_dive"}
    assert document["answers_unused"] > 0
    assert document["answers_submitted"] + document["answers_unused"] == 40
    assert document["answers_submitted"] == sum(t["role"] == "candidate" for t in turns)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"content": "A cache in front."}\n{"content": "oops"\n', "line 2: not valid JSON"),
        (
            '{"content": "A cache."}\n\n{"text": "no content"}\n',
            'line 3: expected an object with a string "content"',
        ),
        ('{"content": 42}\n', 'line 1: expected an object with a string "content"'),
        ('["a list"]\n', 'line 1: expected an object with a string "content"'),
        ('{"content": "   "}\n', "line 1: the answer is empty"),
        ("", "has no answers"),
        ("\n   \n", "has no answers"),
        (
            '{"content": "short"}\n' + json.dumps({"content": "x" * 100_001}) + "\n",
            "line 2: the answer is too long, 100,001 characters",
        ),
    ],
)
def test_a_bad_answers_file_is_explained(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "answers.jsonl").write_text(content, encoding="utf-8")
    result = run_cli(
        "interview", "--problem", "url-shortener", "--answers", "answers.jsonl", cwd=tmp_path
    )

    assert result.returncode != 0
    assert expected in result.stderr and "answers.jsonl" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_answers_file_is_explained(tmp_path: Path) -> None:
    result = run_cli(
        "interview", "--problem", "url-shortener", "--answers", "none.jsonl", cwd=tmp_path
    )

    assert result.returncode != 0
    assert "'none.jsonl' does not exist" in result.stderr


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [("0", "0.0 is not in the range x>0"), ("-3", "is not in the range x>0"), ("nan", "above 0")],
)
def test_minutes_per_answer_must_be_positive(tmp_path: Path, minutes: str, expected: str) -> None:
    write_answers(tmp_path, ANSWERS[:1])
    result = run_cli(
        "interview",
        "--problem",
        "url-shortener",
        "--answers",
        "answers.jsonl",
        f"--minutes-per-answer={minutes}",
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "--minutes-per-answer" in result.stderr and expected in result.stderr


def test_bootstrap_gives_the_clock_to_the_sessions_and_the_interviewer(tmp_path: Path) -> None:
    clock = SimulatedClock()
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", log_to_file=False)
    app = bootstrap(settings, data_store=InMemoryDataStore(), console_logs=False, clock=clock)
    try:
        paced = run_interview(
            app.session_manager, clock, "url-shortener", ANSWERS[:2], minutes_per_answer=60
        )
    finally:
        app.close()

    assert [t.minute for t in paced.turns] == [0.0, 60.0, 60.0, 120.0, 120.0]
    assert [t.kind for t in paced.turns[2::2]] == ["wrap_up", "closed"]

"""kill -9 of an app process at 20 random points of a turn, on a SQLite file and PostgreSQL.

A child process runs the app's services (`bootstrap`, the built-in interviewer) and answers
one session turn after turn; the test SIGKILLs it at a point drawn by a seeded RNG across a
turn's length, then starts a fresh process on the same session, and so on 20 times. The
processes are forked from a warm fork server (`forked_app`), each with its own services and
connections, so a start costs a fraction of a second.

What is guaranteed, and checked after every kill:
- submit_answer saves the answer before it asks the interviewer, so an answer is safe from
  the moment the first reply token arrives (ACK) and when submit_answer returns (DONE): such
  an answer is in the history exactly once, and a DONE answer is followed by its reply;
- an answer cut before that point is in the history at most once: lost whole or saved whole;
- the history keeps its order: the opening, then each answer in the order sent, each
  followed by at most one complete reply; no partial or duplicated message;
- the session is still open, and the next process's first answer gets a reply.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest

from interview_platform.core.models import Message, Role, SessionStatus
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.sql_store import SQLDataStore
from tests.integration.faults import interview_child
from tests.integration.faults.forked_app import ForkedApp

KILLS = 20
SEED = 12
ANSWER = re.compile(r"Answer (\d+): ")


@dataclass
class Ledger:
    """What the children said about each answer before they died."""

    sent: set[int] = field(default_factory=set)
    acknowledged: set[int] = field(default_factory=set)
    done: set[int] = field(default_factory=set)
    durations: list[float] = field(default_factory=list)

    def read(self, lines: list[str]) -> None:
        for line in lines:
            kind, _, rest = line.partition(" ")
            number = int(rest.split()[0]) if kind in {"SENT", "ACK", "DONE"} else -1
            if kind == "SENT":
                self.sent.add(number)
            elif kind == "ACK":
                self.acknowledged.add(number)
            elif kind == "DONE":
                self.done.add(number)
                self.durations.append(float(rest.split()[1]))

    @property
    def next_number(self) -> int:
        return max(self.sent, default=0) + 1


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'app.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def reader(database_url: str) -> Iterator[SQLDataStore]:
    store = SQLDataStore(create_database_engine(database_url), retry_wait=0)
    yield store
    store.close()


def start_child(
    tmp_path: Path, database_url: str, session_id: str, first: int, turns: int = 0
) -> ForkedApp:
    data = str(tmp_path / "data")
    return ForkedApp(interview_child.run, database_url, data, session_id, first, turns)


def check_history(history: list[Message], ledger: Ledger) -> list[int]:
    """The invariants above; returns the numbers of the answers in the history."""
    assert history and history[0].role is Role.INTERVIEWER, "the opening is first"
    numbers: list[int] = []
    for previous, message in pairwise(history):
        assert message.content.strip(), "no empty message"
        if message.role is Role.INTERVIEWER:
            assert previous.role is Role.CANDIDATE, "one reply per answer, after it"
            continue
        match = ANSWER.match(message.content)
        assert match and message.content == interview_child.answer_text(int(match[1]))
        numbers.append(int(match[1]))
    assert numbers == sorted(set(numbers)), f"answers duplicated or out of order: {numbers}"
    assert set(numbers) <= ledger.sent
    assert ledger.acknowledged | ledger.done <= set(numbers), "an acknowledged answer is lost"
    for number in ledger.done:
        at = next(i for i, m in enumerate(history) if m.content.startswith(f"Answer {number}:"))
        assert at + 1 < len(history) and history[at + 1].role is Role.INTERVIEWER
    return numbers


def kill_during_a_turn(
    child: ForkedApp, ledger: Ledger, rng: random.Random, warm: float | None
) -> float:
    """Let the child's first turn end (it proves the session resumes), and a second one when
    no warm turn was timed yet, then kill it after a random share of a warm turn's length
    into the next turn; returns the warm turn's length."""
    first = ledger.next_number
    child.wait_for(f"DONE {first} ")
    if warm is None:
        first += 1
        warm = float(child.wait_for(f"DONE {first} ").split()[2])
    child.wait_for(f"SENT {first + 1}")
    time.sleep(rng.uniform(0.0, 1.3 * warm))
    child.kill()
    ledger.read(child.seen)
    return warm


def test_no_acknowledged_answer_is_lost_when_the_app_is_killed_mid_turn(
    tmp_path: Path, database_url: str, reader: SQLDataStore
) -> None:
    rng = random.Random(SEED)
    ledger = Ledger()
    session_id = "new"
    outcomes: list[str] = []
    warm: float | None = None
    for _ in range(KILLS):
        child = start_child(tmp_path, database_url, session_id, ledger.next_number)
        session_id = child.wait_for("SESSION ").split()[1]
        warm = kill_during_a_turn(child, ledger, rng, warm)
        history = reader.get_conversation_history(session_id)
        numbers = check_history(history, ledger)
        outcomes.append(_outcome(max(ledger.sent), numbers, history))
        assert reader.get_session(session_id).status is SessionStatus.ACTIVE

    last = ledger.next_number
    final = start_child(tmp_path, database_url, session_id, last, turns=1)
    assert final.finish() == 0
    ledger.read(final.seen)
    history = reader.get_conversation_history(session_id)
    assert check_history(history, ledger)[-1] == last
    assert history[-1].role is Role.INTERVIEWER
    reader.delete_session(session_id)  # leave the shared test database as it was
    print(f"kills: {KILLS}; the killed turn's answer was", _tally(outcomes))


def _outcome(number: int, numbers: list[int], history: list[Message]) -> str:
    if number not in numbers:
        return "not saved"
    return "saved with its reply" if history[-1].role is Role.INTERVIEWER else "saved, no reply"


def _tally(outcomes: list[str]) -> str:
    return ", ".join(f"{name} {outcomes.count(name)}" for name in sorted(set(outcomes)))

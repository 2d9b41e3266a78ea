"""A child app process for the kill test: the app's services (`bootstrap`) on a database,
answering one session turn after turn and saying on a pipe how far each turn got.

    SESSION <id>            the session it answers (created and started when none is given)
    SENT <i>                answer i is about to be handed to submit_answer
    ACK <i>                 the first reply token of turn i: answer i is saved
    DONE <i> <seconds>      turn i ended: its answer and the reply are saved

`run` is the process's body (TURNS 0 answers until the process is killed); the test forks it
from a warm fork server (see `warm_app`).
"""

from __future__ import annotations

import time
from itertools import count
from multiprocessing.connection import Connection
from pathlib import Path

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.models import CommunicationMode, SessionConfig

USER = "kill-9-candidate"  # apart from other tests' sessions on a shared database
POINTS = (
    "I would put a load balancer in front of stateless API servers.",
    "Writes go to a primary database with two read replicas for the feed.",
    "Hot keys are cached in Redis with a five minute TTL.",
    "We shard by user id so one user's data lives on one shard.",
    "A queue decouples uploads from the thumbnail workers.",
    "Rate limiting uses a token bucket per API key.",
)


def answer_text(number: int) -> str:
    """Answer `number`'s text: unique, so the history shows which answers were saved."""
    return f"Answer {number}: {POINTS[number % len(POINTS)]}"


def open_session(app: Services, session_id: str) -> str:
    if session_id != "new":
        return app.session_manager.get_session(session_id).id
    manager = app.session_manager
    session = manager.create_session(SessionConfig([CommunicationMode.TEXT], "builtin", "rubric"))
    manager.start_session(session.id)
    return session.id


def answer(app: Services, session_id: str, number: int, out: Connection) -> None:
    acknowledged: list[str] = []

    def on_token(token: str) -> None:
        if not acknowledged:
            acknowledged.append(token)
            out.send(f"ACK {number}")

    out.send(f"SENT {number}")
    started = time.perf_counter()
    app.session_manager.submit_answer(session_id, answer_text(number), on_token=on_token)
    out.send(f"DONE {number} {time.perf_counter() - started:.4f}")


def run(
    out: Connection, database_url: str, data_dir: str, session_id: str, first: int, turns: int
) -> None:
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        data_dir=Path(data_dir),
        log_to_file=False,
        default_user_id=USER,
    )
    app = bootstrap(settings, console_logs=False)
    session = open_session(app, session_id)
    out.send(f"SESSION {session}")
    numbers = count(first) if turns == 0 else range(first, first + turns)
    for number in numbers:
        answer(app, session, number, out)
    app.close()

"""Two app processes on one database serve the same user: an interview started in process A
goes on in process B; both see one history in order and the same token total, a Pause in B
stops answers in A until A resumes, and an End in B closes it for A. Each process is a real
OS process with its own composition root (`bootstrap`), as two `interview-platform run`
servers behind a load balancer would be.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interview_platform.storage.database import create_database_engine
from interview_platform.storage.sql_store import SQLDataStore
from tests.integration.faults import app_process
from tests.integration.faults.child_process import ChildProcess
from tests.support.fake_provider_server import FakeProviderServer, text

SCRIPT = Path(app_process.__file__)
OPENING = "Hi! Today we design a URL shortener. What would you clarify first?"
FIRST = "Good. How would you generate short codes without collisions?"
SECOND = "And how would you serve 10,000 redirects a second?"
THIRD = "What happens when a cache node fails?"
USER = f"candidate-{uuid.uuid4().hex[:8]}"  # this module's own user on the shared database


class AppProcess:
    def __init__(self, database_url: str, tmp_path: Path, provider: FakeProviderServer) -> None:
        arguments = [database_url, str(tmp_path / "data"), provider.url]
        self._child = ChildProcess(SCRIPT, arguments, tmp_path)

    def do(self, command: str, **arguments: Any) -> dict[str, Any]:
        self._child.send(json.dumps({"command": command, **arguments}))
        result: dict[str, Any] = json.loads(self._child.wait_for("{"))
        return result

    def close(self) -> None:
        self._child.close_input()
        assert self._child.finish() == 0, self._child.errors()


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        return url
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    store = SQLDataStore(create_database_engine(url), retry_wait=0)
    store.initialize_schema()
    store.close()
    return url


@pytest.fixture
def processes(
    database_url: str, tmp_path: Path, server: FakeProviderServer
) -> Iterator[tuple[AppProcess, AppProcess]]:
    first = AppProcess(database_url, tmp_path, server)
    second = AppProcess(database_url, tmp_path, server)
    yield first, second
    first.close()
    second.close()


def test_an_interview_started_in_one_process_goes_on_and_pauses_in_another(
    processes: tuple[AppProcess, AppProcess], server: FakeProviderServer
) -> None:
    a, b = processes
    server.script(
        text(OPENING, 300, 20), text(FIRST, 400, 30), text(SECOND, 500, 40), text(THIRD, 10, 1)
    )
    session_id = a.do("start", user=USER)["session"]
    assert a.do("answer", session=session_id, text="Who are the users?")["reply"] == FIRST

    assert b.do("open", user=USER) == {"session": session_id}
    assert b.do("state", session=session_id) == a.do("state", session=session_id)
    assert b.do("answer", session=session_id, text="A base62 counter per shard.")["reply"] == SECOND
    expected = [
        ["interviewer", OPENING],
        ["candidate", "Who are the users?"],
        ["interviewer", FIRST],
        ["candidate", "A base62 counter per shard."],
        ["interviewer", SECOND],
    ]
    for process in (a, b):
        assert process.do("state", session=session_id) == {
            "status": "active",
            "history": expected,
            "tokens": 320 + 430 + 540,
        }

    assert b.do("pause", session=session_id) == {"status": "paused"}
    assert a.do("state", session=session_id)["status"] == "paused"
    refused = a.do("answer", session=session_id, text="Consistent hashing.")
    assert refused["error"] == "InvalidTransitionError"
    assert "paused; resume it first" in refused["message"]
    assert a.do("pause", session=session_id)["error"] == "InvalidTransitionError"

    assert a.do("resume", session=session_id) == {"status": "active"}
    assert b.do("answer", session=session_id, text="Consistent hashing.")["reply"] == THIRD
    assert b.do("end", session=session_id) == {"status": "completed"}
    assert a.do("open", user=USER) == {"session": None}
    final = a.do("state", session=session_id)
    assert final["history"][len(expected) :] == [
        ["candidate", "Consistent hashing."],
        ["interviewer", THIRD],
    ]
    assert final["tokens"] == 320 + 430 + 540 + 11

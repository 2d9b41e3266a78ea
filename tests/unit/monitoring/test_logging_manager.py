"""LoggingManager: the JSON file, the audit_logs handler, secret masking and rotation."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from interview_platform.core.models import LogEntry
from interview_platform.monitoring.logging_manager import LoggingConfig, LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_session

SECRET = "hunter2-configured-secret"
OPENAI_LIKE = "sk-proj-abcdefghijklmnop1234"

ManagerFactory = Callable[..., LoggingManager]


@pytest.fixture
def store() -> InMemoryDataStore:
    return InMemoryDataStore()


@pytest.fixture
def session_id(store: InMemoryDataStore) -> str:
    session = make_session()
    store.save_session(session)
    return session.id


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "logs" / "app.log"


@pytest.fixture
def make_manager(log_path: Path, store: InMemoryDataStore) -> Iterator[ManagerFactory]:
    made: list[LoggingManager] = []

    def build(data_store: Any = None, **changes: Any) -> LoggingManager:
        values: dict[str, Any] = {"console": False, "file_path": log_path, "to_db": True}
        values.update(changes)
        manager = LoggingManager(LoggingConfig(**values), data_store or store)
        made.append(manager)
        return manager

    yield build
    for manager in made:
        manager.close()


def file_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_file_lines_are_structured_json(
    make_manager: ManagerFactory, log_path: Path, session_id: str
) -> None:
    manager = make_manager()
    manager.info("SessionManager", "start", "session started", session_id=session_id, mode="text")
    manager.warning("SessionManager", "pause", "session paused", session_id=session_id)

    lines = file_lines(log_path)

    assert [line["event"] for line in lines] == ["session started", "session paused"]
    assert [line["level"] for line in lines] == ["info", "warning"]
    for line in lines:
        assert line["component"] == "SessionManager"
        assert line["session_id"] == session_id
        assert line["timestamp"].endswith("Z")
    assert [line["operation"] for line in lines] == ["start", "pause"]
    assert lines[0]["mode"] == "text"


def test_database_stores_warning_and_above_by_default(
    make_manager: ManagerFactory, store: InMemoryDataStore, session_id: str
) -> None:
    manager = make_manager()
    manager.info("Comp", "quiet", "not stored", session_id=session_id)
    manager.warning("Comp", "loud", "stored", session_id=session_id, attempt=2)
    manager.log_operation("ERROR", "Comp", "louder", "also stored", session_id, {"k": "v"})

    entries = store.get_log_entries()

    assert [(e.level, e.message) for e in entries] == [
        ("ERROR", "also stored"),
        ("WARNING", "stored"),
    ]
    warning = entries[1]
    assert (warning.component, warning.operation) == ("Comp", "loud")
    assert warning.session_id == session_id
    assert warning.metadata == {"attempt": 2}
    assert warning.stack_trace is None
    assert entries[0].metadata == {"k": "v"}


def test_database_level_can_include_info(
    make_manager: ManagerFactory, store: InMemoryDataStore, session_id: str
) -> None:
    manager = make_manager(db_level="INFO")
    manager.info("Comp", "op", "now stored", session_id=session_id)

    assert [(e.level, e.message) for e in store.get_log_entries()] == [("INFO", "now stored")]


def test_no_database_rows_without_to_db(
    make_manager: ManagerFactory, store: InMemoryDataStore
) -> None:
    make_manager(to_db=False).warning("Comp", "op", "file only")

    assert store.get_log_entries() == []


def test_log_error_stores_stack_trace_and_type(
    make_manager: ManagerFactory, store: InMemoryDataStore, session_id: str, log_path: Path
) -> None:
    manager = make_manager()
    try:
        raise KeyError("missing-question")
    except KeyError as exc:
        manager.log_error("Interviewer", "ask", exc, session_id=session_id, context={"turn": 3})

    [entry] = store.get_log_entries()
    assert entry.level == "ERROR"
    assert entry.metadata == {"error_type": "KeyError", "turn": 3}
    assert entry.stack_trace is not None
    assert "Traceback" in entry.stack_trace
    assert "KeyError: 'missing-question'" in entry.stack_trace
    assert "missing-question" in entry.message
    [line] = file_lines(log_path)
    assert "KeyError" in line["exception"]


def test_secrets_are_masked_in_file_and_database(
    make_manager: ManagerFactory, store: InMemoryDataStore, session_id: str, log_path: Path
) -> None:
    manager = make_manager(secrets=(SECRET,))
    manager.warning(
        "Provider",
        "call",
        f"calling with {SECRET} and {OPENAI_LIKE}",
        session_id=session_id,
        note=f"token={SECRET}",
        api_key="plain-api-key-value",
        password="plain-password-value",
        headers={"Authorization": "Bearer plain-bearer-value", "Accept": "json"},
        tokens=[OPENAI_LIKE],
    )
    try:
        raise RuntimeError(f"refused key {OPENAI_LIKE}")
    except RuntimeError as exc:
        manager.log_error("Provider", "call", exc, session_id=session_id)

    leaked = (SECRET, OPENAI_LIKE, "plain-api-key-value", "plain-password-value", "plain-bearer")
    text = log_path.read_text(encoding="utf-8")
    rows = repr(store.get_log_entries())
    for value in leaked:
        assert value not in text
        assert value not in rows
    entry = store.get_log_entries()[1]
    assert entry.message == "calling with *** and ***"
    assert entry.metadata["api_key"] == "***"
    assert entry.metadata["headers"] == {"Authorization": "***", "Accept": "json"}
    assert entry.metadata["note"] == "token=***"
    assert entry.metadata["tokens"] == ["***"]


def test_api_call_masks_nested_credentials(
    make_manager: ManagerFactory, store: InMemoryDataStore, session_id: str
) -> None:
    manager = make_manager(db_level="INFO")
    manager.log_api_call(
        "openai",
        "chat.completions",
        {"model": "gpt-4", "headers": {"Authorization": f"Bearer {OPENAI_LIKE}"}},
        {"status": 200},
        123.456,
        session_id=session_id,
    )

    [entry] = store.get_log_entries()
    assert (entry.component, entry.operation, entry.message) == (
        "AIProvider",
        "chat.completions",
        "api_call",
    )
    assert entry.metadata["provider"] == "openai"
    assert entry.metadata["endpoint"] == "chat.completions"
    assert entry.metadata["duration_ms"] == 123.5
    assert entry.metadata["request"] == {"model": "gpt-4", "headers": {"Authorization": "***"}}
    assert entry.metadata["response"] == {"status": 200}
    assert OPENAI_LIKE not in repr(entry)


@pytest.mark.parametrize("unknown", [str(uuid.uuid4()), "not-a-session-id"])
def test_unknown_session_still_produces_an_audit_row(
    make_manager: ManagerFactory, store: InMemoryDataStore, unknown: str
) -> None:
    make_manager().warning("Comp", "op", "orphan", session_id=unknown, extra=1)

    [entry] = store.get_log_entries()
    assert entry.session_id is None
    assert entry.message == "orphan"
    assert entry.metadata == {"extra": 1, "unknown_session_id": unknown}


class FailingStore(InMemoryDataStore):
    """A store whose audit table is broken and which logs about it through the same manager."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts = 0
        self.manager: LoggingManager | None = None

    def save_log_entry(self, entry: LogEntry) -> None:
        self.attempts += 1
        if self.manager is not None:
            self.manager.warning("FailingStore", "save_log_entry", "about to fail")
        raise OSError("audit table is gone")


def test_failing_store_neither_raises_nor_recurses(
    make_manager: ManagerFactory, log_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = FailingStore()
    manager = make_manager(data_store=failing)
    failing.manager = manager

    manager.warning("Comp", "op", "first")
    manager.log_operation("ERROR", "Comp", "op", "second")

    assert failing.attempts == 2
    events = [line["event"] for line in file_lines(log_path)]
    assert events == ["first", "about to fail", "second", "about to fail"]
    assert "audit table is gone" in capsys.readouterr().err


def test_rotation_keeps_backup_count_files(make_manager: ManagerFactory, log_path: Path) -> None:
    manager = make_manager(max_bytes=2000, backup_count=2, to_db=False)
    for number in range(200):
        manager.info("Comp", "op", f"line {number} " + "x" * 40)

    logs = log_path.parent
    assert (logs / "app.log.1").exists()
    assert (logs / "app.log.2").exists()
    assert not (logs / "app.log.3").exists()
    for path in (log_path, logs / "app.log.1", logs / "app.log.2"):
        assert path.stat().st_size <= 2000
        assert all(line["component"] == "Comp" for line in file_lines(path))
    assert file_lines(log_path)[-1]["event"].startswith("line 199 ")


def test_level_filters_the_file(make_manager: ManagerFactory, log_path: Path) -> None:
    manager = make_manager(level="WARNING", to_db=False)
    manager.info("Comp", "op", "dropped")
    manager.warning("Comp", "op", "kept")

    assert [line["event"] for line in file_lines(log_path)] == ["kept"]


def test_close_detaches_handlers(make_manager: ManagerFactory, store: InMemoryDataStore) -> None:
    manager = make_manager()
    manager.close()
    manager.warning("Comp", "op", "after close")

    assert store.get_log_entries() == []

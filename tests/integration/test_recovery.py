"""The composition root on real databases: a session left open by a crash is found again."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from interview_platform.bootstrap import bootstrap
from interview_platform.config import load_settings
from interview_platform.core.models import Role, SessionStatus
from tests.conftest import make_config

CRASHING_RUN = textwrap.dedent(
    """
    import os
    from interview_platform.bootstrap import bootstrap
    from interview_platform.core.models import CommunicationMode, SessionConfig
    app = bootstrap(console_logs=False)
    config = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")
    session = app.session_manager.create_session(config)
    app.session_manager.start_session(session.id)
    app.session_manager.submit_answer(session.id, "Token bucket per API key, stored in Redis.")
    print(session.id, flush=True)
    os._exit(9)  # a crash: no clean shutdown, no end_session
    """
)


def _environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "DATA_DIR": str(tmp_path / "data"),
        "LOG_FILE_PATH": str(tmp_path / "logs" / "app.log"),
        "DATABASE_URL": database_url,
    }


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_session_open_at_a_crash_is_resumable_after_restart(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'data' / 'app.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN],
        env=_environment(tmp_path, url),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert crashed.returncode == 9, crashed.stderr
    session_id = crashed.stdout.strip()

    monkeypatch.chdir(tmp_path)
    for key, value in _environment(tmp_path, url).items():
        monkeypatch.setenv(key, value)
    app = bootstrap(load_settings(), console_logs=False)
    try:
        found = app.session_manager.get_active_session()
        assert found is not None and found.id == session_id
        assert found.status is SessionStatus.ACTIVE
        history = app.session_manager.get_conversation(session_id)
        assert [m.role for m in history] == [Role.INTERVIEWER, Role.CANDIDATE, Role.INTERVIEWER]
        assert history[1].content == "Token bucket per API key, stored in Redis."
        assert found.problem is not None and found.problem.title in history[0].content

        app.session_manager.pause_session(session_id)
        app.session_manager.resume_session(session_id)
        _, reply = app.session_manager.submit_answer(
            session_id, "And a sliding window for fairness."
        )
        assert reply is not None and reply.metadata["engine"] == "builtin"
        assert app.session_manager.end_session(session_id).status is SessionStatus.COMPLETED
        assert app.session_manager.get_active_session() is None
    finally:
        if backend == "postgresql":
            app.data_store.delete_session(session_id)
        app.close()


def test_bootstrap_on_defaults_creates_a_migrated_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    app = bootstrap(load_settings(), console_logs=False)
    try:
        session = app.session_manager.create_session(make_config())
        assert app.session_manager.get_session(session.id).id == session.id
        assert (tmp_path / "data" / "interview_platform.db").is_file()
        assert (tmp_path / "logs" / "app.log").is_file()
    finally:
        app.close()

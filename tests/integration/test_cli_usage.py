"""`interview-platform usage`: a session's tokens and cost, with estimated figures marked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_platform.core.models import TokenUsage, TokenUsageRecord
from interview_platform.storage.database import create_database_engine, migrate
from interview_platform.storage.sql_store import SQLDataStore
from tests.conftest import make_session
from tests.integration.test_cli import run_cli


@pytest.fixture
def session_id(tmp_path: Path) -> str:
    """A session in the default SQLite file with one reported and one estimated call."""
    engine = create_database_engine(f"sqlite:///{tmp_path / 'data' / 'interview_platform.db'}")
    migrate(engine, wait_multiplier=0)
    store = SQLDataStore(engine, retry_wait=0)
    session = make_session()
    store.save_session(session)
    calls = {
        "question_generation": TokenUsage(1000, 200, 1200, 0.0, "openai", "gpt-4o", False, 900),
        "evaluation": TokenUsage(30, 4, 34, 0.0, "openai", "gpt-4o", True, 1500),
    }
    for operation, usage in calls.items():
        store.save_token_usage(TokenUsageRecord(session.id, operation, usage))
    store.close()
    return session.id


def test_json_says_which_figures_are_estimated(tmp_path: Path, session_id: str) -> None:
    result = run_cli("usage", session_id, "--format", "json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["total_tokens"], report["estimated"]) == (1234, True)
    operations = report["by_operation"]
    assert operations["question_generation"]["estimated"] is False
    assert operations["question_generation"]["duration_ms"] == 900
    assert operations["evaluation"]["estimated"] is True
    assert operations["question_generation"]["cost_usd"] > 0  # priced when read


def test_text_marks_the_estimates(tmp_path: Path, session_id: str) -> None:
    result = run_cli("usage", session_id, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("question_generation: 1,200 tokens, $")
    assert lines[1].startswith("evaluation: ~34 tokens (estimated), ~$")
    assert lines[2].startswith("Total: ~1,234 tokens (estimated), ~$")
    assert "marks an estimate" in lines[3]


def test_an_unknown_session_is_refused(tmp_path: Path, session_id: str) -> None:
    result = run_cli("usage", "00000000-0000-4000-8000-000000000000", cwd=tmp_path)

    assert result.returncode == 1
    assert "Error:" in result.stderr

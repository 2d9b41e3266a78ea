"""An OpenAI-compatible server that refuses the key quotes it back, in the forms real servers
use (whole, after `Bearer `, starred in the middle, cut short, URL- and JSON-escaped); none of
them reaches app.log, the audit_logs table (SQLite and PostgreSQL), the conversation or the
errors the user sees. The key is set in config/config.yaml, as a user would."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from interview_platform.bootstrap import bootstrap
from interview_platform.config import load_settings
from interview_platform.core.ports.chat import ChatMessage
from interview_platform.errors import InterviewPlatformError
from tests.conftest import make_config
from tests.support.fake_provider_server import FakeProviderServer, Recorded, Reply, serve

KEY = f"lm/studio+{secrets.token_hex(12)}=&k"  # a local server's key may hold any character


def quoted_forms(key: str) -> dict[str, str]:
    return {
        "whole": key,
        "URL-encoded": quote(key, safe=""),
        "JSON-escaped": json.dumps(key)[1:-1],
        "first 12": key[:12],
        "last 12": key[-12:],
        "starred": f"{key[:6]}***{key[-4:]}",
    }


def refusal(status: int) -> Reply:
    def reply(request: Recorded) -> tuple[int, str, list[bytes]]:
        sent = request.headers.get("authorization", "")
        message = (
            f"Incorrect API key provided: {KEY[:6]}***{KEY[-4:]}. You sent {sent!r} "
            f'(key={quote(KEY, safe="")}); request was {{"api_key": {json.dumps(KEY)}}}; '
            f"key starts {KEY[:12]}... and ends ...{KEY[-12:]}"
        )
        body = json.dumps({"error": {"message": message, "type": "invalid_request_error"}})
        return status, "application/json", [body.encode()]

    return reply


def run_interview(server: FakeProviderServer, database_url: str | None) -> list[str]:
    """Two refused turns (401, then 500 until retries run out) and three refused calls to
    the provider itself; the conversation and the errors' texts."""
    settings = load_settings(**({"database_url": database_url} if database_url else {}))
    app = bootstrap(settings, console_logs=False)
    shown = []
    try:
        sessions = app.session_manager
        session = sessions.create_session(
            make_config(ai_provider="openai_compatible", ai_model="local-model"), "alice"
        )
        for status in (401, 500):
            server.script(*[refusal(status)] * settings.ai.max_retries)
            try:
                if status == 401:
                    sessions.start_session(session.id)
                else:
                    sessions.submit_answer(session.id, "Shard by merchant id.")
            except InterviewPlatformError as exc:
                shown += _platform_messages(exc)
        shown.append(repr(sessions.get_conversation(session.id)))
        provider = app.provider_registry.create("openai_compatible", settings)
        for status in (401, 500, 400):
            server.script(refusal(status))
            try:
                provider.complete([ChatMessage("user", "Hello")])
            except InterviewPlatformError as exc:
                shown += _platform_messages(exc)
    finally:
        app.close()
    return shown


def _platform_messages(error: BaseException | None) -> list[str]:
    """The messages of the app's own errors in the chain (what a page or the CLI shows)."""
    found = []
    while isinstance(error, InterviewPlatformError):
        found.append(str(error))
        error = error.__cause__
    return found


def audit_rows(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT * FROM audit_logs")).all()
            conversation = connection.execute(text("SELECT * FROM conversations")).all()
    finally:
        engine.dispose()
    return "\n".join(repr(tuple(row)) for row in [*rows, *conversation])


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_refused_key_quoted_back_is_masked_everywhere(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    database_url = request.getfixturevalue("postgres_url") if backend == "postgresql" else None
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    with serve() as server:
        (tmp_path / "config" / "config.yaml").write_text(
            f"ai:\n  openai_compatible_base_url: {server.url}/v1\n"
            f"  openai_compatible_api_key: '{KEY}'\n"
            "  retry_delay_seconds: 0\n  max_retries: 2\n",
            encoding="utf-8",
        )
        for name in ("DATABASE_URL", "CONFIG_FILE", "LOG_FILE_PATH", "DATA_DIR"):
            monkeypatch.delenv(name, raising=False)
        shown = run_interview(server, database_url)
        sent = {r.headers.get("authorization") for r in server.requests}

    assert sent == {f"Bearer {KEY}"}, "the key did not travel to the server"
    log = (tmp_path / "logs" / "app.log").read_text(encoding="utf-8")
    rows = audit_rows(database_url or f"sqlite:///{tmp_path / 'data' / 'interview_platform.db'}")
    assert "Incorrect API key provided" in log and "Incorrect API key provided" in rows
    places = {"app.log": log, "audit_logs and conversations": rows, "errors": "\n".join(shown)}
    assert "Incorrect API key provided" in places["errors"], shown
    leaks = [
        f"{place}: {form}"
        for place, found in places.items()
        for form, needle in quoted_forms(KEY).items()
        if needle in found or json.dumps(needle)[1:-1] in found
    ]
    assert leaks == []

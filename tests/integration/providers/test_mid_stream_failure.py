"""A provider that fails after its reply has started streaming, served on loopback.

The OpenAI server here sends the opening whole, then the next reply's first pieces and either
drops the connection or sends an error event. The interview goes on on the fallback (or the
built-in interviewer): the listener is told to discard the partial text before the fallback's
reply streams, and the history keeps only the fallback's reply.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import pytest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.core.ai_interviewer import FALLBACK_FROM
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import ExperienceLevel, Role
from interview_platform.core.ports.chat import estimate_tokens, is_stream_reset
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_config
from tests.integration.conftest import settings_for
from tests.support.fake_provider_server import (
    FakeProviderServer,
    Recorded,
    error,
    pieces,
    text,
)

OPENING = "Hi! Today we design a URL shortener. What would you like to clarify first?"
CUT_OFF = "Interesting choice. Before we go deeper, let me ask how the counter survives"
SHOWN = 4  # pieces of CUT_OFF the server sends before it fails
PARTIAL = "".join(pieces(CUT_OFF)[:SHOWN])
FALLBACK = "Good. How would you generate short codes without collisions at this scale?"
ANSWER = "I would use a base62 counter from a key generation service, cached in Redis."
BRIEF = brief_for(default_bank().get("url-shortener"), ExperienceLevel.SENIOR)
Failure = Literal["drop", "error event"]


@dataclass
class FailingOpenAI:
    """An OpenAI chat-completions server: the first request gets OPENING, every later one
    SHOWN pieces of CUT_OFF, then the failure."""

    failure: Failure
    port: int = 0
    requests: list[Recorded] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reply(self, request: Recorded) -> tuple[list[bytes], bool]:
        """The body to send, and whether to drop the connection after it."""
        self.requests.append(request)
        if len(self.requests) == 1:
            return text(OPENING)(request)[2], False
        shown = text(CUT_OFF)(request)[2][:SHOWN]
        if self.failure == "drop":
            return shown, True
        error = {"error": {"message": "The server had an error", "type": "server_error"}}
        return [*shown, f"event: error\ndata: {json.dumps(error)}\n\n".encode()], False


@contextmanager
def failing_openai(failure: Failure) -> Iterator[FailingOpenAI]:
    state = FailingOpenAI(failure)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {key.lower(): value for key, value in self.headers.items()}
            chunks, drop = state.reply(Recorded(self.path, headers, json.loads(raw or b"{}")))
            promised = sum(len(c) for c in chunks) + (10_000 if drop else 0)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", str(promised))
            self.end_headers()
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
            self.close_connection = drop  # the rest of the promised body never comes

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def interview(app: Services) -> str:
    config = make_config(ai_provider="openai", ai_model="gpt-4o-mini")
    session = app.session_manager.create_session(config, problem=BRIEF)
    app.session_manager.start_session(session.id)
    return session.id


def after_last_reset(events: list[str]) -> str:
    resets = [i for i, event in enumerate(events) if is_stream_reset(event)]
    return "".join(events[resets[-1] + 1 :] if resets else events)


def run(
    server: FakeProviderServer, failure: Failure, fallback: str | None
) -> tuple[Services, str, list[str]]:
    with failing_openai(failure) as openai:
        settings = settings_for(server, openai_base_url=openai.url, fallback_provider=fallback)
        app = bootstrap(settings, data_store=InMemoryDataStore(), migrate=False, console_logs=False)
        session_id = interview(app)
        events: list[str] = []
        app.session_manager.submit_answer(session_id, ANSWER, on_token=events.append)
        assert len(openai.requests) == 2  # the cut-off reply is not retried on openai
    return app, session_id, events


@pytest.mark.parametrize("failure", ["drop", "error event"])
def test_the_fallbacks_reply_replaces_the_one_cut_off_mid_stream(
    server: FakeProviderServer, failure: Failure
) -> None:
    server.script(text(FALLBACK, input_tokens=300, output_tokens=15))

    app, session_id, events = run(server, failure, "anthropic")

    stored = f"(Continuing with anthropic.)\n\n{FALLBACK}"
    resets = [i for i, event in enumerate(events) if is_stream_reset(event)]
    assert "".join(events[: resets[0]]) == PARTIAL  # the candidate saw the partial text...
    assert len(resets) == 1 and "".join(events[resets[0] + 1 :]) == stored  # ...then only this
    history = app.session_manager.get_conversation(session_id)
    assert [(m.role, m.content) for m in history] == [
        (Role.INTERVIEWER, OPENING),
        (Role.CANDIDATE, ANSWER),
        (Role.INTERVIEWER, stored),
    ]
    assert PARTIAL.strip() not in history[-1].content
    assert history[-1].metadata["engine"] == "anthropic"
    assert history[-1].metadata[FALLBACK_FROM] == [
        {
            "provider": "openai",
            "model": "gpt-4o-mini",
            "mid_stream": True,
            "streamed_chars": len(PARTIAL),
        }
    ]


def test_the_cut_off_calls_tokens_are_still_counted(server: FakeProviderServer) -> None:
    """OpenAI reports usage only in its last chunk, so the cut-off call's is estimated."""
    server.script(text(FALLBACK, input_tokens=300, output_tokens=15))

    app, session_id, _ = run(server, "drop", "anthropic")

    replies = [
        r.usage
        for r in app.data_store.get_token_usage(session_id)
        if r.operation == "response_analysis"
    ]
    assert [(u.provider, u.output_tokens) for u in replies] == [
        ("openai", estimate_tokens(PARTIAL)),
        ("anthropic", 15),
    ]
    assert replies[0].input_tokens > estimate_tokens(ANSWER)  # the prompt it was sent
    assert [u.estimated for u in replies] == [True, False]  # the flag is stored with the call
    assert all(u.duration_ms is not None for u in replies)


def test_without_a_fallback_provider_the_builtin_interviewer_replaces_it(
    server: FakeProviderServer,
) -> None:
    app, session_id, events = run(server, "drop", None)

    history = app.session_manager.get_conversation(session_id)
    assert [m.role for m in history] == [Role.INTERVIEWER, Role.CANDIDATE, Role.INTERVIEWER]
    reply = history[-1]
    assert reply.metadata["engine"] == "builtin"
    assert reply.metadata[FALLBACK_FROM][0]["mid_stream"] is True
    assert PARTIAL.strip() not in reply.content
    assert after_last_reset(events) == reply.content
    assert any(is_stream_reset(event) for event in events)
    assert server.requests == []


def test_a_provider_failing_before_it_streams_needs_no_reset(server: FakeProviderServer) -> None:
    server.script(text(OPENING), *[error(503, "overloaded")] * 3, text(FALLBACK))
    settings = settings_for(server, fallback_provider="anthropic")
    app = bootstrap(settings, data_store=InMemoryDataStore(), migrate=False, console_logs=False)
    session_id = interview(app)
    events: list[str] = []

    _, reply = app.session_manager.submit_answer(session_id, ANSWER, on_token=events.append)

    assert reply is not None
    assert not any(is_stream_reset(event) for event in events)
    assert "".join(events) == reply.content == f"(Continuing with anthropic.)\n\n{FALLBACK}"
    assert reply.metadata[FALLBACK_FROM] == [
        {"provider": "openai", "model": "gpt-4o-mini", "mid_stream": False, "streamed_chars": 0}
    ]

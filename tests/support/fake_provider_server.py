"""A fake AI provider: a real HTTP server on 127.0.0.1 that speaks the providers' protocols
from a script, so the real provider clients (LangChain's) are tested over the wire.

Each request takes the next scripted reply; a reply is a function of the request that
returns (status, content type, body chunks). The helpers below write replies the way
OpenAI's chat completions, Anthropic's messages and Ollama's chat endpoints do, streamed
or not as the client asked.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Body = list[bytes]
Reply = Callable[["Recorded"], tuple[int, str, Body]]


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]  # names in lower case
    body: dict[str, Any]

    @property
    def streamed(self) -> bool:
        return bool(self.body.get("stream"))


@dataclass
class FakeProviderServer:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[Recorded] = field(default_factory=list)
    port: int = 0
    default: Reply | None = None  # answers when no scripted reply is left

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def next_reply(self, request: Recorded) -> tuple[int, str, Body]:
        self.requests.append(request)
        if self.replies:
            return self.replies.popleft()(request)
        if self.default is not None:
            return self.default(request)
        return error(500, "no reply scripted")(request)


@contextmanager
def serve() -> Iterator[FakeProviderServer]:
    """Run a server on a free port of 127.0.0.1 for the duration of the `with` block."""
    state = FakeProviderServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length) if length else b"{}"
            headers = {key.lower(): value for key, value in self.headers.items()}
            request = Recorded(self.path, headers, json.loads(raw or b"{}"))
            status, content_type, chunks = state.next_reply(request)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(sum(len(c) for c in chunks)))
            self.end_headers()
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()

        def do_GET(self) -> None:
            self.do_POST()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def error(status: int, message: str = "error") -> Reply:
    body = json.dumps({"error": {"message": message, "type": "server_error"}}).encode()
    return lambda request: (status, "application/json", [body])


def text(content: str, input_tokens: int | None = 17, output_tokens: int = 5) -> Reply:
    """A reply with `content`, in the protocol and mode (stream or not) of the request.

    `input_tokens` None counts the request's messages, about four characters a token, as a
    real server would report them.
    """

    def reply(request: Recorded) -> tuple[int, str, Body]:
        if input_tokens is None:
            return _reply(request, content, prompt_tokens(request), output_tokens)
        return _reply(request, content, input_tokens, output_tokens)

    return reply


def prompt_tokens(request: Recorded) -> int:
    """The request's messages (and system prompt) in tokens, about four characters each."""
    sent = json.dumps(request.body.get("messages", [])) + str(request.body.get("system", ""))
    return max(1, len(sent) // 4)


def _reply(
    request: Recorded, content: str, input_tokens: int, output_tokens: int
) -> tuple[int, str, Body]:
    if request.path.endswith("/chat/completions"):
        return _openai(request, content, input_tokens, output_tokens)
    if request.path.endswith("/messages"):
        return _anthropic(request, content, input_tokens, output_tokens)
    if request.path.endswith("/api/chat"):
        return _ollama(request, content, input_tokens, output_tokens)
    return error(404, f"unknown path {request.path}")(request)


def pieces(content: str) -> list[str]:
    """How the streamed replies cut `content`: word by word, spaces kept."""
    words = content.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


def _sse(events: list[tuple[str | None, dict[str, Any] | str]]) -> Body:
    chunks = []
    for event, data in events:
        payload = data if isinstance(data, str) else json.dumps(data)
        prefix = f"event: {event}\n" if event else ""
        chunks.append(f"{prefix}data: {payload}\n\n".encode())
    return chunks


def _openai(
    request: Recorded, content: str, input_tokens: int, output_tokens: int
) -> tuple[int, str, Body]:
    model = request.body.get("model", "model")
    usage = {
        "prompt_tokens": input_tokens,
        "completion_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
    }
    if not request.streamed:
        body = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": usage,
        }
        return 200, "application/json", [json.dumps(body).encode()]
    base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": model}
    events: list[tuple[str | None, dict[str, Any] | str]] = [
        (
            None,
            {
                **base,
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            },
        )
        for piece in pieces(content)
    ]
    events.append((None, {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
    events.append((None, {**base, "choices": [], "usage": usage}))
    events.append((None, "[DONE]"))
    return 200, "text/event-stream", _sse(events)


def _anthropic(
    request: Recorded, content: str, input_tokens: int, output_tokens: int
) -> tuple[int, str, Body]:
    model = request.body.get("model", "claude")
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": model,
        "stop_reason": None,
        "stop_sequence": None,
    }
    if not request.streamed:
        body = {
            **message,
            "content": [{"type": "text", "text": content}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }
        return 200, "application/json", [json.dumps(body).encode()]
    events: list[tuple[str | None, dict[str, Any] | str]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    **message,
                    "content": [],
                    "usage": {"input_tokens": input_tokens, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
    ]
    events.extend(
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
        )
        for p in pieces(content)
    )
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return 200, "text/event-stream", _sse(events)


def _ollama(
    request: Recorded, content: str, input_tokens: int, output_tokens: int
) -> tuple[int, str, Body]:
    model = request.body.get("model", "llama")
    stamp = "2026-11-27T00:00:00Z"
    final = {
        "model": model,
        "created_at": stamp,
        "message": {"role": "assistant", "content": ""},
        "done": True,
        "done_reason": "stop",
        "total_duration": 1000,
        "load_duration": 10,
        "prompt_eval_count": input_tokens,
        "prompt_eval_duration": 10,
        "eval_count": output_tokens,
        "eval_duration": 10,
    }
    if request.body.get("stream") is False:
        whole = {**final, "message": {"role": "assistant", "content": content}}
        return 200, "application/json", [json.dumps(whole).encode()]
    lines = [
        json.dumps(
            {
                "model": model,
                "created_at": stamp,
                "message": {"role": "assistant", "content": piece},
                "done": False,
            }
        ).encode()
        + b"\n"
        for piece in pieces(content)
    ]
    lines.append(json.dumps(final).encode() + b"\n")
    return 200, "application/x-ndjson", lines

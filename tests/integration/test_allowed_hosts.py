"""DNS rebinding: a page on another name that resolves to the app's address reaches the app
with its own name in the Host header. `interview-platform run` answers only the hosts it is
known by (loopback names, its --host, ALLOWED_HOSTS): others get no page and no websocket."""

from __future__ import annotations

import base64
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import free_port, running_server

CONFIGURED = "interview.example.org"


@pytest.fixture(scope="module")
def app_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The real app on 127.0.0.1, with one extra name in ALLOWED_HOSTS."""
    workdir = tmp_path_factory.mktemp("app")
    port = free_port()
    cli = str(Path(sys.executable).parent / "interview-platform")
    command = [cli, "run", "--port", str(port), "--host", "127.0.0.1"]
    with running_server(workdir, command, port, env={"ALLOWED_HOSTS": CONFIGURED}):
        yield port


def status_of(port: int, host: str, *, websocket: bool, origin: str | None = None) -> int:
    """The HTTP status the app answers a raw request (or websocket handshake) with."""
    lines = [f"GET {'/_stcore/stream' if websocket else '/'} HTTP/1.1", f"Host: {host}"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    if websocket:
        key = base64.b64encode(os.urandom(16)).decode()
        lines += [
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
    else:
        lines.append("Connection: close")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = connection.recv(4096).decode("latin-1")
    return int(head.split(" ", 2)[1])


@pytest.mark.parametrize("websocket", [True, False], ids=["websocket", "page"])
@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", ""]
)
def test_another_host_is_refused(app_port: int, host: str, websocket: bool) -> None:
    named = host.format(port=app_port)
    origin = f"http://{named}" if named else None
    assert status_of(app_port, named, websocket=websocket, origin=origin) in {400, 403}


@pytest.mark.parametrize("websocket", [True, False], ids=["websocket", "page"])
@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "localhost", CONFIGURED]
)
def test_the_apps_own_hosts_are_served(app_port: int, host: str, websocket: bool) -> None:
    named = host.format(port=app_port)
    expected = 101 if websocket else 200
    assert status_of(app_port, named, websocket=websocket, origin=f"http://{named}") == expected

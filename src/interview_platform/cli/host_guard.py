"""The app answers only the names it is known by, so a DNS-rebinding page cannot drive it.

Such a page, on a name the attacker points at the app's address, reaches the app with its own
name in the Host header. Streamlit checks websocket handshakes against `server.allowedHosts`
(set from ours), but serves its pages and files to any Host; `guard_streamlit` wraps the ASGI
app Streamlit's server builds, so a request for another Host gets 400 and a handshake 403
before Streamlit sees either.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from interview_platform.config import Settings
from interview_platform.errors import ConfigurationError

NAME = re.compile(r"[a-z0-9._:-]+")  # a DNS name or an IP address, lowered by urlsplit
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
ANY_ADDRESS = frozenset({"0.0.0.0", "::", "[::]", ""})
STREAMLIT_SERVER = "streamlit.web.server.starlette.starlette_server"
REFUSAL = b"This app answers only the names in ALLOWED_HOSTS (and localhost).\n"


def allowed_hosts(settings: Settings, bind_host: str) -> tuple[str, ...]:
    """Loopback names, the address the app binds to (unless it is every address) and
    ALLOWED_HOSTS."""
    own = () if bind_host in ANY_ADDRESS else (bind_host.strip("[]").lower(),)
    return tuple(dict.fromkeys([*LOOPBACK_NAMES, *own, *settings.allowed_hosts]))


def startup_notice(hosts: Sequence[str], bind_host: str) -> str | None:
    """On every address, the names the app still refuses must be listed: say so."""
    if bind_host not in ANY_ADDRESS or "*" in hosts:
        return None
    return (
        f"Answering requests for {', '.join(hosts)} only; to open the app by another name "
        "or address, add it to ALLOWED_HOSTS."
    )


def host_name(header: str) -> str | None:
    """The name in a Host header (port dropped, IPv6 brackets removed); None if malformed."""
    try:
        parts = urlsplit(f"//{header}")
        _ = parts.port  # a port that is no number is malformed
    except ValueError:
        return None
    extra = parts.username or parts.password or parts.path or parts.query or parts.fragment
    if not parts.hostname or extra or not NAME.fullmatch(parts.hostname):
        return None
    return parts.hostname.rstrip(".")


def host_allowed(header: str, allowed: Sequence[str]) -> bool:
    """`*` allows any name, `*.example.org` any name under example.org."""
    name = host_name(header)
    if name is None:
        return False
    return any(
        pattern == "*" or name == pattern or (pattern[:2] == "*." and name.endswith(pattern[1:]))
        for pattern in allowed
    )


class HostGuard:
    """ASGI middleware: requests and websocket handshakes for another Host are refused."""

    def __init__(self, app: ASGIApp, allowed: Sequence[str]) -> None:
        self.app = app
        self.allowed = tuple(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or host_allowed(_host(scope), self.allowed):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # the server answers 403
        else:
            headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(REFUSAL))]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": REFUSAL})


def _host(scope: Scope) -> str:
    found = (value for name, value in scope.get("headers", []) if name.lower() == b"host")
    return bytes(next(found, b"")).decode("latin-1")


def guard_streamlit(allowed: Sequence[str]) -> None:
    """Put HostGuard in front of the ASGI app the Streamlit server of this process builds."""
    try:
        starlette_server = importlib.import_module(STREAMLIT_SERVER)
    except ImportError:  # Streamlit before its Starlette server
        starlette_server = None
    build = getattr(starlette_server, "create_starlette_app", None)
    if build is None:
        raise ConfigurationError(
            "This Streamlit version builds its server in a way the app's Host check does not "
            "know; install the Streamlit version pyproject.toml names."
        )

    def guarded(runtime: object) -> HostGuard:
        return HostGuard(build(runtime), allowed)

    setattr(starlette_server, "create_starlette_app", guarded)  # noqa: B010

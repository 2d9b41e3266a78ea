"""A second (or first) app process for the several-processes tests: the app's services
(`bootstrap`) on a shared database, driven by one JSON command a line on stdin, answering
one JSON line on stdout each.

Run as `python app_process.py DATABASE_URL DATA_DIR PROVIDER_URL`; every provider points at
PROVIDER_URL (a loopback server the test scripts).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import AISettings, Settings
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import CommunicationMode, ExperienceLevel, SessionConfig
from interview_platform.errors import InterviewPlatformError

KEY = "sk-test-0123456789abcdefghijklmnop"
CONFIG = SessionConfig([CommunicationMode.TEXT], "openai", "gpt-4o-mini")
Command = Callable[[Services, dict[str, Any]], dict[str, Any]]


def start(app: Services, request: dict[str, Any]) -> dict[str, Any]:
    problem = brief_for(default_bank().get("url-shortener"), ExperienceLevel.SENIOR)
    session = app.session_manager.create_session(CONFIG, request["user"], problem=problem)
    app.session_manager.start_session(session.id)
    return {"session": session.id}


def open_session(app: Services, request: dict[str, Any]) -> dict[str, Any]:
    found = app.session_manager.get_active_session(request["user"])
    return {"session": found.id if found else None}


def answer(app: Services, request: dict[str, Any]) -> dict[str, Any]:
    _, reply = app.session_manager.submit_answer(request["session"], request["text"])
    return {"reply": reply.content if reply else None}


def state(app: Services, request: dict[str, Any]) -> dict[str, Any]:
    session = app.session_manager.get_session(request["session"])
    history = app.session_manager.get_conversation(session.id)
    return {
        "status": session.status.value,
        "history": [[m.role.value, m.content] for m in history],
        "tokens": app.token_tracker.get_budget(session.id).used,
    }


def transition(name: str) -> Command:
    def run(app: Services, request: dict[str, Any]) -> dict[str, Any]:
        session = getattr(app.session_manager, f"{name}_session")(request["session"])
        return {"status": session.status.value}

    return run


COMMANDS: dict[str, Command] = {
    "start": start,
    "open": open_session,
    "answer": answer,
    "state": state,
    "pause": transition("pause"),
    "resume": transition("resume"),
    "end": transition("end"),
}


def main(database_url: str, data_dir: str, provider_url: str) -> None:
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        data_dir=Path(data_dir),
        log_to_file=False,
        openai_api_key=KEY,
        ai=AISettings(openai_base_url=f"{provider_url}/v1", retry_delay_seconds=0),
    )
    app = bootstrap(settings, migrate=False, console_logs=False)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            result = COMMANDS[request["command"]](app, request)
        except InterviewPlatformError as exc:
            result = {"error": type(exc).__name__, "message": str(exc)}
        print(json.dumps(result), flush=True)
    app.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])

"""Candidate text fetches nothing: Markdown images in answers, in the interviewer's replies
that quote them (streamed and stored), in a resume, in a written problem's title and in a
model name reach no outside server, on any page that shows them.

The "tracker" is a real HTTP server on loopback, counting every request; the interviewer is a
loopback server speaking OpenAI's protocol that quotes each answer back. Each image is written
the ways Markdown hides one from a naive escape: inline, by reference, after an escaped
backtick, after a fence that is no fence, or inside a code span opened on the line before.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from interview_platform.bootstrap import bootstrap
from interview_platform.config import AISettings, Settings
from interview_platform.core.interviewer.selection import custom_brief
from interview_platform.errors import InterviewPlatformError
from tests.conftest import make_config
from tests.support.browser import SETTLED, free_port, running_server
from tests.support.fake_provider_server import FakeProviderServer, Recorded, serve, text

WAIT_MS = 60_000
USER = "tracked"
KEY = "sk-test-images-0123456789abcdef"


def payloads(tracker: str) -> dict[str, str]:
    """Answers that each hide an image from `tracker` (its path names the trick)."""
    return {
        "inline": f"A CDN in front: ![a]({tracker}/inline.png)",
        "reference": f"See ![b][r] for the layout.\n\n[r]: {tracker}/reference.png",
        "escaped backtick": f"Use \\`![c]({tracker}/backtick.png)\\` for reads",
        "fence mismatch": f"~~~\n```\n~~~\n![d]({tracker}/fence.png)",
        "fence in a list": f"- shards\n   ```\n![e]({tracker}/list-fence.png)\n   ```",
        "code across lines": f"`a\nb` ![f]({tracker}/split-span.png) `c`",
        "fence with a backtick": f"``` a`b\n![g]({tracker}/info.png)\n```",
        "indented fence": f"Queues.\n\n    ```\n![h]({tracker}/indented.png)",
    }


class Tracker:
    """An HTTP server on loopback that notes every path asked of it."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.url = ""


@contextmanager
def tracking() -> Iterator[Tracker]:
    tracker = Tracker()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            tracker.paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tracker.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield tracker
    finally:
        server.shutdown()
        server.server_close()


def quoting(request: Recorded) -> tuple[int, str, list[bytes]]:
    """The interviewer's reply: the last thing the candidate said, quoted."""
    said = [m for m in request.body.get("messages", []) if m.get("role") == "user"]
    last = str(said[-1]["content"]) if said else ""
    return text(f"You said:\n\n{last}\n\nWhy?")(request)


def settings_for(server: FakeProviderServer, workdir: Path) -> Settings:
    return Settings(
        _env_file=None,
        openai_api_key=KEY,
        data_dir=workdir / "data",
        log_file_path=workdir / "logs" / "app.log",
        ai=AISettings(openai_base_url=f"{server.url}/v1", retry_delay_seconds=0, max_retries=1),
    )


def seed(settings: Settings, tracker: str) -> tuple[str, str]:
    """A resume, a finished interview (every trick as an answer, quoted back, evaluated) and
    an open one, both on a written problem and a model named with an image. Their ids."""
    app = bootstrap(settings, console_logs=False)
    try:
        app.resume_manager.paste_resume(
            f"Jane ![n]({tracker}/name.png) Doe\nSenior backend engineer, 8 years.\n"
            f"Skills: Python, ![s]({tracker}/skills.png) Kafka, PostgreSQL\n"
            f"Summary: built payments ![y]({tracker}/summary.png) at scale.\n",
            USER,
        )
        config = make_config(ai_provider="openai", ai_model=f"gpt ![m]({tracker}/model.png)")
        problem = custom_brief(f"![t]({tracker}/title.png) Design a photo service for schools")
        sessions = app.session_manager
        done = sessions.create_session(config, USER, problem=problem)
        sessions.start_session(done.id)
        for answer in payloads(tracker).values():
            sessions.submit_answer(done.id, answer)
        sessions.end_session(done.id)
        sessions.evaluate_session(done.id)
        still_open = sessions.create_session(config, USER, problem=problem)
        sessions.start_session(still_open.id)
        return done.id, still_open.id
    finally:
        app.close()


def visit(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def images_from(page: Page, tracker: str) -> list[str]:
    """The paths of the page's images that the tracker serves."""
    sources = page.eval_on_selector_all("img", "all => all.map(i => i.src)")
    return sorted({str(s).removeprefix(tracker) for s in sources if str(s).startswith(tracker)})


def browse(page: Page, url: str, tracker: str, ids: tuple[str, str]) -> list[str]:
    """Every page that shows the texts; the tracker's images each page holds."""
    done_id, open_id = ids
    seen: dict[str, list[str]] = {}
    visit(page, f"{url}/interview?user={USER}&session={open_id}")
    expect(page.get_by_text("You said:").first).to_be_visible(timeout=WAIT_MS)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(payloads(tracker)["inline"])  # the reply quoting it streams in, then is stored
    box.press("Enter")
    expect(page.get_by_text("Why?")).to_have_count(2, timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    seen["interview"] = images_from(page, tracker)
    visit(page, f"{url}/evaluation?user={USER}&session={done_id}")
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=WAIT_MS)
    seen["evaluation"] = images_from(page, tracker)
    visit(page, f"{url}/history?user={USER}")
    expect(page.get_by_role("heading", name="Past interviews")).to_be_visible(timeout=WAIT_MS)
    seen["history"] = images_from(page, tracker)
    page.get_by_role("button", name="Open", exact=True).last.click()
    expect(page.get_by_role("tab", name="Transcript")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    seen["history, one interview"] = images_from(page, tracker)
    visit(page, f"{url}/?user={USER}")
    expect(page.get_by_role("button", name="Save correction")).to_be_visible(timeout=WAIT_MS)
    seen["setup"] = images_from(page, tracker)
    return [f"{place}: {path}" for place, found in seen.items() for path in found]


def test_no_page_fetches_an_image_the_candidate_wrote(tmp_path: Path, page: Page) -> None:
    with tracking() as tracker, serve() as server:
        server.default = quoting
        settings = settings_for(server, tmp_path)
        try:
            ids = seed(settings, tracker.url)
        except InterviewPlatformError as exc:  # pragma: no cover - a broken seed says why
            pytest.fail(f"could not set the interviews up: {exc}")
        port = free_port()
        cli = str(Path(sys.executable).parent / "interview-platform")
        env = {
            "OPENAI_API_KEY": KEY,
            "AI__OPENAI_BASE_URL": f"{server.url}/v1",
            "AI__MAX_RETRIES": "1",
            "AI__RETRY_DELAY_SECONDS": "0",
            "LOG_FILE_PATH": str(tmp_path / "logs" / "app.log"),
        }
        command = [cli, "run", "--port", str(port), "--host", "127.0.0.1"]
        with running_server(tmp_path, command, port, env=env) as url:
            images = browse(page, url, tracker.url, ids)
        asked = len(server.requests)

    assert asked >= len(payloads("")), "the interviewer was not asked to reply"
    assert images == [], "the pages hold images from the tracker"
    assert tracker.paths == [], "the pages fetched images the candidate wrote"

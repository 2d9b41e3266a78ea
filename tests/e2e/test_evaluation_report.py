"""The Evaluation page in Chromium against `interview-platform run`, and the PDF and Markdown
files its download buttons give: one rounded score everywhere, the competency chart and the
modes in the PDF, each feedback item with its own quotes."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from interview_platform.bootstrap import bootstrap
from interview_platform.config import Settings
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import (
    CommunicationMode,
    ExperienceLevel,
    SessionConfig,
)
from tests.support.browser import running_app
from tests.unit.core.report_fixtures import LONG_QUOTE, awkward_report

WAIT_MS = 30_000
ANSWER = "Reads dominate writes a hundred to one, so the hot links stay in a cache."
BOARD = {
    "objects": [
        {"type": "rect", "left": 0, "top": 0, "width": 120, "height": 60},
        {"type": "textbox", "left": 10, "top": 20, "width": 100, "height": 20, "text": "API"},
    ]
}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def evaluated_session(workdir: Path) -> str:
    """A finished interview of the default user (one typed answer, one drawing), with the
    hand-made report, in the data folder the app will use."""
    app = bootstrap(Settings(_env_file=None, data_dir=workdir / "data"), console_logs=False)
    try:
        brief = brief_for(default_bank().get("url-shortener"), ExperienceLevel.MID)
        config = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")
        session = app.session_manager.create_session(
            config, app.settings.default_user_id, problem=brief
        )
        app.session_manager.start_session(session.id)
        app.session_manager.submit_answer(session.id, ANSWER)
        app.whiteboard.save_snapshot(session.id, png(), BOARD)
        app.session_manager.end_session(session.id)
        app.data_store.save_evaluation(replace(awkward_report(), session_id=session.id))
        return session.id
    finally:
        app.close()


def download(page: Page, button: str) -> bytes:
    with page.expect_download(timeout=WAIT_MS) as caught:
        page.get_by_role("button", name=button).click()
    return Path(caught.value.path()).read_bytes()


def test_the_page_and_its_downloads_agree(page: Page, tmp_path: Path, screenshots: Path) -> None:
    session_id = evaluated_session(tmp_path)
    with running_app(tmp_path) as url:
        page.goto(f"{url}/evaluation?session={session_id}")

        score = page.get_by_test_id("stMetric").filter(has_text="Overall score")
        expect(score).to_contain_text("93/100", timeout=WAIT_MS)
        expect(page.get_by_text("Data model and APIs: 93/100")).to_be_visible()
        expect(page.get_by_text("Practise CAP trade-off", exact=True)).to_be_visible()
        drawn = page.get_by_test_id("stMetric").filter(has_text="Whiteboard")
        expect(drawn).to_have_text(re.compile(r"^\s*Whiteboard\s*1\s*$"))
        page.screenshot(path=screenshots / "evaluation-report.png", full_page=True)

        pdf = PdfReader(io.BytesIO(download(page, "Download as PDF")))
        markdown = download(page, "Download as Markdown").decode()

    shown = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Overall score: 93/100" in shown
    assert "Data model and APIs 93" in shown, "the chart's row: title and points"
    assert "Answers by mode: Text 1, Whiteboard 1" in shown
    assert "**Overall score: 93/100**" in markdown
    went_well = markdown.split("## What went well\n\n", 1)[1].split("\n\n", 1)[0]
    assert went_well.splitlines()[2:] == [
        "- **Data model and APIs**: Clear endpoints.",
        f'  - "{LONG_QUOTE}"',
    ]

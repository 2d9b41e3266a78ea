"""A whole interview in a real browser: Debian's Chromium, driven by Playwright, against
`interview-platform run` on loopback with SQLite and the built-in interviewer.

Upload a real PDF resume, start, answer three turns, draw a labeled box and save a snapshot,
search the transcript, end, see the report, and find the session in History. Screenshots from
this run illustrate the user guide (written to docs/images/ with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.support.browser import INTERVIEWER_MESSAGE
from tests.support.resume_fixtures import RESUMES
from tests.support.resume_pdf import write_pdf

WAIT_MS = 30_000  # one Streamlit rerun, generously; each wait ends as soon as the text shows
RESUME = RESUMES[2]  # a senior backend engineer, as a real two-page-style PDF
ANSWERS = (  # on topic for the payment system the resume leads to; any problem would do
    "Buyers pay in by credit card or wallet, sellers get a payout, and refunds and "
    "chargebacks are in scope. We must never lose a payment or double charge anyone, so every "
    "effect is exactly once; 99.99% availability, and PCI scope kept small with tokens.",
    "At 50M payments per day that is about 600 TPS on average and 20,000 TPS at the Black "
    "Friday peak. Two ledger entries of about 500 bytes per payment come to roughly 50 GB a "
    "day, about 130 TB over a 7 years retention.",
    "A payment service takes POST /payments with an idempotency key, writes the payment and "
    "a double-entry ledger in PostgreSQL, and a queue of workers calls the processor; its "
    "webhook updates the status, and a nightly reconciliation job checks our ledger.",
)
SEARCH_WORD = "reconciliation"  # only in the third answer
BOX_LABEL = "Load balancer"


# Streamlit reruns the board when the canvas sends its drawing, about half a second after the
# mouse is released; a click that lands before that run has ended can be lost. The page records
# what it sends on the app's websocket, and when runs start, so the test can wait for a run
# that began after the drawing was sent to end. (The interview timer reruns every second, so
# "nothing is running" alone proves nothing.)
RECORD_SENDS = """(() => {
  window.__sent = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    let text = "";
    try { text = typeof data === "string" ? data : new TextDecoder().decode(data); } catch {}
    window.__sent.push({at: performance.now(), text});
    return send.call(this, data);
  };
})();"""
RECORD_RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = "data-test-script-state";
  window.__runStarts = [];
  new MutationObserver((records) => {
    const values = records.slice(1).map((r) => r.oldValue).concat([app.getAttribute(state)]);
    if (values.includes("running")) window.__runStarts.push(performance.now());
  }).observe(app, {attributes: true, attributeFilter: [state], attributeOldValue: true});
}"""
RUN_AFTER_SENDING = """(marker) => {
  const sent = window.__sent.filter((frame) => frame.text.includes(marker));
  if (!sent.length) return false;
  const at = sent[sent.length - 1].at;
  const app = document.querySelector('[data-testid="stApp"]');
  return window.__runStarts.some((start) => start > at)
    && app.getAttribute("data-test-script-state") === "notRunning";
}"""


def column(page: Page, heading: str) -> Locator:
    """The interview page's column under `heading` (AI Interviewer, Whiteboard, Transcript)."""
    return page.get_by_test_id("stColumn").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


# Streamlit scrolls its main area, not the window: put every scrolled element back at the top.
SCROLL_TO_TOP = """() => {
  for (const el of document.querySelectorAll("*")) { if (el.scrollTop > 0) el.scrollTop = 0; }
}"""


def test_a_whole_interview_in_the_browser(page: Page, app_url: str, screenshots: Path) -> None:
    # Setup: upload a real PDF resume and see what was read from it.
    page.add_init_script(RECORD_SENDS)
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Setup Your Mock Interview")).to_be_visible(
        timeout=WAIT_MS
    )
    resume: FilePayload = {
        "name": "resume.pdf",
        "mimeType": "application/pdf",
        "buffer": write_pdf(RESUME),
    }
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files=[resume])
    read = page.get_by_test_id("stAlertContentSuccess")
    expect(read).to_contain_text(RESUME.header[0], timeout=WAIT_MS)
    expect(read).to_contain_text(RESUME.level.value)
    page.screenshot(path=screenshots / "setup.png", full_page=True)

    # Start: the interviewer opens with the problem.
    page.get_by_role("button", name="Start Interview").click()
    chat, board, transcript = (
        column(page, name) for name in ("AI Interviewer", "Whiteboard", "Transcript")
    )
    interviewer = chat.locator(INTERVIEWER_MESSAGE)
    expect(interviewer).to_have_count(1, timeout=WAIT_MS)
    expect(interviewer.first).not_to_be_empty()
    problem = page.locator("h4").first.inner_text().strip()
    assert problem

    # The whiteboard's labeled-box tool, named, ready for later. Naming it reruns the board,
    # which would cut a drag short; the answers below wait for later runs, so it is done first.
    board.get_by_test_id("stSelectbox").filter(has_text="Tool").click()
    page.get_by_role("option", name="Labeled box").click()
    label = board.get_by_label("Box label")
    expect(label).to_be_visible(timeout=WAIT_MS)
    label.fill(BOX_LABEL)
    label.press("Enter")

    # Three turns: each answer shows in the chat, gets a reply, and joins the transcript.
    answer_box = page.get_by_test_id("stChatInputTextArea")
    for turn, answer in enumerate(ANSWERS, start=1):
        answer_box.fill(answer)
        answer_box.press("Enter")
        expect(interviewer).to_have_count(1 + turn, timeout=WAIT_MS)
        expect(transcript).to_contain_text(answer[:60], timeout=WAIT_MS)
        expect(interviewer.last).not_to_be_empty()
    expect(chat.get_by_test_id("stChatMessage")).to_have_count(1 + 2 * len(ANSWERS))

    # Draw the labeled box and save a snapshot: the interviewer reads it as a turn.
    canvas = board.locator("canvas.upper-canvas")
    expect(canvas).to_be_visible(timeout=WAIT_MS)
    box = canvas.bounding_box()
    assert box is not None
    left, top = box["x"] + 120, box["y"] + 100
    page.evaluate(RECORD_RUNS)
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(left + 120, top + 60, steps=8)
    page.mouse.move(left + 220, top + 110, steps=8)
    page.mouse.up()
    page.wait_for_function(RUN_AFTER_SENDING, arg=BOX_LABEL, timeout=WAIT_MS)
    board.get_by_role("button", name="Save Snapshot").click()
    expect(board.get_by_text("Snapshot saved")).to_be_visible(timeout=WAIT_MS)
    drawing_read = "the interviewer was not given the labeled box from the saved snapshot"
    expect(transcript, drawing_read).to_contain_text(BOX_LABEL, timeout=WAIT_MS)
    page.evaluate(SCROLL_TO_TOP)
    page.screenshot(path=screenshots / "interview.png")
    board.screenshot(path=screenshots / "whiteboard.png")

    # Search the transcript: only the turn that mentions the word stays.
    lines = transcript.get_by_test_id("stMarkdown").locator("p")
    before = lines.count()
    transcript.get_by_placeholder("Search the transcript").fill(SEARCH_WORD)
    expect(transcript).not_to_contain_text(ANSWERS[0][:60], timeout=WAIT_MS)
    expect(transcript).to_contain_text(ANSWERS[2][:60])
    assert lines.count() < before

    # End: confirm in the dialog, and the evaluation report follows.
    page.get_by_role("button", name="End Interview").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("End the interview?", timeout=WAIT_MS)
    dialog.get_by_role("button", name="End and evaluate").click()
    expect(page.get_by_role("heading", name="Evaluation", exact=True)).to_be_visible(
        timeout=WAIT_MS
    )
    score = page.get_by_test_id("stMetric").filter(has_text="Overall score")
    expect(score).to_contain_text(re.compile(r"\d+/100"), timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Competencies")).to_be_visible()
    expect(page.get_by_role("heading", name="Improvement plan")).to_be_visible()
    overall = re.search(r"(\d+)/100", score.inner_text())
    assert overall is not None
    page.screenshot(path=screenshots / "evaluation.png", full_page=True)

    # History: the finished interview is listed with its problem, status and score.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="Past interviews")).to_be_visible(timeout=WAIT_MS)
    row = (
        page.get_by_test_id("stHorizontalBlock")
        .filter(has_text=problem)
        .filter(has=page.get_by_role("button", name="Open"))
    )
    expect(row).to_have_count(1, timeout=WAIT_MS)
    expect(row).to_contain_text("completed")
    expect(row).to_contain_text(overall.group(1))
    page.screenshot(path=screenshots / "history.png", full_page=True)

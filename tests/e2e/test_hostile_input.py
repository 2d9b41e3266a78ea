"""Hostile input through the real pages in Chromium, checked in the DOM and on the network.

HTML, script, Markdown images and LaTeX in a typed problem statement, in chat answers, in a
resume and in an uploaded file's name are shown as text: no element is injected, no script
runs, no request leaves for an address the text names. Control characters are dropped; a
1 MB or 10 MB answer is refused with the limit (the candidate still has it to split). Ids
with path traversal in the URL get a clear page. After each, the app still answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.conftest import VIEWPORT
from tests.e2e.test_problem_choice import choose, open_setup, start
from tests.support.browser import SETTLED

WAIT_MS = 60_000
CANDIDATE_MESSAGE = '[aria-label="Chat message from user"]'
TRAP = "127.0.0.1:9"  # nothing listens there; a request to it means something was fetched
SCRIPT = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
STATEMENT = (
    f"Design a {SCRIPT} key-value cache costing $5 to $10 a month per node "
    f"![pixel](http://{TRAP}/statement.png) serving 50k reads a second"
)
ANSWER = (
    f"{SCRIPT} <b>raw</b> **bold** [run](javascript:window.pwned=3) "
    f"![pixel](http://{TRAP}/answer.png) It costs $5 to $10: a cache :red[in front]."
)
RESUME_NAME = '"><img src=x onerror="window.pwned=4">.txt'
RESUME = (
    f"{SCRIPT}\nJane Doe\nSenior backend engineer, 8 years of experience.\n"
    f"![pixel](http://{TRAP}/resume.png)\nBuilt payment APIs with PostgreSQL and Kafka.\n"
)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: _note(request, requests))
    try:
        yield page
    finally:
        context.close()
    assert requests == [], f"requests left for addresses the text named: {requests}"


def _note(request: Request, requests: list[str]) -> None:
    if TRAP in request.url or request.url.startswith("javascript:"):
        requests.append(request.url)


def assert_nothing_injected(page: Page) -> None:
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    assert page.evaluate("() => window.pwned") is None
    assert page.locator('img[src="x"], img[src*="127.0.0.1:9"]').count() == 0
    assert page.locator("b", has_text="raw").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0


def send(page: Page, text: str) -> None:
    """Type `text` as an answer and wait for the interviewer's reply to it."""
    page.wait_for_function(SETTLED, timeout=WAIT_MS)  # count replies on a page at rest
    before = page.locator('[aria-label="Chat message from assistant"]').count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('[aria-label=\"Chat message from assistant\"]').length > n",
        arg=before,
        timeout=WAIT_MS,
    )
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def test_a_hostile_statement_and_answers_are_shown_as_text(page: Page, app_url: str) -> None:
    open_setup(page, app_url)
    choose(page, "Write my own")
    page.get_by_label("Your problem statement").fill(STATEMENT)
    start(page)
    page.get_by_text("The problem").click()
    statement = page.get_by_test_id("stExpander").filter(has_text="key-value cache")
    expect(statement).to_contain_text("$5 to $10 a month")  # dollars, not typeset maths
    expect(statement).to_contain_text("![pixel](")
    assert_nothing_injected(page)

    send(page, ANSWER)
    mine = page.get_by_test_id("stChatMessage").filter(has_text="a cache")
    expect(mine.last).to_contain_text("It costs $5 to $10")
    expect(mine.last).to_contain_text("![pixel](")
    expect(mine.last.locator("strong", has_text="bold")).to_have_count(1)  # formatting stays
    transcript = page.get_by_test_id("stColumn").filter(
        has=page.get_by_role("heading", name="Transcript")
    )
    expect(transcript).to_contain_text("<img src=x")
    assert_nothing_injected(page)

    send(page, "Shard\x07 by key\x1b[31m with\x00 consistent hashing")
    expect(page.get_by_test_id("stChatMessage").last).not_to_contain_text("\x07")
    expect(transcript).to_contain_text("Shard by key[31m with consistent hashing")


@pytest.mark.parametrize("megabytes", [1, 10])
def test_a_huge_answer_gets_the_limit_and_the_app_goes_on(
    page: Page, app_url: str, megabytes: int
) -> None:
    open_setup(page, app_url)
    start(page)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("a" * megabytes * 1_000_000)
    box.press("Enter")
    limit = (
        f"Your answer was not saved: it is {megabytes * 1_000_000:,} characters and the limit is "
    )
    expect(page.get_by_test_id("stAlert").filter(has_text=limit)).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(  # the paste is kept on the page, to cut and send again
        "n => document.querySelector('textarea[aria-label=\"Your answer, not sent yet\"]')"
        "?.value.length === n",
        arg=megabytes * 1_000_000,
        timeout=WAIT_MS,
    )
    send(page, "Now a short answer: a cache in front of the database.")
    answers = page.locator(CANDIDATE_MESSAGE).filter(has_text="Now a short answer")
    expect(answers).to_have_count(1)


def test_a_hostile_resume_and_file_name_are_shown_as_text(page: Page, app_url: str) -> None:
    open_setup(page, app_url)
    page.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files(
        {"name": RESUME_NAME, "mimeType": "text/plain", "buffer": RESUME.encode()}
    )
    expect(page.get_by_text("Jane Doe:")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("button", name=f"Remove {RESUME_NAME}")).to_be_visible()
    assert_nothing_injected(page)
    start(page)
    assert_nothing_injected(page)


TRAVERSALS = [
    "session=../../../../etc/passwd",
    "session=%2e%2e%2f%2e%2e%2fdata%2finterview_platform.db",
    "session=..%5C..%5Cwindows",
    "user=../../etc&session=x%00y",
]


def test_traversal_in_the_url_gets_a_clear_page(page: Page, app_url: str) -> None:
    for path in ("interview", "evaluation"):
        for query in TRAVERSALS:
            page.goto(f"{app_url}/{path}?{query}")
            heading = page.get_by_role("heading", name=path.title(), exact=True)
            expect(heading).to_be_visible(timeout=WAIT_MS)
            page.wait_for_function(SETTLED, timeout=WAIT_MS)
            expect(page.get_by_test_id("stException")).to_have_count(0)
            expect(page.get_by_test_id("stAlert").first).to_be_visible()

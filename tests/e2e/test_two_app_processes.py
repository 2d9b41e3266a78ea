"""Two `interview-platform run` processes on one PostgreSQL database, in Chromium: an
interview started on A goes on on B (the same URL on the other server, as behind a load
balancer), each page shows the whole conversation in order, and a Pause pressed on B is
what A shows on its next load.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import (
    INTERVIEWER_MESSAGE,
    SETTLED,
    free_port,
    running_server,
    start_interview,
)

pytestmark = pytest.mark.postgres
WAIT_MS = 30_000  # one Streamlit rerun, generously; each wait ends as soon as the text shows
CLI = Path(sys.executable).parent / "interview-platform"
FROM_A = "Reads dominate writes a hundred to one, so a cache carries most of the traffic."
FROM_B = "Short codes come from a base62 counter, one range of ids per server."


@pytest.fixture
def two_apps(tmp_path: Path, postgres_url: str) -> Iterator[tuple[str, str]]:
    """Two app processes, one database and one shared data directory; a user of their own."""
    shared = {
        "DATABASE_URL": postgres_url,
        "DATA_DIR": str(tmp_path / "shared-data"),
        "DEFAULT_USER_ID": f"two-apps-{uuid.uuid4().hex[:8]}",
        "LOG_TO_FILE": "false",
    }
    with ExitStack() as stack:
        urls = []
        for name in ("a", "b"):
            workdir = tmp_path / name
            workdir.mkdir()
            port = free_port()
            command = [str(CLI), "run", "--port", str(port), "--host", "127.0.0.1"]
            urls.append(stack.enter_context(running_server(workdir, command, port, shared)))
        yield urls[0], urls[1]


@pytest.fixture
def pages(browser: Browser) -> Iterator[tuple[Page, Page]]:
    """A page for each app, in contexts of their own (nothing shared but the database)."""
    first, second = browser.new_context(), browser.new_context()
    try:
        yield first.new_page(), second.new_page()
    finally:
        first.close()
        second.close()


def answer(page: Page, text: str, replies: int) -> None:
    """Send `text`, wait until the page shows `replies` interviewer messages and its run has
    ended (the reply is saved by then)."""
    page.get_by_test_id("stChatInputTextArea").fill(text)
    page.get_by_test_id("stChatInputTextArea").press("Enter")
    expect(page.locator(INTERVIEWER_MESSAGE)).to_have_count(replies, timeout=WAIT_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def chat_shows(page: Page, answers: list[str], replies: int) -> None:
    chat = page.get_by_test_id("stChatMessage")
    expect(page.locator(INTERVIEWER_MESSAGE)).to_have_count(replies, timeout=WAIT_MS)
    expect(chat).to_have_count(len(answers) + replies)
    for text in answers:
        expect(chat.filter(has_text=text)).to_have_count(1)
    texts = chat.all_inner_texts()
    positions = [next(i for i, t in enumerate(texts) if text in t) for text in answers]
    assert positions == sorted(positions), "the answers keep their order"


def test_an_interview_goes_on_in_the_other_process_and_its_pause_is_seen_in_the_first(
    two_apps: tuple[str, str], pages: tuple[Page, Page]
) -> None:
    url_a, url_b = two_apps
    page_a, page_b = pages
    start_interview(page_a, url_a)
    answer(page_a, FROM_A, replies=2)
    expect(page_a).to_have_url(re.compile(r"[?&]session="), timeout=WAIT_MS)
    bookmark = urlsplit(page_a.url).query

    page_b.goto(f"{url_b}/interview?{bookmark}")
    chat_shows(page_b, [FROM_A], replies=2)
    answer(page_b, FROM_B, replies=3)
    chat_shows(page_b, [FROM_A, FROM_B], replies=3)
    page_b.get_by_role("button", name="Pause").click()
    expect(page_b.get_by_text("The interview is paused")).to_be_visible(timeout=WAIT_MS)

    page_a.reload()
    chat_shows(page_a, [FROM_A, FROM_B], replies=3)
    expect(page_a.get_by_text("The interview is paused")).to_be_visible(timeout=WAIT_MS)
    expect(page_a.get_by_test_id("stChatInputTextArea")).to_be_disabled()

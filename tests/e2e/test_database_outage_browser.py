"""PostgreSQL gone mid-interview, in a real browser: `interview-platform run` reaches the
database through a TCP proxy on loopback that the test cuts (every connection reset, new ones
refused) and restores, without touching the shared PostgreSQL server.

While it is down no page shows a traceback: each says the database cannot be reached and
what to do, the URL keeps `?session=`, and an answer typed meanwhile is kept on the page.
Once the database is back the same interview goes on and the kept answer is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.integration.faults.tcp_proxy import TcpProxy
from tests.support.browser import (
    INTERVIEWER_MESSAGE,
    SETTLED,
    _cli,
    free_port,
    running_server,
    start_interview,
)

pytestmark = pytest.mark.postgres
WAIT_MS = 120_000  # a run during the outage waits for each read's 3 attempts
ANSWER = "Reads dominate, so a cache in front of the key-value store takes most of the load."
UNREACHABLE = "Cannot reach the database"
# The answer is in a box on the page: kept to send again, or put back in the answer box.
STILL_ON_THE_PAGE = """(answer) => Array.from(document.querySelectorAll("textarea"))
  .some((box) => box.value === answer)"""


@pytest.fixture
def app_url(postgres_url: str, proxy: TcpProxy, tmp_path: Path) -> Iterator[str]:
    """The app on PostgreSQL through the proxy, as its own user (apart from other tests)."""
    proxied = make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)
    user = f"browser-outage-{uuid.uuid4().hex[:8]}"
    port = free_port()
    command = [*_cli(), "run", "--port", str(port), "--host", "127.0.0.1"]
    environment = {
        "DATABASE_URL": proxied.render_as_string(hide_password=False),
        "LOG_TO_FILE": "false",
        "DEFAULT_USER_ID": user,
    }
    with running_server(tmp_path, command, port, env=environment) as url:
        yield url
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM sessions WHERE user_id = :user"), {"user": user})
    engine.dispose()


def session_in_url(page: Page) -> str:
    [session_id] = parse_qs(urlsplit(page.url).query)["session"]
    return session_id


def settled_without_traceback(page: Page, where: str) -> None:
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    tracebacks = page.get_by_test_id("stException").all_inner_texts()
    assert tracebacks == [], f"{where}: a traceback is on the page: {tracebacks}"


def says_unreachable(page: Page, where: str) -> None:
    settled_without_traceback(page, where)
    alerts = page.get_by_role("main").get_by_test_id("stAlert")
    expect(alerts.filter(has_text=UNREACHABLE).first).to_be_visible(timeout=WAIT_MS)
    assert (
        "check DATABASE_URL".lower()
        in alerts.filter(has_text=UNREACHABLE).first.inner_text().lower()
    )


def test_no_page_shows_a_traceback_while_the_database_is_down_and_the_interview_goes_on(
    page: Page, app_url: str, proxy: TcpProxy
) -> None:
    start_interview(page, app_url, timeout_ms=WAIT_MS)
    session_id = session_in_url(page)
    query = urlsplit(page.url).query

    search = page.get_by_placeholder("Search the transcript")
    expect(search).to_be_visible(timeout=WAIT_MS)
    settled_without_traceback(page, "the interview started")

    proxy.cut()
    search.fill("cache")  # reruns the transcript's fragment alone
    transcript = page.get_by_test_id("stColumn").filter(
        has=page.get_by_role("heading", name="Transcript", exact=True)
    )
    said = transcript.get_by_test_id("stAlert").filter(has_text=UNREACHABLE)
    expect(said.or_(page.get_by_test_id("stException")).first).to_be_visible(timeout=WAIT_MS)
    settled_without_traceback(page, "searching the transcript")

    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(ANSWER)
    box.press("Enter")
    unreachable_view = page.get_by_role("button", name="Try again")
    expect(unreachable_view.or_(page.get_by_test_id("stException")).first).to_be_visible(
        timeout=WAIT_MS
    )
    says_unreachable(page, "an answer sent")
    assert session_in_url(page) == session_id
    page.wait_for_function(STILL_ON_THE_PAGE, arg=ANSWER, timeout=WAIT_MS)
    for name in ("setup", "history", "evaluation", "interview"):
        page.goto(f"{app_url}/{name}?{query}")
        says_unreachable(page, name)
        assert session_in_url(page) == session_id, name
    kept = page.get_by_label("Your answer, not sent yet")  # each load is a new page: retype
    page.get_by_test_id("stChatInputTextArea").fill(ANSWER)
    page.get_by_test_id("stChatInputTextArea").press("Enter")
    settled_without_traceback(page, "an answer sent after a reload")
    expect(kept).to_have_value(ANSWER, timeout=WAIT_MS)

    proxy.restore()
    page.get_by_role("button", name="Try again").click()
    settled_without_traceback(page, "the database back")
    expect(kept).to_have_value(ANSWER, timeout=WAIT_MS)
    page.get_by_role("button", name="Send again").click()
    chat = page.get_by_test_id("stChatMessage")
    expect(chat.filter(has_text=ANSWER)).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator(INTERVIEWER_MESSAGE)).to_have_count(2, timeout=WAIT_MS)
    settled_without_traceback(page, "the answer sent again")
    assert session_in_url(page) == session_id

"""The URL keeps the interview: a reload, a new browser and a restart of the app all open the
same interview for the same user, at 1440x900, against `interview-platform run`. The app shows
no Streamlit chrome (Deploy button, developer menu), and History fits its buttons and returns
to its list.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize, expect

from interview_platform.core.models import Role
from tests.support.browser import (
    APP_FILE,
    INTERVIEWER_MESSAGE,
    free_port,
    running_server,
    start_interview,
)

WAIT_MS = 30_000  # one Streamlit rerun, generously; each wait ends as soon as the text shows
SCREEN: ViewportSize = {"width": 1440, "height": 900}
ANSWER = (
    "I would start with the requirements: reads dominate writes a hundred to one, so a cache "
    "in front of the key-value store carries most of the traffic."
)
REPO_CONFIG = Path(__file__).parents[2] / ".streamlit" / "config.toml"
CLI = Path(sys.executable).parent / "interview-platform"


@contextmanager
def app_on(workdir: Path, port: int) -> Iterator[str]:
    """`interview-platform run` on `port`, its data in `workdir/data`; the same port after a
    restart lets an open tab reconnect as it would to a restarted app."""
    command = [str(CLI), "run", "--port", str(port), "--host", "127.0.0.1"]
    with running_server(workdir, command, port) as url:
        yield url


@contextmanager
def screen(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=SCREEN)
    try:
        yield context
    finally:
        context.close()


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def signed_in_as(page: Page, user: str) -> None:
    expect(page.get_by_test_id("stSidebar")).to_contain_text(
        f"Signed in as {user}", timeout=WAIT_MS
    )


def shows_the_interview(page: Page) -> None:
    """The chat has the opening question and the answer with its reply."""
    chat = page.get_by_test_id("stChatMessage")
    expect(chat.filter(has_text=ANSWER)).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator(INTERVIEWER_MESSAGE)).to_have_count(2, timeout=WAIT_MS)
    expect(page.get_by_text("No interview is open")).to_have_count(0)


def reply_saved(data: Path, session_id: str) -> None:
    """Wait until the reply is in the database (a reload while it streams would lose it)."""
    query = "SELECT COUNT(*) FROM conversations WHERE session_id = ? AND role = ?"
    stored_id = uuid.UUID(session_id).hex  # how SQLite keeps a session's id
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        with closing(sqlite3.connect(data / "interview_platform.db")) as db:
            (replies,) = db.execute(query, (stored_id, Role.INTERVIEWER.value)).fetchone()
        if replies >= 2:
            return
        time.sleep(0.2)  # polling the database, not waiting for the page
    raise AssertionError("The interviewer's reply was not saved.")


def sidebar_link(page: Page, name: str) -> Locator:
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=name)


def switch_user(page: Page, name: str) -> None:
    sidebar_link(page, "Setup").click()
    box = page.get_by_label("Your name")
    open_expander(page, "Interviewing as", box)
    box.fill(name)
    page.get_by_role("button", name="Switch").click()
    signed_in_as(page, name)


def open_expander(page: Page, title: str, inside: Locator, attempts: int = 3) -> None:
    """Open an expander until `inside` shows: a click that lands while the page is still
    running is undone when the run redraws the expander closed."""
    expander = page.get_by_test_id("stExpander").filter(has_text=title)
    for _ in range(attempts):
        expander.get_by_text(title).click()
        try:
            expect(inside).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            continue
    expect(inside).to_be_visible(timeout=WAIT_MS)


def no_streamlit_chrome(page: Page) -> None:
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("heading").first).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)


def test_the_url_keeps_the_interview_through_reload_new_browser_and_restart(
    browser: Browser, tmp_path: Path
) -> None:
    port = free_port()
    with screen(browser) as context:
        page = context.new_page()
        with app_on(tmp_path, port) as url:
            bookmark = interview_survives_reload_and_new_browser(browser, page, url, tmp_path)
        with app_on(tmp_path, port):  # the app's process restarted on the same data
            page.reload()
            shows_the_interview(page)
            with screen(browser) as fresh:
                other = fresh.new_page()
                other.goto(bookmark)
                shows_the_interview(other)
                assert other.url == bookmark


def interview_survives_reload_and_new_browser(
    browser: Browser, page: Page, url: str, workdir: Path
) -> str:
    """Start, answer, reload; switch user, reload; open the interview's URL in a new browser.
    Returns that URL, the interview's bookmark."""
    start_interview(page, url)
    no_streamlit_chrome(page)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(ANSWER)
    box.press("Enter")
    shows_the_interview(page)
    assert urlsplit(page.url).path == "/interview"
    assert list(query(page)) == ["session"]
    reply_saved(workdir / "data", query(page)["session"][0])

    page.reload()
    shows_the_interview(page)
    bookmark = page.url

    switch_user(page, "bob")
    assert query(page) == {"user": ["bob"]}
    page.reload()
    signed_in_as(page, "bob")
    assert query(page) == {"user": ["bob"]}

    with screen(browser) as fresh:
        other = fresh.new_page()
        other.goto(bookmark)
        shows_the_interview(other)
        signed_in_as(other, "local")

    page.goto(bookmark)
    shows_the_interview(page)
    return bookmark


def test_history_fits_its_buttons_and_returns_to_the_list(browser: Browser, tmp_path: Path) -> None:
    with app_on(tmp_path, free_port()) as url, screen(browser) as context:
        page = context.new_page()
        start_interview(page, url)
        sidebar_link(page, "History").click()
        opens = row_buttons(page, "open")
        expect(opens).to_have_count(1, timeout=WAIT_MS)

        for name in ("open", "delete"):
            assert fits(row_buttons(page, name).first), f"the {name!r} button's label is cut"
        for header in ("Date", "Problem", "Interviewer", "Status", "Messages", "Score"):
            cell = page.get_by_test_id("stMarkdownContainer").get_by_text(header, exact=True)
            assert one_line(cell.first), f"the {header!r} header wraps"

        opens.first.click()
        expect(page.get_by_role("button", name="Back to the list")).to_be_visible(timeout=WAIT_MS)
        sidebar_link(page, "Setup").click()
        expect(page.get_by_role("button", name="Start Interview")).to_be_visible(timeout=WAIT_MS)
        sidebar_link(page, "History").click()

        expect(opens).to_have_count(1, timeout=WAIT_MS)
        expect(page.get_by_role("button", name="Back to the list")).to_have_count(0)


def row_buttons(page: Page, action: str) -> Locator:
    """History's per-interview buttons, found by their widget keys (`open_<id>`)."""
    return page.locator(f"[class*='st-key-{action}_'] button")


def test_streamlit_run_with_the_repository_config_shows_no_deploy_button(
    browser: Browser, tmp_path: Path
) -> None:
    (tmp_path / ".streamlit").mkdir()
    shutil.copy(REPO_CONFIG, tmp_path / ".streamlit" / "config.toml")
    port = free_port()
    streamlit = Path(sys.executable).parent / "streamlit"
    command = [str(streamlit), "run", str(APP_FILE), "--server.port", str(port)]
    command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    with running_server(tmp_path, command, port) as url, screen(browser) as context:
        page = context.new_page()
        page.goto(url)
        no_streamlit_chrome(page)


# A label is cut (to an ellipsis) when its text, or an element in the button, overflows its box.
_FITS = """(button) => [button, ...button.querySelectorAll('*')].every((el) => {
  if (el.scrollWidth > el.clientWidth) return false;
  const texts = Array.from(el.childNodes).filter((n) => n.nodeType === 3 && n.data.trim());
  if (!texts.length) return true;
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getBoundingClientRect().width <= el.getBoundingClientRect().width + 0.5;
})"""
# A text wraps when its characters are laid out on more than one line.
_LINES = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
}"""


def fits(button: Locator) -> bool:
    expect(button).to_be_visible(timeout=WAIT_MS)
    return bool(button.evaluate(_FITS))


def one_line(element: Locator) -> bool:
    expect(element).to_be_visible(timeout=WAIT_MS)
    return int(element.evaluate(_LINES)) == 1

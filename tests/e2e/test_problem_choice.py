"""Choosing the problem on Setup in a real browser (Chromium at 1440x900, the built-in
interviewer): a pick from the bank, then "surprise me" (never the last problem), then the
candidate's own statement; each interview opens on the chosen problem. The uploader states
the real size limit (5 MB), never Streamlit's default 200MB."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from tests.support.browser import INTERVIEWER_MESSAGE, SETTLED

WAIT_MS = 30_000  # one Streamlit rerun, generously; each wait ends as soon as the text shows
VIEWPORT: ViewportSize = {"width": 1440, "height": 900}
BANK_PICK = "Design a Hotel Reservation System"
OWN = "Design a parking garage occupancy tracker with live dashboards for 300 garages"


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_setup(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Setup Your Mock Interview")).to_be_visible(
        timeout=WAIT_MS
    )
    expect(page.get_by_text("Fitted to me")).to_be_visible(timeout=WAIT_MS)


def choose(page: Page, choice: str) -> None:
    page.get_by_test_id("stRadio").get_by_text(choice, exact=True).click()
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def start(page: Page) -> Locator:
    """Start the interview; the interviewer's opening message once it shows."""
    page.get_by_role("button", name="Start Interview").click()
    opening = page.locator(INTERVIEWER_MESSAGE).first
    expect(opening).not_to_be_empty(timeout=WAIT_MS)
    return opening


def test_bank_pick_then_surprise_then_own_statement(laptop: Page, app_url: str) -> None:
    open_setup(laptop, app_url)
    uploader = laptop.get_by_test_id("stFileUploader")
    expect(uploader).to_contain_text("5MB")
    expect(uploader).not_to_contain_text("200MB")

    # From the bank: the interview opens on the problem picked.
    choose(laptop, "Pick from the bank")
    laptop.get_by_test_id("stSelectbox").filter(has_text="Problem (24 in the bank)").click()
    laptop.keyboard.type("Hotel")  # the list shows a few of the 24 at a time; filter it
    laptop.get_by_role("option", name=BANK_PICK).click()
    laptop.wait_for_function(SETTLED, timeout=WAIT_MS)
    expect(start(laptop)).to_contain_text(BANK_PICK, timeout=WAIT_MS)

    # Surprise me: a bank problem, never the one just had.
    open_setup(laptop, app_url)
    choose(laptop, "Surprise me")
    surprise = start(laptop)
    expect(surprise).to_contain_text("Design", timeout=WAIT_MS)
    expect(surprise).not_to_contain_text(BANK_PICK)

    # One's own statement: the interview opens on it.
    open_setup(laptop, app_url)
    choose(laptop, "Write my own")
    statement = laptop.get_by_label("Your problem statement")
    statement.fill(OWN)  # not applied yet: clicking Start applies it first
    expect(start(laptop)).to_contain_text(OWN, timeout=WAIT_MS)

"""The Interview page at 1440x900 in Chromium, against `interview-platform run` with the
built-in interviewer: the controls are in view without scrolling and the clock ticks in the
browser; the canvas fits its column; the box label is asked only with the labeled-box tool
and a box's label is drawn inside it; a saved drawing is back on the board after a reload;
the interview opens at its top when Setup was scrolled down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.test_browser_journey import column
from tests.support.browser import SETTLED, running_app, start_interview

WAIT_MS = 30_000
SCREEN: ViewportSize = {"width": 1440, "height": 900}
RECT = (60, 60, 200, 140)  # left, top, right, bottom on the canvas
DARK = 128  # a pixel darker than this (each of r, g, b) is ink; the board is white
# The darkest pixel of the board's picture within `radius` of (x, y), as [r, g, b, a].
DARKEST_NEAR = """(canvas, [x, y, radius]) => {
  const data = canvas.getContext("2d").getImageData(x - radius, y - radius, 2 * radius + 1,
    2 * radius + 1).data;
  let best = [255, 255, 255, 255];
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] + data[i + 1] + data[i + 2] < best[0] + best[1] + best[2])
      best = [data[i], data[i + 1], data[i + 2], data[i + 3]];
  }
  return best;
}"""
SETTLE_MS = 1_500  # for the run a tool, a label or a drawing starts to begin and end
IN_VIEW = """(element) => {
  const box = element.getBoundingClientRect();
  const main = document.querySelector('[data-testid="stMain"]');
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight
    && window.scrollY === 0 && (!main || main.scrollTop === 0);
}"""
SCROLLED = """() => [window.scrollY,
  document.querySelector('[data-testid="stMain"]')?.scrollTop]"""
SCROLL_TO_BOTTOM = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  main.scrollTop = main.scrollHeight;
}"""
INSIDE = """([inner, outer]) => {
  const a = inner.getBoundingClientRect(), b = outer.getBoundingClientRect();
  return a.width > 0 && a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
}"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=SCREEN)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    with running_app(tmp_path) as url:
        yield url


def board_picture(board: Locator) -> Locator:
    """The canvas Fabric draws the objects on (the upper canvas takes the pointer)."""
    return board.locator("canvas.dc-canvas.lower-canvas")


def ink_near(board: Locator, x: int, y: int, radius: int = 3) -> bool:
    r, g, b, _ = board_picture(board).evaluate(DARKEST_NEAR, [x, y, radius])
    return bool(max(r, g, b) < DARK)


def wait_for_ink(board: Locator, x: int, y: int, present: bool, what: str) -> None:
    for _ in range(60):
        if ink_near(board, x, y) == present:
            return
        board.page.wait_for_timeout(500)  # the board redraws after a server run
    pytest.fail(what)


def drag(page: Page, board: Locator, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Draw with the current tool, and wait for the run the drawing started."""
    box = board.locator("canvas.upper-canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + start[0], box["y"] + start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + end[0], box["y"] + end[1], steps=10)
    page.mouse.up()
    settle(page)


def settle(page: Page) -> None:
    """Let the run the last action started begin, and wait for it to end."""
    page.wait_for_timeout(SETTLE_MS)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def choose_tool(page: Page, board: Locator, tool: str) -> None:
    """Pick a tool, and wait for the run it started (the board may move in it)."""
    board.get_by_test_id("stSelectbox").filter(has_text="Tool").click()
    page.get_by_role("option", name=tool, exact=True).click()
    expect(board.get_by_role("combobox", name="Tool")).to_have_value(tool)
    settle(page)


def out_of_view(element: Locator) -> str | None:
    """None once `element` is inside the window with the page not scrolled; else where it is."""
    try:
        element.page.wait_for_function(IN_VIEW, arg=element.element_handle(), timeout=WAIT_MS)
    except PlaywrightTimeoutError:
        return f"at {element.bounding_box()}, scrolled {element.page.evaluate(SCROLLED)}"
    return None


def test_the_interview_page_at_1440_by_900(page: Page, app_url: str) -> None:
    start_interview(page, app_url)
    board = column(page, "Whiteboard")

    # The controls are in view as the page opens, and the clock ticks in the browser.
    end = page.get_by_role("button", name="End Interview")
    pause = page.get_by_role("button", name="Pause")
    clock = page.get_by_role("timer")
    expect(clock).to_have_text(re.compile(r"\d\d:\d\d"), timeout=WAIT_MS)
    answer_box = page.get_by_test_id("stChatInputTextArea")
    controls = (("End Interview", end), ("the timer", clock), ("Pause", pause))
    for name, control in (*controls, ("the answer box", answer_box)):
        assert out_of_view(control) is None, f"{name} is not in view: {out_of_view(control)}"
    before = clock.inner_text()
    expect(clock).not_to_have_text(before, timeout=5_000)

    # The canvas fits its column once the browser has measured it.
    canvas = board.locator("canvas.upper-canvas")
    expect(canvas).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(
        INSIDE, arg=[canvas.element_handle(), board.element_handle()], timeout=WAIT_MS
    )

    # A rectangle, saved as a snapshot, is on the board again after a reload.
    choose_tool(page, board, "Rectangle")
    left, top, right, bottom = RECT
    drag(page, board, (left, top), (right, bottom))
    assert ink_near(board, (left + right) // 2, top)
    board.get_by_role("button", name="Save Snapshot").click()
    expect(board.get_by_text("Snapshot saved")).to_be_visible(timeout=WAIT_MS)

    page.reload()
    expect(board_picture(board)).to_be_visible(timeout=WAIT_MS)
    expect(board.get_by_text("Restored from your snapshot")).to_be_visible(timeout=WAIT_MS)
    wait_for_ink(board, (left + right) // 2, top, True, "the saved drawing was not restored")
    assert ink_near(board, left, (top + bottom) // 2)

    # The box label is asked for only with the labeled-box tool; the label goes inside.
    label = board.get_by_label("Box label")
    expect(label).to_have_count(0)
    choose_tool(page, board, "Labeled box")
    expect(label).to_be_visible(timeout=WAIT_MS)
    label.fill("Load balancer")
    label.press("Enter")
    settle(page)  # a drag during a run would be cut short
    drag(page, board, (240, 200), (400, 280))
    wait_for_ink(board, 250, 188, False, "the label is still drawn above its box")
    assert ink_near(board, 320, 240, radius=20), "no label inside the box"
    choose_tool(page, board, "Rectangle")
    expect(label).to_have_count(0, timeout=WAIT_MS)


def test_the_interview_opens_at_its_top_from_a_scrolled_setup_page(
    browser: Browser, app_url: str
) -> None:
    """Streamlit keeps the main area's scroll across a page switch: in a short window, a Setup
    page scrolled down to its Start button opened the interview 510 px down."""
    context = browser.new_context(viewport={"width": 1440, "height": 500})
    page = context.new_page()
    page.goto(app_url)
    start = page.get_by_role("button", name="Start Interview")
    expect(start).to_be_visible(timeout=WAIT_MS)
    page.evaluate(SCROLL_TO_BOTTOM)
    assert page.evaluate(SCROLLED)[1] > 0
    start.evaluate("button => button.click()")  # where it is: Playwright would scroll to it
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=WAIT_MS)
    settle(page)
    assert page.evaluate(SCROLLED) == [0, 0]
    context.close()

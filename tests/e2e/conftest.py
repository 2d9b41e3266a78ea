"""A real browser against the real app: Debian's Chromium driven by Playwright, and
`interview-platform run` on loopback with SQLite in a scratch directory and no API keys.

Without /usr/bin/chromium the browser tests skip, unless REQUIRE_BROWSER=1 (as in CI), when
they fail instead. Screenshots go to docs/images/ only with UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.support.browser import CHROMIUM, launch_chromium, running_app

DOCS_IMAGES = Path(__file__).parents[2] / "docs" / "images"
VIEWPORT: ViewportSize = {"width": 1600, "height": 1000}  # wide enough for three columns


def chromium(*extra_args: str) -> Iterator[Browser]:
    """Debian's Chromium for a fixture, with `extra_args`; without it, skip (or fail when
    REQUIRE_BROWSER=1)."""
    if not CHROMIUM.is_file():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 makes the browser tests mandatory.")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, extra_args=extra_args)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")  # closed before other modules' tests run
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app's URL; it runs in `tmp_path` with DATA_DIR=tmp_path/data."""
    with running_app(tmp_path) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/images/ with UPDATE_SCREENSHOTS=1, else the test's tmp dir."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        return DOCS_IMAGES
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return folder

"""Password mode in a real browser against `interview-platform run` (AUTH__MODE=password),
with accounts made by `interview-platform user add`: nothing shows before a sign-in, a wrong
password is refused, a reload keeps the sign-in (a signed cookie) and a forged cookie does
not, `?user=` changes nobody, another user's interview URL is refused, and sign-out holds
through a reload. With default settings the app opens with no sign-in."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import free_port, running_server

WAIT_MS = 30_000  # one Streamlit rerun, generously; each wait ends as soon as the text shows
CLI = Path(sys.executable).parent / "interview-platform"
COOKIE = "interview_platform_auth"
PASSWORDS = {"alice": "alice's long password", "bob": "bob's long password"}
PASSWORD_MODE = {"AUTH__MODE": "password", "LOG_TO_FILE": "false"}


def add_account(workdir: Path, name: str) -> None:
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "DATA_DIR": str(workdir / "data")}
    subprocess.run(
        [str(CLI), "user", "add", name, "--password-stdin"],
        cwd=workdir,
        env={**environment, **PASSWORD_MODE},
        input=PASSWORDS[name] + "\n",
        text=True,
        capture_output=True,
        check=True,
        timeout=300,
    )


@pytest.fixture
def password_app(tmp_path: Path) -> Iterator[str]:
    for name in PASSWORDS:
        add_account(tmp_path, name)
    port = free_port()
    command = [str(CLI), "run", "--port", str(port), "--host", "127.0.0.1"]
    with running_server(tmp_path, command, port, env=PASSWORD_MODE) as url:
        yield url


def new_tab(browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    return context, context.new_page()


def sign_in_page(page: Page) -> None:
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Start Interview")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)


def sign_in(page: Page, name: str, password: str) -> None:
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def signed_in_as(page: Page, user: str) -> None:
    expect(page.get_by_test_id("stSidebar")).to_contain_text(
        f"Signed in as {user}", timeout=WAIT_MS
    )


def start_interview(page: Page) -> str:
    page.get_by_role("button", name="Start Interview").click()
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_url("**/interview?session=*", timeout=WAIT_MS)
    return parse_qs(urlsplit(page.url).query)["session"][0]


def test_password_mode_in_the_browser(browser: Browser, password_app: str) -> None:
    bob_context, bob = new_tab(browser)
    alice_context, alice = new_tab(browser)
    try:
        bob.goto(password_app)
        sign_in_page(bob)
        sign_in(bob, "bob", PASSWORDS["alice"])
        expect(bob.get_by_text("Wrong name or password")).to_be_visible(timeout=WAIT_MS)
        sign_in_page(bob)
        sign_in(bob, "bob", PASSWORDS["bob"])
        signed_in_as(bob, "bob")
        bobs_session = start_interview(bob)
        bobs_url = bob.url
        opening = bob.get_by_test_id("stChatMessage").first.inner_text()

        bob.reload()  # the signed cookie keeps bob signed in, in his interview
        signed_in_as(bob, "bob")
        expect(bob.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=WAIT_MS)
        [cookie] = [c for c in bob_context.cookies() if c["name"] == COOKIE]
        assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0

        alice.goto(bobs_url)  # Bob's interview URL, in Alice's browser
        sign_in_page(alice)
        sign_in(alice, "alice", PASSWORDS["alice"])
        signed_in_as(alice, "alice")
        expect(alice.get_by_text("not one of yours")).to_be_visible(timeout=WAIT_MS)
        expect(alice.get_by_text(opening[:60])).to_have_count(0)
        assert bobs_session not in alice.url

        alice.goto(f"{password_app}/history?user=bob")
        signed_in_as(alice, "alice")
        expect(alice.get_by_text("No interviews here yet")).to_be_visible(timeout=WAIT_MS)
        assert "user=" not in alice.url

        alice.goto(f"{password_app}/interview?session={bobs_session}&user=bob")
        signed_in_as(alice, "alice")
        expect(alice.get_by_text("not one of yours")).to_be_visible(timeout=WAIT_MS)

        forged_cookie_is_refused(browser, password_app, cookie["value"])

        bob.get_by_role("button", name="Sign out").click()
        sign_in_page(bob)
        bob.wait_for_function(f"() => !document.cookie.includes('{COOKIE}=')", timeout=WAIT_MS)
        bob.reload()
        sign_in_page(bob)
    finally:
        alice_context.close()
        bob_context.close()


def forged_cookie_is_refused(browser: Browser, url: str, bobs_token: str) -> None:
    """Bob's token with its user changed, or a made-up one, signs nobody in."""
    payload, _, signature = bobs_token.partition(".")
    for forged in (f"{payload}x.{signature}", "eyJ1IjoiYm9iIiwiZSI6OTk5OTk5OTk5OX0.AAAA"):
        context, page = new_tab(browser)
        try:
            context.add_cookies([{"name": COOKIE, "value": forged, "url": url}])
            page.goto(url)
            sign_in_page(page)
        finally:
            context.close()
    context, page = new_tab(browser)
    try:  # the genuine token, in another browser, is a sign-in (what a reload relies on)
        context.add_cookies([{"name": COOKIE, "value": bobs_token, "url": url}])
        page.goto(url)
        signed_in_as(page, "bob")
    finally:
        context.close()


def test_default_settings_open_with_no_sign_in(browser: Browser, app_url: str) -> None:
    context, page = new_tab(browser)
    try:
        page.goto(app_url)
        expect(page.get_by_role("button", name="Start Interview")).to_be_visible(timeout=WAIT_MS)
        signed_in_as(page, "local")
        expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    finally:
        context.close()

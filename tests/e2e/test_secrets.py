"""Secrets stay secret: after a full run with API keys and a database password, none of them
(nor the database URL with its password) is in the logs, the console, the database, the
exports or the pages' HTML.

The run: OpenAI is a loopback server speaking its protocol, so the key travels in every
request; one call fails with a message that quotes the key back (as real providers do for a
wrong key), so the error paths log it. The database is a PostgreSQL role with a password,
made for the test and dropped after it. Interviews run in this process through the services
and in the real app (`interview-platform run`) driven by Chromium.
"""

from __future__ import annotations

import contextlib
import io
import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import MetaData, Table, create_engine, inspect, select
from sqlalchemy.engine import make_url

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import AISettings, Settings
from interview_platform.core.conversation_text import to_markdown, to_plain_text
from interview_platform.core.evaluation.report_format import report_as_markdown
from interview_platform.core.evaluation.report_pdf import report_as_pdf
from interview_platform.errors import InterviewPlatformError
from tests.conftest import make_config
from tests.support.browser import (
    INTERVIEWER_MESSAGE,
    SETTLED,
    free_port,
    running_server,
)
from tests.support.fake_provider_server import FakeProviderServer, Recorded, error, serve
from tests.support.fake_provider_server import text as reply_text

POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
WAIT_MS = 30_000  # one Streamlit rerun, generously
OPENAI_KEY = f"sk-test-LEAKCHECK-openai-{secrets.token_hex(8)}"
ANTHROPIC_KEY = f"sk-ant-test-LEAKCHECK-anthropic-{secrets.token_hex(8)}"
PASSWORD = f"LeakCheckPw{secrets.token_hex(8)}"
USER = "leakcheck"
REPLY = "Good. How would you partition the ledger as it grows?"
ANSWER = "A payment service writes a double-entry ledger in PostgreSQL behind a queue."


@pytest.fixture
def database_url() -> Iterator[str]:
    """A scratch database owned by a role with a password; both dropped afterwards."""
    role, database = f"leakcheck_{secrets.token_hex(4)}", f"leakcheck_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not running on 127.0.0.1:5432 ({exc})")
    with admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        admin.execute(f"CREATE DATABASE {database} OWNER {role}")
        try:
            yield f"postgresql+psycopg://{role}:{PASSWORD}@127.0.0.1:5432/{database}"
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {role}")


# The app's script run is over: what the last action started has rendered.
def wrong_key(request: Recorded) -> tuple[int, str, list[bytes]]:
    """OpenAI's answer to a refused key, quoting the key it was sent."""
    sent = request.headers.get("authorization", "").removeprefix("Bearer ")
    return error(401, f"Incorrect API key provided: {sent}.")(request)


def environment(server: FakeProviderServer, database_url: str, workdir: Path) -> dict[str, str]:
    return {
        "OPENAI_API_KEY": OPENAI_KEY,
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
        "DATABASE_URL": database_url,
        "AI__OPENAI_BASE_URL": f"{server.url}/v1",
        "AI__RETRY_DELAY_SECONDS": "0",
        "AI__MAX_RETRIES": "1",
        "LOG_LEVEL": "DEBUG",
        "LOG_TO_FILE": "true",
        "LOG_FILE_PATH": str(workdir / "logs" / "app.log"),
        "DATA_DIR": str(workdir / "data"),
    }


def settings_for(server: FakeProviderServer, database_url: str, workdir: Path) -> Settings:
    return Settings(
        _env_file=None,
        openai_api_key=OPENAI_KEY,
        anthropic_api_key=ANTHROPIC_KEY,
        database_url=database_url,
        data_dir=workdir / "data",
        log_level="DEBUG",
        log_to_file=True,
        log_file_path=workdir / "logs" / "app.log",
        ai=AISettings(openai_base_url=f"{server.url}/v1", retry_delay_seconds=0, max_retries=1),
    )


def interview(app: Services, server: FakeProviderServer) -> tuple[str, str]:
    """An OpenAI interview: replies, a refused key, an end and an evaluation; and a second
    interview left open for the browser. Returns both sessions' ids."""
    sessions = app.session_manager
    config = make_config(ai_provider="openai", ai_model="gpt-4o-mini")
    done = sessions.create_session(config, USER)
    sessions.start_session(done.id)
    sessions.submit_answer(done.id, ANSWER)
    server.script(wrong_key)
    with contextlib.suppress(InterviewPlatformError):  # the failure is this step's point
        sessions.submit_answer(done.id, "Shard by merchant id, and reconcile nightly.")
    sessions.end_session(done.id)
    sessions.evaluate_session(done.id)
    open_one = sessions.create_session(config, USER)
    sessions.start_session(open_one.id)
    return done.id, open_one.id


def exports(app: Services, session_id: str) -> dict[str, str]:
    messages = app.session_manager.get_conversation(session_id)
    report = app.evaluation_manager.get_evaluation(session_id)
    assert report is not None
    pdf = report_as_pdf(report)
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return {
        "report.md": report_as_markdown(report),
        "report.pdf (raw)": pdf.decode("latin-1"),
        "report.pdf (text)": pdf_text,
        "transcript.md": to_markdown(messages),
        "transcript.txt": to_plain_text(messages),
    }


def database_text(database_url: str) -> dict[str, str]:
    """Every row of every table, as text, by table."""
    engine = create_engine(database_url)
    try:
        tables: dict[str, str] = {}
        with engine.connect() as connection:
            for name in inspect(engine).get_table_names():
                table = Table(name, MetaData(), autoload_with=connection)
                rows = connection.execute(select(table)).all()
                tables[f"table {name}"] = "\n".join(repr(tuple(row)) for row in rows)
        return tables
    finally:
        engine.dispose()


def browse(
    page: Page, url: str, server: FakeProviderServer, ids: tuple[str, str]
) -> dict[str, str]:
    """Every page's HTML and download: an answer on the open interview (replied to over
    OpenAI), a refused key on the next one, its transcript; the finished interview's evaluation
    and its reports; Setup and History."""
    done_id, open_id = ids
    page.goto(f"{url}/interview?user={USER}&session={open_id}")
    answer_box = page.get_by_test_id("stChatInputTextArea")
    interviewer = page.locator(INTERVIEWER_MESSAGE)
    expect(interviewer).to_have_count(1, timeout=WAIT_MS)  # the opening question
    answer_box.fill(ANSWER)
    answer_box.press("Enter")
    expect(interviewer).to_have_count(2, timeout=WAIT_MS)
    expect(interviewer.last).to_contain_text(REPLY, timeout=WAIT_MS)
    server.script(wrong_key)
    answer_box.fill("Reads go to replicas; writes to the primary.")
    answer_box.press("Enter")
    expect(page.get_by_text("Reads go to replicas").first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(500)  # the run the answer started has begun
    page.wait_for_function(SETTLED, timeout=WAIT_MS)  # the failed call's message, or the reply
    found = {
        "interview page": page.content(),
        "transcript download (.md)": download(page, "Markdown"),
        "transcript download (.txt)": download(page, "Text"),
    }
    page.goto(f"{url}/evaluation?user={USER}&session={done_id}")
    expect(page.get_by_role("button", name="Download as PDF")).to_be_visible(timeout=WAIT_MS)
    found["evaluation page"] = page.content()
    found["report download (.md)"] = download(page, "Download as Markdown")
    pdf = download(page, "Download as PDF")
    found["report download (.pdf)"] = pdf
    found["report download (.pdf text)"] = "\n".join(
        sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf.encode("latin-1"))).pages
    )
    for path in ("setup", "history"):
        page.goto(f"{url}/{path}?user={USER}")
        expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=WAIT_MS)
        page.wait_for_timeout(1500)
        found[f"{path} page"] = page.content()
    return found


def download(page: Page, button: str) -> str:
    """The file the button gives, as text (bytes as Latin-1, so nothing is lost)."""
    page.wait_for_function(SETTLED, timeout=WAIT_MS)  # a button clicked mid-run may not fire
    with page.expect_download(timeout=WAIT_MS) as caught:
        page.get_by_role("button", name=button, exact=True).click()
    return Path(caught.value.path()).read_bytes().decode("latin-1")


def leaks(places: dict[str, str], database_url: str) -> list[str]:
    """Where any secret shows, as 'place: secret name'."""
    needles = {
        "OPENAI_API_KEY": OPENAI_KEY,
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
        "database password": PASSWORD,
        "DATABASE_URL": database_url,
        "DATABASE_URL (as SQLAlchemy renders it)": make_url(database_url).render_as_string(
            hide_password=False
        ),
    }
    return [
        f"{place}: {name}"
        for place, text in places.items()
        for name, needle in needles.items()
        if needle in text
    ]


def test_no_secret_in_logs_console_database_exports_or_pages(
    tmp_path: Path, database_url: str, page: Page, capfd: pytest.CaptureFixture[str]
) -> None:
    places: dict[str, str] = {}
    with serve() as server:
        server.default = reply_text(REPLY)
        app = bootstrap(settings_for(server, database_url, tmp_path / "in-process"))
        try:
            done_id, open_id = interview(app, server)
            places.update(exports(app, done_id))
        finally:
            app.close()
        workdir = tmp_path / "app"
        workdir.mkdir()
        port = free_port()
        command = [
            str(Path(sys.executable).parent / "interview-platform"),
            "run",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ]
        env = environment(server, database_url, workdir)
        with running_server(workdir, command, port, env=env) as url:
            places.update(browse(page, url, server, (done_id, open_id)))
        sent = [r for r in server.requests if r.headers.get("authorization")]
        assert not server.replies, "a scripted refusal was never asked for"
    console = capfd.readouterr()
    places["console (this process)"] = console.out + console.err
    places["console (the app)"] = (workdir / "server.log").read_text(errors="replace")
    for log in [*tmp_path.glob("in-process/logs/*"), *workdir.glob("logs/*")]:
        places[f"log {log.relative_to(tmp_path)}"] = log.read_text(errors="replace")
    places.update(database_text(database_url))

    assert {f"Bearer {OPENAI_KEY}"} == {r.headers["authorization"] for r in sent}
    assert len(sent) >= 4, "the key was not used in requests to the provider"
    logs = [place for place in places if place.startswith("log ")]
    assert len(logs) >= 2, f"a log file is missing: {logs}"
    assert ANSWER in places["transcript download (.md)"] + places["transcript download (.txt)"]
    assert "Overall score" in places["report download (.pdf text)"]
    assert any(ANSWER in text for place, text in places.items() if place.startswith("table "))
    assert re.search(r"401|Incorrect API key", "\n".join(places.values())), "no failure logged"
    assert leaks(places, database_url) == []

"""The token budget with two app processes on one database (SQLite file and PostgreSQL).

Each `bootstrap` below is a separate composition root, as a second Streamlit or CLI process
would build; one test also records usage from a real second OS process.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import ExperienceLevel
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.sql_store import SQLDataStore
from tests.conftest import make_config
from tests.integration.conftest import settings_for
from tests.support.fake_provider_server import FakeProviderServer, text

LIMIT = 1000
BRIEF = brief_for(default_bank().get("url-shortener"), ExperienceLevel.SENIOR)
OPENING = "Hi! Today we design a URL shortener. What would you like to clarify first?"
QUESTION = "Good. How would you generate short codes without collisions at this scale?"
# A second app process: its own composition root on the same database, recording one call.
OTHER_PROCESS = """
import sys
from pathlib import Path
from typing import Any
from interview_platform.bootstrap import bootstrap
from interview_platform.config import Settings

url, data_dir, session_id, tokens = sys.argv[1:]
settings = Settings(
    _env_file=None, database_url=url, data_dir=Path(data_dir), log_to_file=False,
    max_tokens_per_session=1000,
)
app = bootstrap(settings, migrate=False, console_logs=False)
app.token_tracker.record_usage(
    session_id, "response_analysis", "openai", "gpt-4o-mini", int(tokens), 0
)
app.close()
"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def first_store(request: pytest.FixtureRequest) -> SQLDataStore:
    """The first process's store: a SQLite file, or a scratch PostgreSQL database."""
    store: SQLDataStore = request.getfixturevalue(f"{request.param}_store")
    return store


@pytest.fixture
def url(first_store: SQLDataStore) -> str:
    return first_store.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def second_store(url: str) -> Iterator[SQLDataStore]:
    store = SQLDataStore(create_database_engine(url), retry_wait=0)
    yield store
    store.close()


def app_on(store: SQLDataStore, settings: Settings) -> Services:
    return bootstrap(settings, data_store=store, migrate=False, console_logs=False)


@pytest.fixture
def settings(server: FakeProviderServer, tmp_path: Path) -> Settings:
    return settings_for(server).model_copy(
        update={"max_tokens_per_session": LIMIT, "log_to_file": False, "data_dir": tmp_path}
    )


@pytest.fixture
def apps(
    first_store: SQLDataStore, second_store: SQLDataStore, settings: Settings
) -> Iterator[tuple[Services, Services]]:
    first, second = app_on(first_store, settings), app_on(second_store, settings)
    yield first, second
    first.logger.close()
    second.logger.close()


def start(app: Services) -> str:
    session = app.session_manager.create_session(
        make_config(ai_provider="openai", ai_model="gpt-4o-mini"), problem=BRIEF
    )
    app.session_manager.start_session(session.id)
    return session.id


def record(app: Services, session_id: str, tokens: int) -> None:
    app.token_tracker.record_usage(
        session_id, "response_analysis", "openai", "gpt-4o-mini", tokens, 0
    )


def budget_warnings(app: Services, session_id: str) -> list[str]:
    entries = app.data_store.get_log_entries(session_id=session_id, min_level="WARNING")
    return [e.message for e in reversed(entries) if e.operation == "budget"]


def test_usage_recorded_by_one_process_counts_in_the_others_budget_at_once(
    server: FakeProviderServer, apps: tuple[Services, Services]
) -> None:
    here, there = apps
    server.script(text(OPENING, 0, 0))
    session_id = start(here)
    assert here.token_tracker.get_budget(session_id).used == 0

    record(there, session_id, 799)
    budget = here.token_tracker.get_budget(session_id)
    assert (budget.used, budget.warning) == (799, False)
    assert here.alerts.check(session_id) == []

    record(there, session_id, 1)
    assert here.token_tracker.get_budget(session_id).warning
    [alert] = here.alerts.check(session_id)
    assert "800 of 1,000 tokens (80%)" in alert.message

    record(there, session_id, 200)
    assert here.token_tracker.get_budget(session_id).exhausted


def test_the_call_that_crosses_a_threshold_warns_whichever_process_makes_it(
    server: FakeProviderServer, apps: tuple[Services, Services]
) -> None:
    here, there = apps
    server.script(text(OPENING, 0, 0))
    session_id = start(here)
    here.token_tracker.get_budget(session_id)

    record(there, session_id, 700)
    record(here, session_id, 100)
    assert budget_warnings(here, session_id) == ["Session has used 800 of 1,000 tokens (80%)."]

    record(there, session_id, 199)
    record(here, session_id, 1)
    assert budget_warnings(here, session_id)[1:] == [
        "Session has used 1,000 of 1,000 tokens (100%)."
    ]


def test_a_budget_spent_in_another_process_switches_this_one_to_the_builtin_interviewer(
    server: FakeProviderServer, apps: tuple[Services, Services]
) -> None:
    here, there = apps
    server.script(text(OPENING, 300, 0), text(QUESTION, 1, 0), text(QUESTION, 1, 0))
    session_id = start(here)

    record(there, session_id, 499)
    _, reply = here.session_manager.submit_answer(session_id, "A base62 counter.")
    assert reply is not None and reply.metadata["engine"] == "openai"
    assert budget_warnings(here, session_id) == ["Session has used 800 of 1,000 tokens (80%)."]

    record(there, session_id, 200)
    _, after = here.session_manager.submit_answer(session_id, "Redis in front of the store.")

    assert after is not None and after.metadata["engine"] == "builtin"
    assert len(server.requests) == 2


def test_usage_written_by_a_second_os_process_is_seen_by_the_next_budget_check(
    server: FakeProviderServer, apps: tuple[Services, Services], url: str, tmp_path: Path
) -> None:
    here, _ = apps
    server.script(text(OPENING, 300, 0), text(QUESTION, 1, 0))
    session_id = start(here)
    assert here.token_tracker.get_budget(session_id).used == 300

    subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, url, str(tmp_path), session_id, "700"],
        check=True,
        timeout=120,
    )

    assert here.token_tracker.get_budget(session_id).exhausted
    _, reply = here.session_manager.submit_answer(session_id, "A base62 counter.")
    assert reply is not None and reply.metadata["engine"] == "builtin"
    assert len(server.requests) == 1


def test_the_budget_sum_is_served_by_the_session_index(first_store: SQLDataStore) -> None:
    sent: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        sent.append((args[2], args[3]))  # the statement and its parameters

    event.listen(first_store.engine, "before_cursor_execute", capture)
    first_store.get_token_total(str(uuid.uuid4()))
    event.remove(first_store.engine, "before_cursor_execute", capture)
    [(statement, parameters)] = [s for s in sent if "token_usage" in s[0]]

    with first_store.engine.begin() as connection:
        if first_store.engine.dialect.name == "sqlite":
            explain = "EXPLAIN QUERY PLAN"
        else:  # on a near-empty table PostgreSQL would rather scan it; forbid that
            explain = "EXPLAIN"
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql(f"{explain} {statement}", parameters).all()

    assert "idx_token_usage_session" in " ".join(str(row) for row in plan)

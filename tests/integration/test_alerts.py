"""Metrics and alerts through the composition root: a real built-in session raises the
turn and session metrics; each alert condition logs one WARNING audit row per 5 minutes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.ai_interviewer import AIInterviewer, TokenSink
from interview_platform.core.models import InterviewResponse, LogEntry, Message, Session
from interview_platform.errors import AIProviderError
from interview_platform.monitoring.alerts import AlertMonitor
from interview_platform.storage.memory_store import InMemoryDataStore
from interview_platform.storage.sql_store import SQLDataStore
from interview_platform.ui.context import services
from tests.conftest import make_config

APP = Path(__file__).resolve().parents[2] / "src" / "interview_platform" / "ui" / "app.py"


class BrokenInterviewer(AIInterviewer):
    """The built-in interviewer, except that every reply fails."""

    def process_response(
        self, session: Session, history: Sequence[Message], on_token: TokenSink | None = None
    ) -> InterviewResponse:
        raise RuntimeError("the interviewer is down")


def settings_in(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        log_to_file=False,
        max_tokens_per_session=1000,
        token_budget_warning_threshold=0.8,
    )


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Services]:
    services = bootstrap(settings_in(tmp_path), data_store=InMemoryDataStore(), console_logs=False)
    yield services
    services.close()


def alert_rows(app: Services, key: str) -> list[LogEntry]:
    return [
        entry
        for entry in app.data_store.get_log_entries(min_level="WARNING", limit=1000)
        if entry.component == "AlertMonitor" and entry.metadata.get("alert") == key
    ]


def run_session(app: Services, answers: int = 2) -> str:
    sessions = app.session_manager
    session = sessions.create_session(make_config(), "alice")
    sessions.start_session(session.id)
    for number in range(answers):
        sessions.submit_answer(session.id, f"Answer {number}: shard by user id, cache reads.")
    sessions.end_session(session.id)
    return session.id


def test_a_builtin_session_raises_session_and_turn_metrics(app: Services) -> None:
    run_session(app, answers=2)
    summary = app.metrics.summary()
    assert summary["sessions_created"] == 1
    assert summary["sessions_completed"] == 1
    assert summary["turns"] == 2
    assert summary["errors"] == 0
    text = app.metrics.render().decode()
    assert 'interview_turns_total{engine="builtin"} 2.0' in text
    assert "interview_response_seconds_count 2.0" in text
    keys = {alert.key for alert in app.alerts.check()}
    assert not keys & {"error_rate", "slow_response", "provider_failures", "database"}


def test_error_rate_alert_after_failed_replies(tmp_path: Path) -> None:
    app = bootstrap(
        settings_in(tmp_path),
        data_store=InMemoryDataStore(),
        interviewer=BrokenInterviewer(),
        console_logs=False,
    )
    try:
        session = app.session_manager.create_session(make_config(), "alice")
        app.session_manager.start_session(session.id)
        with pytest.raises(AIProviderError):
            app.session_manager.submit_answer(session.id, "My design has a load balancer.")
        assert app.metrics.errors_by_component() == {"SessionManager": 1.0}
        assert app.metrics.error_rate() == 1.0

        alerts = {alert.key: alert for alert in app.alerts.check()}
        assert "error rate" in alerts["error_rate"].message.lower()
        assert len(alert_rows(app, "error_rate")) == 1
        app.alerts.check()
        assert len(alert_rows(app, "error_rate")) == 1  # de-duplicated
    finally:
        app.close()


def test_slow_response_alert(app: Services) -> None:
    run_session(app, answers=1)
    app.metrics.turn("builtin", 11.0)
    alerts = {alert.key: alert for alert in app.alerts.check()}
    assert "11.0 s" in alerts["slow_response"].message
    [row] = alert_rows(app, "slow_response")
    assert row.level == "WARNING"
    assert "11.0 s" in row.message
    assert "slow_response" in {alert.key for alert in app.alerts.check()}  # still shown
    assert len(alert_rows(app, "slow_response")) == 1  # but logged once


def test_provider_failure_alert(app: Services) -> None:
    app.metrics.error("provider")
    assert "provider_failures" in {alert.key for alert in app.alerts.check()}
    assert len(alert_rows(app, "provider_failures")) == 1
    assert "provider_failures" not in {alert.key for alert in app.alerts.check()}  # no new ones


def test_token_budget_alert_for_the_session(app: Services) -> None:
    session_id = run_session(app, answers=1)
    assert not any(a.key.startswith("token_budget") for a in app.alerts.check(session_id))
    app.token_tracker.record_usage(session_id, "question_generation", "openai", "gpt-4o", 700, 200)
    assert app.metrics.summary()["tokens"] == 900  # TokenTracker's on_usage hook

    key = f"token_budget:{session_id}"
    alerts = {alert.key: alert for alert in app.alerts.check(session_id)}
    assert "900 of 1,000 tokens (90%)" in alerts[key].message
    [row] = alert_rows(app, key)
    assert row.session_id == session_id
    app.alerts.check(session_id)
    assert len(alert_rows(app, key)) == 1


def test_alerts_are_logged_again_after_five_minutes(app: Services) -> None:
    now = [1000.0]
    monitor = AlertMonitor(
        app.logger, app.metrics, app.health_snapshot, app.settings, clock=lambda: now[0]
    )
    app.metrics.turn("builtin", 12.0)
    monitor.check()
    now[0] += 299
    monitor.check()
    assert len(alert_rows(app, "slow_response")) == 1
    now[0] += 2
    monitor.check()
    assert len(alert_rows(app, "slow_response")) == 2


@pytest.fixture
def offline_app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The whole app's environment for AppTest: data in tmp_path, SQLite, no keys, no metrics;
    the app's services are built afresh by the test (after its own settings) and closed."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LOG_TO_FILE", "false")
    for name in ("DATABASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ENABLE_METRICS"):
        monkeypatch.delenv(name, raising=False)
    services.clear()
    try:
        yield
    finally:
        services().close()
        services.clear()


def test_the_sidebar_shows_alerts_and_the_metrics_summary(offline_app_env: None) -> None:
    services().metrics.turn("builtin", 11.0)
    app_test = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not app_test.exception
    assert any("Slow interviewer" in w.value for w in app_test.sidebar.warning)
    assert any("Turns: 1" in c.value for c in app_test.sidebar.caption)


def test_sidebar_reruns_within_the_health_ttl_ping_the_database_and_read_the_disk_once(
    offline_app_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"ping": 0, "disk": 0}
    real_ping, real_disk_usage = SQLDataStore.ping, shutil.disk_usage

    def counted_ping(store: SQLDataStore) -> None:
        calls["ping"] += 1
        real_ping(store)

    def counted_disk_usage(path: str | Path) -> Any:
        calls["disk"] += 1
        return real_disk_usage(path)

    monkeypatch.setattr(SQLDataStore, "ping", counted_ping)
    monkeypatch.setattr(shutil, "disk_usage", counted_disk_usage)
    monkeypatch.setenv("MONITORING__HEALTH_CHECK_INTERVAL_SECONDS", "3600")
    services().metrics.turn("builtin", 11.0)
    app_test = AppTest.from_file(str(APP), default_timeout=60).run()
    for _ in range(4):
        app_test.run()
    assert not app_test.exception
    assert any("Slow interviewer" in w.value for w in app_test.sidebar.warning)
    assert calls == {"ping": 1, "disk": 1}

"""TokenTracker: raw usage stored, priced when read, per-session totals, validation and the
token budget. PriceTable's own rules are tested in tests/unit/core/test_pricing.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from interview_platform.core.models import TokenUsage, TokenUsageRecord, utc_now
from interview_platform.core.pricing import DatedPrice, PriceTable
from interview_platform.errors import NotFoundError, ValidationError
from interview_platform.monitoring.logging_manager import LoggingConfig, LoggingManager
from interview_platform.monitoring.token_tracker import TokenBudget, TokenTracker
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_session

SINCE = date(2024, 1, 1)
PRICES = (
    DatedPrice("openai", "gpt-4", SINCE, input=0.03, output=0.06),
    DatedPrice("openai", "gpt-4-turbo", SINCE, input=0.01, output=0.03),
    DatedPrice("anthropic", "claude-3-5-sonnet", SINCE, input=0.003, output=0.015),
)


@pytest.fixture
def store() -> InMemoryDataStore:
    return InMemoryDataStore()


@pytest.fixture
def manager(tmp_path: Path, store: InMemoryDataStore) -> Iterator[LoggingManager]:
    config = LoggingConfig(console=False, file_path=tmp_path / "logs" / "app.log", to_db=True)
    logging_manager = LoggingManager(config, store)
    yield logging_manager
    logging_manager.close()


@pytest.fixture
def tracker(store: InMemoryDataStore, manager: LoggingManager) -> TokenTracker:
    return TokenTracker(
        store,
        PriceTable(PRICES),
        max_tokens_per_session=1000,
        warning_threshold=0.8,
        logger=manager,
    )


def new_session(store: InMemoryDataStore) -> str:
    session = make_session()
    store.save_session(session)
    return session.id


@pytest.fixture
def sid(store: InMemoryDataStore) -> str:
    return new_session(store)


def warnings_from(store: InMemoryDataStore, operation: str) -> list[str]:
    return [
        e.message
        for e in store.get_log_entries(min_level="WARNING")
        if e.component == "TokenTracker" and e.operation == operation
    ]


def test_record_usage_returns_and_stores_usage(
    tracker: TokenTracker, store: InMemoryDataStore, sid: str
) -> None:
    usage = tracker.record_usage(sid, "evaluation", "openai", "gpt-4-0613", 1000, 500)

    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens) == (1000, 500, 1500)
    assert usage.estimated_cost == 0.06
    assert (usage.provider, usage.model) == ("openai", "gpt-4-0613")
    assert (usage.estimated, usage.duration_ms) == (False, None)
    [record] = store.get_token_usage(sid)
    assert record.operation == "evaluation"
    assert record.usage == TokenUsage(1000, 500, 1500, 0.0, "openai", "gpt-4-0613")  # no cost


def test_the_estimate_flag_and_duration_are_stored(
    tracker: TokenTracker, store: InMemoryDataStore, sid: str
) -> None:
    usage = tracker.record_usage(
        sid, "evaluation", "openai", "gpt-4", 10, 5, estimated=True, duration_ms=1234.6
    )
    tracker.record_user_usage(
        "dana", "resume_parsing", "openai", "gpt-4", 8, 2, estimated=True, duration_ms=80.2
    )

    assert (usage.estimated, usage.duration_ms) == (True, 1235)
    [record] = store.get_token_usage(sid)
    assert (record.usage.estimated, record.usage.duration_ms) == (True, 1235)
    [user_record] = store.get_user_token_usage("dana")
    assert (user_record.usage.estimated, user_record.usage.duration_ms) == (True, 80)


def test_a_session_with_an_estimated_call_is_marked_estimated(
    tracker: TokenTracker, sid: str
) -> None:
    tracker.record_usage(sid, "question_generation", "openai", "gpt-4", 100, 50)
    assert tracker.get_session_usage(sid).estimated is False

    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 100, 50, estimated=True)

    usage = tracker.get_session_usage(sid)
    assert usage.estimated is True
    assert usage.breakdown_by_operation["evaluation"].estimated is True
    assert usage.breakdown_by_operation["question_generation"].estimated is False


def called_on(store: InMemoryDataStore, sid: str, when: datetime) -> None:
    """A gpt-4o call of 1,000 tokens each way, made at `when`."""
    usage = TokenUsage(1000, 1000, 2000, 0.0, "openai", "gpt-4o")
    store.save_token_usage(TokenUsageRecord(sid, "evaluation", usage, timestamp=when))


def test_a_price_change_does_not_change_what_earlier_calls_cost(
    store: InMemoryDataStore, sid: str
) -> None:
    today = utc_now()
    old = DatedPrice("openai", "gpt-4o", SINCE, input=0.005, output=0.015)
    called_on(store, sid, today - timedelta(days=30))

    def session_cost(*prices: DatedPrice) -> float:
        tracker = TokenTracker(
            store, PriceTable(prices), max_tokens_per_session=10**6, warning_threshold=0.8
        )
        return tracker.get_total_cost(sid)

    assert session_cost(old) == 0.02
    cut = DatedPrice("openai", "gpt-4o", today.date() - timedelta(days=1), 0.0025, 0.01)
    assert session_cost(old, cut) == 0.02  # the call was made before the cut

    called_on(store, sid, today)
    assert session_cost(old, cut) == 0.02 + 0.0125  # a call after the cut pays the new price


def test_unknown_model_costs_nothing_and_warns_once(
    tracker: TokenTracker, store: InMemoryDataStore, sid: str
) -> None:
    first = tracker.record_usage(sid, "evaluation", "openai", "gpt-9", 10, 10)
    second = tracker.record_usage(sid, "evaluation", "openai", "gpt-9", 10, 10)

    assert first.estimated_cost == second.estimated_cost == 0.0
    [message] = warnings_from(store, "record_usage")
    assert "openai/gpt-9" in message
    assert "ai.pricing" in message

    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 10, 10)
    tracker.record_usage(sid, "evaluation", "local", "llama", 10, 10)
    assert len(warnings_from(store, "record_usage")) == 2


def test_session_totals_and_breakdown(tracker: TokenTracker, sid: str) -> None:
    tracker.record_usage(sid, "question_generation", "openai", "gpt-4", 100, 50)
    tracker.record_usage(sid, "question_generation", "openai", "gpt-4", 200, 25)
    tracker.record_usage(sid, "response_analysis", "openai", "gpt-4-turbo", 300, 100)
    tracker.record_usage(sid, "evaluation", "anthropic", "claude-3-5-sonnet", 1000, 1000)

    usage = tracker.get_session_usage(sid)

    assert usage.total_input_tokens == 1600
    assert usage.total_output_tokens == 1175
    assert usage.total_tokens == 2775
    # 0.006 + 0.0075 + 0.006 + 0.018
    assert usage.total_cost == 0.0375
    breakdown = usage.breakdown_by_operation
    assert set(breakdown) == {"question_generation", "response_analysis", "evaluation"}
    questions = breakdown["question_generation"]
    assert (questions.input_tokens, questions.output_tokens) == (300, 75)
    assert questions.total_tokens == 375
    assert questions.estimated_cost == pytest.approx(0.0135)
    assert (questions.provider, questions.model) == ("openai", "gpt-4")
    assert breakdown["response_analysis"].total_tokens == 400
    assert breakdown["response_analysis"].estimated_cost == pytest.approx(0.006)
    assert breakdown["evaluation"].estimated_cost == pytest.approx(0.018)
    assert tracker.get_usage_breakdown(sid) == breakdown
    assert tracker.get_total_cost(sid) == 0.0375


def test_breakdown_marks_mixed_models(tracker: TokenTracker, sid: str) -> None:
    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 1, 1)
    tracker.record_usage(sid, "evaluation", "anthropic", "claude-3-5-sonnet", 1, 1)

    merged = tracker.get_usage_breakdown(sid)["evaluation"]

    assert (merged.provider, merged.model) == ("mixed", "mixed")


def test_sessions_do_not_mix(tracker: TokenTracker, store: InMemoryDataStore, sid: str) -> None:
    other = new_session(store)
    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 1000, 0)
    tracker.record_usage(other, "resume_parsing", "openai", "gpt-4", 0, 1000)

    assert tracker.get_total_cost(sid) == 0.03
    assert tracker.get_total_cost(other) == 0.06
    assert set(tracker.get_usage_breakdown(sid)) == {"evaluation"}
    assert set(tracker.get_usage_breakdown(other)) == {"resume_parsing"}
    assert tracker.get_budget(sid).used == 1000
    assert tracker.get_budget(other).used == 1000


def test_empty_session_has_zero_usage(tracker: TokenTracker, sid: str) -> None:
    usage = tracker.get_session_usage(sid)

    assert (usage.total_tokens, usage.total_cost, usage.breakdown_by_operation) == (0, 0.0, {})
    assert tracker.get_total_cost(sid) == 0.0


@pytest.mark.parametrize(
    ("operation", "provider", "model", "tokens_in", "tokens_out", "fragment"),
    [
        ("chit_chat", "openai", "gpt-4", 1, 1, "Unknown token operation"),
        ("", "openai", "gpt-4", 1, 1, "Unknown token operation"),
        ("evaluation", "openai", "gpt-4", -1, 1, "input_tokens"),
        ("evaluation", "openai", "gpt-4", 1, -5, "output_tokens"),
        ("evaluation", "openai", "gpt-4", 1.5, 1, "input_tokens"),
        ("evaluation", "openai", "gpt-4", "10", 1, "input_tokens"),
        ("evaluation", "openai", "gpt-4", None, 1, "input_tokens"),
        ("evaluation", "openai", "gpt-4", True, 1, "input_tokens"),
        ("evaluation", "openai", "gpt-4", 1, False, "output_tokens"),
        ("evaluation", "", "gpt-4", 1, 1, "provider and model"),
        ("evaluation", "openai", "  ", 1, 1, "provider and model"),
    ],
)
def test_invalid_usage_is_refused(
    tracker: TokenTracker,
    store: InMemoryDataStore,
    sid: str,
    operation: str,
    provider: str,
    model: str,
    tokens_in: Any,
    tokens_out: Any,
    fragment: str,
) -> None:
    with pytest.raises(ValidationError, match=fragment):
        tracker.record_usage(sid, operation, provider, model, tokens_in, tokens_out)

    assert store.get_token_usage(sid) == []


def test_unknown_session_is_not_found(tracker: TokenTracker) -> None:
    with pytest.raises(NotFoundError):
        tracker.record_usage(str(uuid.uuid4()), "evaluation", "openai", "gpt-4", 1, 1)


def test_budget_reports_fraction_warning_and_exhaustion(tracker: TokenTracker, sid: str) -> None:
    assert tracker.get_budget(sid) == TokenBudget(0, 1000, 0.8)

    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 500, 299)
    budget = tracker.get_budget(sid)
    assert (budget.used, budget.fraction) == (799, 0.799)
    assert (budget.warning, budget.exhausted) == (False, False)

    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 1, 0)
    budget = tracker.get_budget(sid)
    assert (budget.fraction, budget.warning, budget.exhausted) == (0.8, True, False)

    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 200, 0)
    budget = tracker.get_budget(sid)
    assert (budget.fraction, budget.warning, budget.exhausted) == (1.0, True, True)


def test_budget_warnings_fire_once_per_crossing(
    tracker: TokenTracker, store: InMemoryDataStore, sid: str
) -> None:
    def record(tokens: int) -> int:
        tracker.record_usage(sid, "response_analysis", "openai", "gpt-4", tokens, 0)
        return len(warnings_from(store, "budget"))

    assert [record(400), record(300), record(99)] == [0, 0, 0]  # 799: still below 80%
    assert record(1) == 1  # 800: the warning threshold
    assert [record(100), record(99)] == [1, 1]  # 999: still below the limit
    assert record(1) == 2  # 1000: the budget is used up
    assert [record(50), record(500)] == [2, 2]  # past the limit: no repeats

    rows = [e for e in store.get_log_entries(session_id=sid) if e.operation == "budget"]
    assert [r.level for r in rows] == ["WARNING", "WARNING"]
    assert [r.metadata["tokens_used"] for r in rows] == [1000, 800]
    assert all(r.metadata["token_limit"] == 1000 for r in rows)
    assert "800 of 1,000 tokens (80%)" in rows[1].message


def test_jumping_past_the_limit_warns_once(
    tracker: TokenTracker, store: InMemoryDataStore, sid: str
) -> None:
    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 1500, 0)

    [message] = warnings_from(store, "budget")
    assert "1,500 of 1,000 tokens (150%)" in message
    assert tracker.get_budget(sid).exhausted


def test_budget_warnings_are_per_session(
    tracker: TokenTracker, store: InMemoryDataStore, sid: str
) -> None:
    other = new_session(store)
    tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 900, 0)
    tracker.record_usage(other, "evaluation", "openai", "gpt-4", 500, 0)

    assert len(store.get_log_entries(session_id=sid)) == 1
    assert store.get_log_entries(session_id=other) == []


class RacedStore(InMemoryDataStore):
    """Another process's calls land between the tracker's read of the total and its write."""

    def __init__(self) -> None:
        super().__init__()
        self.arriving: list[TokenUsageRecord] = []

    def save_token_usage(self, record: TokenUsageRecord) -> None:
        for other in self.arriving:
            super().save_token_usage(other)
        self.arriving.clear()
        super().save_token_usage(record)


@pytest.fixture
def raced() -> RacedStore:
    return RacedStore()


@pytest.fixture
def raced_tracker(tmp_path: Path, raced: RacedStore) -> Iterator[TokenTracker]:
    config = LoggingConfig(console=False, file_path=tmp_path / "logs" / "app.log", to_db=True)
    logging_manager = LoggingManager(config, raced)
    yield TokenTracker(
        raced,
        PriceTable(PRICES),
        max_tokens_per_session=1000,
        warning_threshold=0.8,
        logger=logging_manager,
    )
    logging_manager.close()


def test_a_threshold_crossed_during_a_race_with_another_process_is_warned(
    raced_tracker: TokenTracker, raced: RacedStore
) -> None:
    sid = new_session(raced)
    raced_tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 700, 0)
    elsewhere = TokenUsage(50, 0, 50, 0.0, "openai", "gpt-4")
    raced.arriving.append(TokenUsageRecord(sid, "evaluation", elsewhere))

    raced_tracker.record_usage(sid, "evaluation", "openai", "gpt-4", 60, 0)  # 750 -> 810

    assert warnings_from(raced, "budget") == ["Session has used 810 of 1,000 tokens (81%)."]


def test_tracker_without_logger_still_tracks(store: InMemoryDataStore, sid: str) -> None:
    quiet = TokenTracker(
        store, PriceTable(PRICES), max_tokens_per_session=10, warning_threshold=0.5
    )

    quiet.record_usage(sid, "evaluation", "nobody", "nothing", 20, 0)

    assert quiet.get_budget(sid).exhausted
    assert store.get_log_entries() == []

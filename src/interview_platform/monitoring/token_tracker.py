"""TokenTracker: records every AI call's usage, per session and per operation, and prices it.

Usage is stored raw (tokens, whether they were estimated, how long the call took); its cost is
computed whenever it is read, at the price in force on the day of the call (core.pricing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from interview_platform.core.models import (
    ZERO_USAGE,
    SessionTokenUsage,
    TokenUsage,
    TokenUsageRecord,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.pricing import PriceTable
from interview_platform.errors import ValidationError

if TYPE_CHECKING:
    from interview_platform.monitoring.logging_manager import LoggingManager

OPERATIONS = frozenset(
    {
        "question_generation",
        "response_analysis",
        "whiteboard_analysis",
        "evaluation",
        "resume_parsing",
    }
)


@dataclass(frozen=True)
class TokenBudget:
    used: int
    limit: int
    warning_threshold: float

    @property
    def fraction(self) -> float:
        return self.used / self.limit

    @property
    def warning(self) -> bool:
        return self.fraction >= self.warning_threshold

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit


class TokenTracker:
    def __init__(
        self,
        data_store: DataStore,
        prices: PriceTable,
        *,
        max_tokens_per_session: int,
        warning_threshold: float,
        logger: LoggingManager | None = None,
        on_usage: Callable[[str, TokenUsage], None] | None = None,
    ) -> None:
        """`on_usage(operation, usage)` is called after each recorded call (e.g. metrics)."""
        self._on_usage = on_usage
        self._store = data_store
        self._prices = prices
        self._limit = max_tokens_per_session
        self._threshold = warning_threshold
        self._logger = logger
        self._unpriced_warned: set[tuple[str, str]] = set()

    def record_usage(
        self,
        session_id: str,
        operation: str,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        *,
        estimated: bool = False,
        duration_ms: float | None = None,
    ) -> TokenUsage:
        """Store one call's usage; warn once the session nears its budget. Returns the usage
        priced as of now. `estimated`: the provider reported no usage, the tokens were counted
        locally; `duration_ms`: how long the call took (None when unknown)."""
        usage = _usage(provider, model, input_tokens, output_tokens, estimated, duration_ms)
        record = TokenUsageRecord(session_id, _known(operation), usage)
        before = self.get_budget(session_id)
        self._store.save_token_usage(record)
        self._warn_on_crossing(session_id, before)
        return self._notify(record)

    def record_user_usage(
        self,
        user_id: str,
        operation: str,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        *,
        estimated: bool = False,
        duration_ms: float | None = None,
    ) -> TokenUsage:
        """Store usage incurred before any session exists (resume parsing), under the user."""
        usage = _usage(provider, model, input_tokens, output_tokens, estimated, duration_ms)
        record = TokenUsageRecord(None, _known(operation), usage, user_id=user_id)
        self._store.save_token_usage(record)
        return self._notify(record)

    def _notify(self, record: TokenUsageRecord) -> TokenUsage:
        usage = self._priced(record)
        if self._on_usage is not None:
            self._on_usage(record.operation, usage)
        return usage

    def _priced(self, record: TokenUsageRecord) -> TokenUsage:
        """The record's usage with its cost at the price in force on the day of the call."""
        usage = record.usage
        return replace(usage, estimated_cost=self._cost(usage, record.timestamp.date()))

    def _cost(self, usage: TokenUsage, on: date) -> float:
        provider, model = usage.provider, usage.model
        if (
            self._prices.price(provider, model, on) is None
            and (provider, model) not in self._unpriced_warned
        ):
            self._unpriced_warned.add((provider, model))
            if self._logger:
                self._logger.warning(
                    "TokenTracker",
                    "record_usage",
                    f"No price for {provider}/{model}; its cost is counted as $0. "
                    "Add it under ai.pricing in config/config.yaml.",
                )
        return self._prices.cost(provider, model, usage.input_tokens, usage.output_tokens, on)

    def _warn_on_crossing(self, session_id: str, before: TokenBudget) -> None:
        """Warn if the budget crossed a threshold since `before` was read. The total is read
        again, not added up: another process may have recorded usage in between, and then
        each racing call sees the crossing (one may warn twice; none is missed)."""
        if self._logger is None or before.exhausted:
            return
        after = self.get_budget(session_id)
        if after.exhausted or (after.warning and not before.warning):
            self._logger.warning(
                "TokenTracker",
                "budget",
                f"Session has used {after.used:,} of {self._limit:,} tokens "
                f"({after.fraction:.0%}).",
                session_id=session_id,
                tokens_used=after.used,
                token_limit=self._limit,
            )

    def get_budget(self, session_id: str) -> TokenBudget:
        """The session's budget, summed by the store on every call: nothing is kept in this
        process, so usage recorded by another process on the same database counts at once."""
        used = self._store.get_token_total(session_id)
        return TokenBudget(used, self._limit, self._threshold)

    def get_session_usage(self, session_id: str) -> SessionTokenUsage:
        """The session's tokens and cost, each call priced at the price of its day."""
        breakdown = self.get_usage_breakdown(session_id)
        total = sum(breakdown.values(), ZERO_USAGE)
        return SessionTokenUsage(
            total_input_tokens=total.input_tokens,
            total_output_tokens=total.output_tokens,
            total_tokens=total.total_tokens,
            total_cost=round(total.estimated_cost, 6),
            breakdown_by_operation=breakdown,
            estimated=total.estimated,
        )

    def get_total_cost(self, session_id: str) -> float:
        return self.get_session_usage(session_id).total_cost

    def get_usage_breakdown(self, session_id: str) -> dict[str, TokenUsage]:
        breakdown: dict[str, TokenUsage] = {}
        for record in self._store.get_token_usage(session_id):
            usage = self._priced(record)
            breakdown[record.operation] = breakdown.get(record.operation, ZERO_USAGE) + usage
        return breakdown


def _usage(
    provider: str,
    model: str,
    input_tokens: int,
    output_tokens: int,
    estimated: bool,
    duration_ms: float | None,
) -> TokenUsage:
    """One call's raw usage, validated; its cost is left to be priced when read."""
    _validate(provider, model, input_tokens, output_tokens)
    return TokenUsage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=input_tokens + output_tokens,
        estimated_cost=0.0,
        provider=provider,
        model=model,
        estimated=estimated,
        duration_ms=None if duration_ms is None else max(round(duration_ms), 0),
    )


def _known(operation: str) -> str:
    if operation not in OPERATIONS:
        raise ValidationError(
            f"Unknown token operation '{operation[:50]}'; "
            f"use one of {', '.join(sorted(OPERATIONS))}."
        )
    return operation


def _validate(provider: str, model: str, input_tokens: int, output_tokens: int) -> None:
    if not provider.strip() or not model.strip():
        raise ValidationError("Token usage needs the provider and model that served the call.")
    for name, value in (("input_tokens", input_tokens), ("output_tokens", output_tokens)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"{name} must be a whole number of tokens >= 0, got {value!r}.")

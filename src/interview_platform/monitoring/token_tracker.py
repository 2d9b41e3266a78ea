"""TokenTracker: records every AI call's tokens and cost, per session and per operation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interview_platform.core.models import (
    ZERO_USAGE,
    SessionTokenUsage,
    TokenUsage,
    TokenUsageRecord,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import ValidationError

if TYPE_CHECKING:
    from interview_platform.config import ModelPrice
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


class PriceTable:
    """USD per 1,000 tokens by provider and model; a dated model name matches its family."""

    def __init__(self, pricing: dict[str, dict[str, ModelPrice]]) -> None:
        self._pricing = {
            p.lower(): {m.lower(): v for m, v in ms.items()} for p, ms in pricing.items()
        }

    def price(self, provider: str, model: str) -> ModelPrice | None:
        models = self._pricing.get(provider.lower(), {})
        name = model.lower()
        if name in models:
            return models[name]
        family = max((m for m in models if _in_family(name, m)), key=len, default=None)
        return models[family] if family else None

    def cost(self, provider: str, model: str, input_tokens: int, output_tokens: int) -> float:
        price = self.price(provider, model)
        if price is None:
            return 0.0
        return round((input_tokens * price.input + output_tokens * price.output) / 1000, 6)


def _in_family(model: str, family: str) -> bool:
    """gpt-4-0613 is a gpt-4; gpt-4o is not."""
    following = model[len(family) : len(family) + 1]
    return model.startswith(family) and following in ("", "-", ":", "@", ".")


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
    ) -> TokenUsage:
        """Store one call's usage with its cost; warn once the session nears its budget."""
        usage = self._priced(operation, provider, model, input_tokens, output_tokens)
        before = self.get_budget(session_id)
        self._store.save_token_usage(TokenUsageRecord(session_id, operation, usage))
        self._warn_on_crossing(session_id, before)
        if self._on_usage is not None:
            self._on_usage(operation, usage)
        return usage

    def record_user_usage(
        self,
        user_id: str,
        operation: str,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
    ) -> TokenUsage:
        """Store usage incurred before any session exists (resume parsing), under the user."""
        usage = self._priced(operation, provider, model, input_tokens, output_tokens)
        record = TokenUsageRecord(None, operation, usage, user_id=user_id)
        self._store.save_token_usage(record)
        if self._on_usage is not None:
            self._on_usage(operation, usage)
        return usage

    def _priced(
        self, operation: str, provider: str, model: str, input_tokens: int, output_tokens: int
    ) -> TokenUsage:
        """One call's usage, validated and priced."""
        _validate(operation, provider, model, input_tokens, output_tokens)
        return TokenUsage(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            total_tokens=input_tokens + output_tokens,
            estimated_cost=self._cost(provider, model, input_tokens, output_tokens),
            provider=provider,
            model=model,
        )

    def _cost(self, provider: str, model: str, input_tokens: int, output_tokens: int) -> float:
        if (
            self._prices.price(provider, model) is None
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
        return self._prices.cost(provider, model, input_tokens, output_tokens)

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
        breakdown = self.get_usage_breakdown(session_id)
        total = sum(breakdown.values(), ZERO_USAGE)
        return SessionTokenUsage(
            total_input_tokens=total.input_tokens,
            total_output_tokens=total.output_tokens,
            total_tokens=total.total_tokens,
            total_cost=round(total.estimated_cost, 6),
            breakdown_by_operation=breakdown,
        )

    def get_total_cost(self, session_id: str) -> float:
        return self.get_session_usage(session_id).total_cost

    def get_usage_breakdown(self, session_id: str) -> dict[str, TokenUsage]:
        breakdown: dict[str, TokenUsage] = {}
        for record in self._store.get_token_usage(session_id):
            breakdown[record.operation] = breakdown.get(record.operation, ZERO_USAGE) + record.usage
        return breakdown


def _validate(
    operation: str, provider: str, model: str, input_tokens: int, output_tokens: int
) -> None:
    if operation not in OPERATIONS:
        raise ValidationError(
            f"Unknown token operation '{operation[:50]}'; "
            f"use one of {', '.join(sorted(OPERATIONS))}."
        )
    if not provider.strip() or not model.strip():
        raise ValidationError("Token usage needs the provider and model that served the call.")
    for name, value in (("input_tokens", input_tokens), ("output_tokens", output_tokens)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"{name} must be a whole number of tokens >= 0, got {value!r}.")

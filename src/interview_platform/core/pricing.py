"""What AI calls cost: USD per 1,000 tokens by provider and model, and since when.

Usage is stored raw (tokens, not dollars); a call is priced when it is read, at the price in
force on the day it was made. A new `DatedPrice` with a later `since` changes what later calls
cost and leaves earlier ones as they were.

Two sources:
- dated prices (each provider plug-in's list prices): the latest whose `since` is on or before
  the call's day; a call made before a model's first dated price is priced at that first price;
- overrides (the user's `ai.pricing` / `AI__PRICING` setting): a provider set there has those
  prices only, undated: they price every call of that provider, whenever it was made.

A dated model name matches its family (`gpt-4o-2024-08-06` is priced as `gpt-4o`). A model in
neither source has no price: its calls cost 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from interview_platform.errors import ValidationError

T = TypeVar("T")

PER_TOKENS = 1000
"""Prices are USD per this many tokens (the unit of the `ai.pricing` setting)."""


class Price(Protocol):
    """USD per 1,000 input and output tokens (`config.ModelPrice` is one)."""

    @property
    def input(self) -> float: ...

    @property
    def output(self) -> float: ...


@dataclass(frozen=True)
class DatedPrice:
    """A model's price from `since` (inclusive) until the model's next `DatedPrice`."""

    provider: str
    model: str
    since: date
    input: float
    """USD per 1,000 input tokens."""
    output: float
    """USD per 1,000 output tokens."""

    def __post_init__(self) -> None:
        if not self.provider.strip() or not self.model.strip():
            raise ValidationError("A price names the provider and the model it is for.")
        if self.input < 0 or self.output < 0:
            raise ValidationError(
                f"The price of {self.provider}/{self.model} since {self.since} is negative; "
                "give USD per 1,000 tokens >= 0."
            )


class PriceTable:
    """Prices a call at the time it was made; see the module's docstring for the rules."""

    def __init__(
        self,
        prices: Iterable[DatedPrice] = (),
        overrides: Mapping[str, Mapping[str, Price]] | None = None,
    ) -> None:
        self._dated: dict[str, dict[str, list[DatedPrice]]] = {}
        for price in sorted(prices, key=lambda p: p.since):
            models = self._dated.setdefault(price.provider.lower(), {})
            models.setdefault(price.model.lower(), []).append(price)
        self._overrides = {
            p.lower(): {m.lower(): v for m, v in ms.items()} for p, ms in (overrides or {}).items()
        }

    def price(self, provider: str, model: str, on: date) -> Price | None:
        """The price of `provider`/`model` on day `on`, or None when the model has none."""
        overrides = self._overrides.get(provider.lower())
        if overrides is not None:
            return _lookup(overrides, model)
        history = _lookup(self._dated.get(provider.lower(), {}), model)
        if not history:
            return None
        in_force = [p for p in history if p.since <= on]
        return in_force[-1] if in_force else history[0]

    def cost(
        self, provider: str, model: str, input_tokens: int, output_tokens: int, on: date
    ) -> float:
        """USD for one call made on day `on`, rounded to 6 places; 0 for a model with no price."""
        price = self.price(provider, model, on)
        if price is None:
            return 0.0
        return round((input_tokens * price.input + output_tokens * price.output) / PER_TOKENS, 6)


def _lookup(models: Mapping[str, T], model: str) -> T | None:
    """The entry for `model`, else for the longest family it belongs to."""
    name = model.lower()
    if name in models:
        return models[name]
    family = max((m for m in models if _in_family(name, m)), key=len, default=None)
    return models[family] if family else None


def _in_family(model: str, family: str) -> bool:
    """gpt-4-0613 is a gpt-4; gpt-4o is not."""
    following = model[len(family) : len(family) + 1]
    return model.startswith(family) and following in ("", "-", ":", "@", ".")

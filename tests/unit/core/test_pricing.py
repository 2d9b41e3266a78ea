"""PriceTable: a call is priced at the price in force on its day; overrides win; families match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from interview_platform.core.pricing import DatedPrice, PriceTable
from interview_platform.errors import ValidationError

JAN = date(2025, 1, 1)
JUN = date(2025, 6, 1)

GPT_4O_JAN = DatedPrice("openai", "gpt-4o", JAN, input=0.005, output=0.015)
GPT_4O_JUN = DatedPrice("openai", "gpt-4o", JUN, input=0.0025, output=0.01)


@dataclass(frozen=True)
class Override:
    input: float
    output: float


def test_a_later_price_does_not_change_what_an_earlier_call_cost() -> None:
    before = PriceTable([GPT_4O_JAN]).cost("openai", "gpt-4o", 1000, 1000, date(2025, 3, 1))

    after = PriceTable([GPT_4O_JAN, GPT_4O_JUN]).cost(
        "openai", "gpt-4o", 1000, 1000, date(2025, 3, 1)
    )

    assert before == after == 0.02


@pytest.mark.parametrize(
    ("day", "cost"),
    [
        (date(2024, 12, 31), 0.02),  # before the first price: the first price
        (JAN, 0.02),
        (date(2025, 5, 31), 0.02),
        (JUN, 0.0125),  # `since` is inclusive
        (date(2026, 1, 1), 0.0125),
    ],
)
def test_the_price_in_force_on_the_calls_day(day: date, cost: float) -> None:
    prices = PriceTable([GPT_4O_JUN, GPT_4O_JAN])  # any order

    assert prices.cost("openai", "gpt-4o", 1000, 1000, day) == cost


def test_an_override_replaces_its_providers_prices_at_every_date() -> None:
    gpt_4 = DatedPrice("openai", "gpt-4", JAN, input=0.03, output=0.06)
    claude = DatedPrice("anthropic", "claude-3-5-sonnet", JAN, input=0.003, output=0.015)
    prices = PriceTable(
        [GPT_4O_JAN, GPT_4O_JUN, gpt_4, claude],
        overrides={"OpenAI": {"GPT-4o": Override(0.001, 0.002)}},
    )

    assert prices.cost("openai", "gpt-4o", 1000, 1000, JAN) == 0.003
    assert prices.cost("openai", "gpt-4o", 1000, 1000, JUN) == 0.003
    assert prices.price("openai", "gpt-4", JUN) is None  # not in the provider's own list
    assert prices.price("anthropic", "claude-3-5-sonnet", JUN) == claude


def test_a_dated_model_name_is_priced_as_its_family() -> None:
    prices = PriceTable([GPT_4O_JAN, DatedPrice("openai", "gpt-4", JAN, 0.03, 0.06)])

    assert prices.price("openai", "gpt-4o-2024-08-06", JUN) == GPT_4O_JAN
    assert prices.price("openai", "gpt-4-0613", JUN) == DatedPrice(
        "openai", "gpt-4", JAN, 0.03, 0.06
    )


def test_a_model_without_a_price_costs_nothing() -> None:
    prices = PriceTable([GPT_4O_JAN])

    assert prices.price("openai", "o3", JUN) is None
    assert prices.cost("openai", "o3", 1000, 1000, JUN) == 0.0
    assert prices.cost("ollama", "gpt-4o", 1000, 1000, JUN) == 0.0


@pytest.mark.parametrize(
    ("provider", "model", "price_in"), [("", "m", 0.1), ("p", " ", 0.1), ("p", "m", -0.1)]
)
def test_a_price_must_name_its_model_and_be_non_negative(
    provider: str, model: str, price_in: float
) -> None:
    with pytest.raises(ValidationError):
        DatedPrice(provider, model, JAN, input=price_in, output=0.0)


LIST = (
    DatedPrice("openai", "gpt-4", JAN, input=0.03, output=0.06),
    DatedPrice("openai", "gpt-4-turbo", JAN, input=0.01, output=0.03),
    DatedPrice("anthropic", "claude-3-5-sonnet", JAN, input=0.003, output=0.015),
)


@pytest.mark.parametrize(
    ("provider", "model", "tokens_in", "tokens_out", "cost"),
    [
        ("openai", "gpt-4", 1000, 500, 0.06),
        ("openai", "gpt-4", 0, 0, 0.0),
        ("openai", "gpt-4-turbo", 2000, 1000, 0.05),
        ("anthropic", "claude-3-5-sonnet", 1234, 567, 0.012207),
        ("openai", "gpt-4", 1, 1, 0.00009),
        ("OpenAI", "GPT-4", 1000, 0, 0.03),
    ],
)
def test_cost_per_thousand_tokens(
    provider: str, model: str, tokens_in: int, tokens_out: int, cost: float
) -> None:
    assert PriceTable(LIST).cost(provider, model, tokens_in, tokens_out, JUN) == cost


def test_cost_is_rounded_to_six_places() -> None:
    prices = PriceTable([DatedPrice("p", "m", JAN, input=0.0001234567, output=0.0)])

    assert prices.cost("p", "m", 1, 0, JUN) == 0.0
    assert prices.cost("p", "m", 1000, 0, JUN) == 0.000123


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("gpt-4-turbo", "gpt-4-turbo"),
        ("gpt-4-turbo-2024-04-09", "gpt-4-turbo"),
        ("claude-3-5-sonnet-20241022", "claude-3-5-sonnet"),
    ],
)
def test_a_dated_model_uses_the_longest_matching_family(model: str, family: str) -> None:
    provider = "anthropic" if model.startswith("claude") else "openai"

    price = PriceTable(LIST).price(provider, model, JUN)

    assert isinstance(price, DatedPrice) and price.model == family


@pytest.mark.parametrize(("model"), ["gpt-4o", "gpt-3.5", "gpt"])
def test_a_family_match_stops_at_a_name_boundary(model: str) -> None:
    assert PriceTable(LIST).price("openai", model, JUN) is None

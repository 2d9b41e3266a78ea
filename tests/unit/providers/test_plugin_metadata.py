"""Each plug-in owns what the app knows of its provider: settings, key names, default model,
prices and where it is probed; the config, the logs and the health checks read it from there."""

from __future__ import annotations

from datetime import date

import pytest

from interview_platform.bootstrap import secrets_of
from interview_platform.config import AISettings, Settings
from interview_platform.core.pricing import DatedPrice, PriceTable
from interview_platform.errors import ConfigurationError
from interview_platform.monitoring.health import HealthChecker
from interview_platform.providers.langchain_provider import LangChainProvider
from interview_platform.providers.registry import (
    ProviderPlugin,
    ProviderRegistry,
    ProviderSetting,
    default_registry,
)
from interview_platform.storage.memory_store import InMemoryDataStore

PLUGINS = default_registry().plugins()
PAID = [plugin for plugin in PLUGINS if any(s.secret and s.required for s in plugin.settings)]
KEY = "sk-test-0123456789abcdefghijklmnop"


def by_name(plugin: ProviderPlugin) -> str:
    return plugin.name


def create(settings: Settings, model: str | None) -> LangChainProvider:
    raise AssertionError("not built")


@pytest.mark.parametrize("plugin", PLUGINS, ids=by_name)
def test_every_plugin_says_what_configures_it_and_which_model_it_uses(
    plugin: ProviderPlugin,
) -> None:
    required = [setting.variable for setting in plugin.settings if setting.required]
    assert required, f"{plugin.name} names no setting that makes it available"
    assert plugin.requires == " and ".join(required)
    assert plugin.default_model
    assert plugin.reachability.url_setting or plugin.reachability.default_url


@pytest.mark.parametrize("plugin", PLUGINS, ids=by_name)
def test_every_setting_a_plugin_names_is_read_from_its_environment_variable(
    plugin: ProviderPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = {s.variable: f"http://127.0.0.1:9/{s.variable.lower()}" for s in plugin.settings}
    for variable, value in values.items():
        monkeypatch.setenv(variable, value)

    settings = Settings(_env_file=None)

    assert {variable: settings.value_of(variable) for variable in values} == values
    assert plugin.is_available(settings)


@pytest.mark.parametrize("plugin", PLUGINS, ids=by_name)
def test_a_plugin_is_not_offered_until_its_required_settings_are_set(
    plugin: ProviderPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    for setting in plugin.settings:
        monkeypatch.delenv(setting.variable, raising=False)

    assert not plugin.is_available(Settings(_env_file=None))


@pytest.mark.parametrize("plugin", PAID, ids=by_name)
def test_a_paid_provider_prices_its_default_model_in_its_own_name(plugin: ProviderPlugin) -> None:
    prices = PriceTable(plugin.prices)
    assert prices.price(plugin.name, plugin.default_model, date.today()) is not None
    assert {price.provider for price in plugin.prices} == {plugin.name}


def test_the_key_providers_are_the_paid_ones_and_local_servers_cost_nothing() -> None:
    assert sorted(plugin.name for plugin in PAID) == ["anthropic", "openai"]
    assert [plugin.prices for plugin in PLUGINS if plugin not in PAID] == [(), ()]


def test_a_later_price_replaces_an_earlier_one_from_its_date_on() -> None:
    prices = PriceTable(default_registry().prices())

    def gpt_4o_input(on: date) -> float | None:
        price = prices.price("openai", "gpt-4o-2024-08-06", on)
        return price.input if price is not None else None

    assert gpt_4o_input(date(2024, 6, 1)) == 0.005
    assert gpt_4o_input(date(2025, 1, 1)) == 0.0025


def test_every_secret_setting_is_masked_in_the_logs() -> None:
    settings = Settings(
        _env_file=None,
        openai_api_key=KEY + "o",
        anthropic_api_key=KEY + "a",
        ai=AISettings(openai_compatible_api_key=KEY + "c"),
    )
    secret_variables = {s.variable for plugin in PLUGINS for s in plugin.settings if s.secret}

    assert secret_variables == {
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "AI__OPENAI_COMPATIBLE_API_KEY",
    }
    assert {KEY + "o", KEY + "a", KEY + "c"} <= set(secrets_of(settings))


def test_a_configured_provider_is_probed_where_its_plugin_says() -> None:
    settings = Settings(
        _env_file=None,
        openai_api_key=KEY,
        anthropic_api_key=KEY,
        ai=AISettings(
            anthropic_base_url="http://proxy.internal:8080",
            ollama_base_url="http://127.0.0.1:11434",
        ),
    )

    endpoints = HealthChecker(settings, InMemoryDataStore()).provider_endpoints()

    assert endpoints == {
        "anthropic": "http://proxy.internal:8080",
        "ollama": "http://127.0.0.1:11434",
        "openai": "https://api.openai.com/v1",
    }


def test_a_plugin_that_sets_its_required_settings_is_available_when_they_are_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = ProviderRegistry()
    registry.register(
        "mistral",
        create,
        note="key set",
        settings=(ProviderSetting("MISTRAL_API_KEY", secret=True, required=True),),
    )
    assert registry.available(Settings(_env_file=None)) == []
    assert registry.plugin("mistral").requires == "MISTRAL_API_KEY"

    monkeypatch.setenv("MISTRAL_API_KEY", KEY)

    assert registry.available(Settings(_env_file=None)) == ["mistral"]
    assert registry.secrets(Settings(_env_file=None)) == (KEY,)


def test_a_plugin_cannot_list_prices_for_another_provider() -> None:
    registry = ProviderRegistry()
    foreign = DatedPrice("openai", "gpt-4o", date(2024, 1, 1), input=1.0, output=1.0)

    with pytest.raises(ConfigurationError, match="lists a price for another provider"):
        registry.register("mistral", create, note="key set", prices=(foreign,))
    assert registry.names() == []

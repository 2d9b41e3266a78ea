"""Providers are plug-ins looked up by name or alias; a new one needs no edit elsewhere."""

from __future__ import annotations

import pytest

from interview_platform.config import AISettings, Settings
from interview_platform.errors import ConfigurationError
from interview_platform.providers.langchain_provider import LangChainProvider
from interview_platform.providers.registry import ProviderRegistry, default_registry

KEY = "sk-test-0123456789abcdefghijklmnop"


def bare() -> Settings:
    return Settings(_env_file=None)


def test_the_default_registry_knows_every_built_in_plugin() -> None:
    assert default_registry().names() == ["anthropic", "ollama", "openai", "openai_compatible"]


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("claude", "anthropic"),
        ("GPT", "openai"),
        ("LM-Studio", "openai_compatible"),
        ("lm-studio", "openai_compatible"),
        ("LM Studio", "openai_compatible"),
        ("lmstudio", "openai_compatible"),
        ("llama.cpp", "openai_compatible"),
        ("llama-cpp", "openai_compatible"),
        ("openai-compatible", "openai_compatible"),
        ("OpenAI_Compatible", "openai_compatible"),
        (" Ollama ", "ollama"),
    ],
)
def test_aliases_resolve_to_the_plugin(alias: str, name: str) -> None:
    assert default_registry().resolve(alias) == name


def test_spellings_of_one_name_cannot_be_registered_by_two_plugins() -> None:
    registry = ProviderRegistry()

    def create(settings: Settings, model: str | None) -> LangChainProvider:
        raise AssertionError("not built")

    registry.register("lm_studio", create, available=lambda s: False, note="one")
    with pytest.raises(ConfigurationError, match="registered twice"):
        registry.register(
            "other", create, available=lambda s: False, note="two", aliases=("LM-Studio",)
        )
    assert registry.names() == ["lm_studio"]
    with pytest.raises(ConfigurationError, match="Unknown AI provider 'other'"):
        registry.resolve("other")  # a refused plug-in leaves nothing behind


def test_an_unknown_provider_names_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match=r"Unknown AI provider 'gemini'.*anthropic"):
        default_registry().resolve("gemini")


def test_only_configured_providers_are_offered() -> None:
    registry = default_registry()
    assert registry.available(bare()) == []

    settings = Settings(
        _env_file=None,
        anthropic_api_key=KEY,
        ai=AISettings(ollama_base_url="http://127.0.0.1:11434"),
    )
    assert registry.available(settings) == ["anthropic", "ollama"]


def test_models_come_from_the_settings_unless_the_session_names_one() -> None:
    registry = default_registry()
    settings = Settings(_env_file=None, ai=AISettings(models={"openai": "gpt-4.1"}))

    assert registry.create("openai", settings).model == "gpt-4.1"
    assert registry.create("openai", settings, "gpt-4o").model == "gpt-4o"
    assert registry.create("openai", settings).supports_vision


def test_a_new_plugin_registers_without_touching_the_registry() -> None:
    registry = ProviderRegistry()

    def create(settings: Settings, model: str | None) -> LangChainProvider:
        raise AssertionError("not built until asked")

    registry.register("mistral", create, available=lambda s: False, note="key set")

    assert registry.names() == ["mistral"]
    with pytest.raises(ConfigurationError, match="registered twice"):
        registry.register("Mistral", create, available=lambda s: False, note="again")


@pytest.mark.parametrize("url", ["localhost:11434", "ftp://host", "http://your-server-here"])
def test_a_bad_server_url_is_refused_with_the_variable_named(url: str) -> None:
    from interview_platform.config import load_settings

    with pytest.raises(ConfigurationError, match="AI__OLLAMA_BASE_URL"):
        load_settings(_env_file=None, ai={"ollama_base_url": url})

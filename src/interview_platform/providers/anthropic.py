"""Anthropic's Claude models, with the key from ANTHROPIC_API_KEY."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import SecretStr

from interview_platform.config import Settings
from interview_platform.core.pricing import DatedPrice
from interview_platform.providers.registry import (
    ProviderRegistry,
    ProviderSetting,
    Reachability,
    configured_model,
    require_setting,
    secret_values,
)

if TYPE_CHECKING:  # the SDKs are imported when a provider is first built
    from langchain_anthropic import ChatAnthropic

    from interview_platform.providers.langchain_provider import LangChainProvider

NAME = "anthropic"
DEFAULT_MODEL = "claude-3-5-sonnet-latest"
VISION_MODEL_PREFIXES = ("claude-3", "claude-sonnet-4", "claude-opus-4", "claude-haiku-4")
KEY = "ANTHROPIC_API_KEY"
BASE_URL = "AI__ANTHROPIC_BASE_URL"  # a proxy or gateway in front of the API
API_URL = "https://api.anthropic.com"
SETTINGS = (ProviderSetting(KEY, secret=True, required=True), ProviderSetting(BASE_URL))
PRICES = (  # USD per 1,000 tokens, from Anthropic's price list
    DatedPrice(NAME, "claude-3-opus", date(2024, 3, 4), input=0.015, output=0.075),
    DatedPrice(NAME, "claude-3-sonnet", date(2024, 3, 4), input=0.003, output=0.015),
    DatedPrice(NAME, "claude-3-5-sonnet", date(2024, 6, 20), input=0.003, output=0.015),
    DatedPrice(NAME, "claude-3-5-haiku", date(2024, 11, 4), input=0.001, output=0.005),
    DatedPrice(NAME, "claude-3-5-haiku", date(2024, 12, 13), input=0.0008, output=0.004),
)


def create(settings: Settings, model: str | None = None) -> LangChainProvider:
    from interview_platform.providers.langchain_provider import LangChainProvider

    chosen = model or configured_model(settings, NAME, DEFAULT_MODEL)
    key = settings.anthropic_api_key
    base_url = settings.ai.anthropic_base_url
    timeout = settings.ai.timeout_seconds
    return LangChainProvider(
        name=NAME,
        model=chosen,
        build=lambda: chat_anthropic(chosen, key, base_url, timeout),
        supports_vision=chosen.startswith(VISION_MODEL_PREFIXES),
        requirements=require_setting(
            key,
            KEY,
            "Add it to .env (ANTHROPIC_API_KEY=sk-ant-...) or choose another AI provider.",
        ),
        credential_hint=KEY,
        secrets=secret_values(key),
    )


def chat_anthropic(
    model: str, key: SecretStr | None, base_url: str | None, timeout: float
) -> ChatAnthropic:
    """A LangChain client for Anthropic's Messages API; no network until called.

    `max_retries=0`: ResilientProvider retries. Usage comes back with every reply.
    """
    from langchain_anthropic import ChatAnthropic

    return ChatAnthropic(
        model=model,
        api_key=key or SecretStr(""),
        base_url=base_url,
        timeout=timeout,
        max_retries=0,
        stream_usage=True,
    )


def register(registry: ProviderRegistry) -> None:
    registry.register(
        NAME,
        create,
        note="key set",
        aliases=("claude",),
        settings=SETTINGS,
        default_model=DEFAULT_MODEL,
        prices=PRICES,
        reachability=Reachability(BASE_URL, API_URL),
    )

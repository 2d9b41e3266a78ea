"""OpenAI's chat models, with the key from OPENAI_API_KEY."""

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
    from langchain_openai import ChatOpenAI

    from interview_platform.providers.langchain_provider import LangChainProvider

NAME = "openai"
DEFAULT_MODEL = "gpt-4o-mini"
VISION_MODEL_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4-turbo", "gpt-5", "o1", "o3", "o4")
KEY = "OPENAI_API_KEY"
BASE_URL = "AI__OPENAI_BASE_URL"  # a proxy or gateway in front of the API
API_URL = "https://api.openai.com/v1"
SETTINGS = (ProviderSetting(KEY, secret=True, required=True), ProviderSetting(BASE_URL))
PRICES = (  # USD per 1,000 tokens, from OpenAI's price list
    DatedPrice(NAME, "gpt-4", date(2023, 3, 14), input=0.03, output=0.06),
    DatedPrice(NAME, "gpt-4-turbo", date(2023, 11, 6), input=0.01, output=0.03),
    DatedPrice(NAME, "gpt-4o", date(2024, 5, 13), input=0.005, output=0.015),
    DatedPrice(NAME, "gpt-4o", date(2024, 10, 1), input=0.0025, output=0.01),
    DatedPrice(NAME, "gpt-4o-mini", date(2024, 7, 18), input=0.00015, output=0.0006),
)


def create(settings: Settings, model: str | None = None) -> LangChainProvider:
    from interview_platform.providers.langchain_provider import LangChainProvider

    chosen = model or configured_model(settings, NAME, DEFAULT_MODEL)
    key = settings.openai_api_key
    base_url = settings.ai.openai_base_url
    timeout = settings.ai.timeout_seconds
    return LangChainProvider(
        name=NAME,
        model=chosen,
        build=lambda: chat_openai(chosen, key, base_url, timeout),
        supports_vision=chosen.startswith(VISION_MODEL_PREFIXES),
        requirements=require_setting(
            key,
            KEY,
            "Add it to .env (OPENAI_API_KEY=sk-...) or choose another AI provider.",
        ),
        credential_hint=KEY,
        secrets=secret_values(key),
    )


def chat_openai(
    model: str, key: SecretStr | None, base_url: str | None, timeout: float
) -> ChatOpenAI:
    """A LangChain client for OpenAI's chat-completions protocol; no network until called.

    `max_retries=0`: ResilientProvider retries. `stream_usage=True`: the server reports
    token usage in the last streamed chunk, so nothing is counted locally.
    """
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model,
        api_key=key,
        base_url=base_url,
        timeout=timeout,
        max_retries=0,
        stream_usage=True,
        use_responses_api=False,
    )


def register(registry: ProviderRegistry) -> None:
    registry.register(
        NAME,
        create,
        note="key set",
        aliases=("gpt", "chatgpt"),
        settings=SETTINGS,
        default_model=DEFAULT_MODEL,
        prices=PRICES,
        reachability=Reachability(BASE_URL, API_URL),
    )

"""OpenAI's chat models, with the key from OPENAI_API_KEY."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from interview_platform.config import Settings
from interview_platform.providers.registry import (
    ProviderRegistry,
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
            "OPENAI_API_KEY",
            "Add it to .env (OPENAI_API_KEY=sk-...) or choose another AI provider.",
        ),
        credential_hint="OPENAI_API_KEY",
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
        available=lambda settings: settings.openai_api_key is not None,
        note="key set",
        aliases=("gpt", "chatgpt"),
        requires="OPENAI_API_KEY",
    )

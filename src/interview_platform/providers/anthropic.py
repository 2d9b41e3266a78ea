"""Anthropic's Claude models, with the key from ANTHROPIC_API_KEY."""

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
    from langchain_anthropic import ChatAnthropic

    from interview_platform.providers.langchain_provider import LangChainProvider

NAME = "anthropic"
DEFAULT_MODEL = "claude-3-5-sonnet-latest"
VISION_MODEL_PREFIXES = ("claude-3", "claude-sonnet-4", "claude-opus-4", "claude-haiku-4")


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
            "ANTHROPIC_API_KEY",
            "Add it to .env (ANTHROPIC_API_KEY=sk-ant-...) or choose another AI provider.",
        ),
        credential_hint="ANTHROPIC_API_KEY",
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
        available=lambda settings: settings.anthropic_api_key is not None,
        note="key set",
        aliases=("claude",),
        requires="ANTHROPIC_API_KEY",
    )

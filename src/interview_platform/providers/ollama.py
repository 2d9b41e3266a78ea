"""Local models: an Ollama server, or any server speaking OpenAI's protocol (LM Studio, vLLM,
llama.cpp) at AI__OPENAI_COMPATIBLE_BASE_URL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from interview_platform.config import Settings
from interview_platform.providers.openai import chat_openai
from interview_platform.providers.registry import (
    ProviderRegistry,
    ProviderSetting,
    Reachability,
    configured_model,
    require_setting,
    secret_values,
)

if TYPE_CHECKING:  # the SDKs are imported when a provider is first built
    from langchain_ollama import ChatOllama

    from interview_platform.providers.langchain_provider import LangChainProvider

NAME = "ollama"
DEFAULT_MODEL = "llama3.1"
VISION_MODEL_MARKERS = ("llava", "vision", "moondream", "minicpm-v", "gemma3", "qwen2.5vl")
COMPATIBLE = "openai_compatible"
COMPATIBLE_DEFAULT_MODEL = "local-model"
BASE_URL = "AI__OLLAMA_BASE_URL"
COMPATIBLE_BASE_URL = "AI__OPENAI_COMPATIBLE_BASE_URL"
COMPATIBLE_KEY = "AI__OPENAI_COMPATIBLE_API_KEY"
UNUSED_KEY = SecretStr("not-needed")  # local servers ignore it; the OpenAI client wants one


def create(settings: Settings, model: str | None = None) -> LangChainProvider:
    from interview_platform.providers.langchain_provider import LangChainProvider

    chosen = model or configured_model(settings, NAME, DEFAULT_MODEL)
    base_url = settings.ai.ollama_base_url
    timeout = settings.ai.timeout_seconds
    return LangChainProvider(
        name=NAME,
        model=chosen,
        build=lambda: chat_ollama(chosen, base_url, timeout),
        supports_vision=any(marker in chosen for marker in VISION_MODEL_MARKERS),
        requirements=require_setting(
            base_url,
            BASE_URL,
            "Set it to your Ollama server, e.g. http://127.0.0.1:11434.",
        ),
        credential_hint="the Ollama server's access settings (AI__OLLAMA_BASE_URL)",
    )


def chat_ollama(model: str, base_url: str | None, timeout: float) -> ChatOllama:
    """A LangChain client for an Ollama server; no network until called (the model is
    not checked on creation). Usage comes from Ollama's prompt_eval_count and eval_count."""
    from langchain_ollama import ChatOllama

    return ChatOllama(model=model, base_url=base_url, client_kwargs={"timeout": timeout})


def create_compatible(settings: Settings, model: str | None = None) -> LangChainProvider:
    from interview_platform.providers.langchain_provider import LangChainProvider

    chosen = model or configured_model(settings, COMPATIBLE, COMPATIBLE_DEFAULT_MODEL)
    base_url = settings.ai.openai_compatible_base_url
    key = settings.ai.openai_compatible_api_key
    timeout = settings.ai.timeout_seconds
    return LangChainProvider(
        name=COMPATIBLE,
        model=chosen,
        build=lambda: chat_openai(chosen, key or UNUSED_KEY, base_url, timeout),
        requirements=require_setting(
            base_url,
            COMPATIBLE_BASE_URL,
            "Set it to your local server's OpenAI endpoint, e.g. http://127.0.0.1:1234/v1.",
        ),
        credential_hint=f"{COMPATIBLE_KEY} (if your server needs a key)",
        secrets=secret_values(key),
    )


def register(registry: ProviderRegistry) -> None:
    registry.register(
        NAME,
        create,
        note="local server",
        settings=(ProviderSetting(BASE_URL, required=True),),
        default_model=DEFAULT_MODEL,
        reachability=Reachability(BASE_URL),
    )
    registry.register(
        COMPATIBLE,
        create_compatible,
        note="OpenAI-compatible local server",
        aliases=("lmstudio", "vllm", "llamacpp", "llama.cpp"),
        settings=(
            ProviderSetting(COMPATIBLE_BASE_URL, required=True),
            ProviderSetting(COMPATIBLE_KEY, secret=True),
        ),
        default_model=COMPATIBLE_DEFAULT_MODEL,
        reachability=Reachability(COMPATIBLE_BASE_URL),
    )

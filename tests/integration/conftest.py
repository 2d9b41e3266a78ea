"""A fake provider server (on loopback) per test, and settings that point every provider at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from interview_platform.config import AISettings, Settings
from tests.support.fake_provider_server import FakeProviderServer, serve

KEY = "sk-test-0123456789abcdefghijklmnop"


@pytest.fixture
def server() -> Iterator[FakeProviderServer]:
    with serve() as running:
        yield running


def settings_for(server: FakeProviderServer, **ai: Any) -> Settings:
    """Every provider pointed at the loopback server, retries without waiting."""
    values: dict[str, Any] = {
        "openai_base_url": f"{server.url}/v1",
        "anthropic_base_url": server.url,
        "ollama_base_url": server.url,
        "openai_compatible_base_url": f"{server.url}/v1",
        "retry_delay_seconds": 0,
        "timeout_seconds": 5,
    }
    values.update(ai)
    return Settings(
        _env_file=None,
        openai_api_key=KEY,
        anthropic_api_key=KEY,
        ai=AISettings(**values),
    )

"""Each provider against a real HTTP server speaking its protocol on loopback."""

from __future__ import annotations

import socket

import pytest
from pydantic import BaseModel

from interview_platform.config import AISettings, Settings
from interview_platform.core.ports.chat import ChatMessage, TransientProviderError
from interview_platform.errors import AIProviderError, ConfigurationError
from interview_platform.providers.langchain_provider import ProviderAuthenticationError
from interview_platform.providers.pool import ProviderPool
from interview_platform.providers.resilience import ProviderUnavailableError
from tests.integration.conftest import KEY, settings_for
from tests.support.fake_provider_server import FakeProviderServer, error, pieces, text

PROVIDERS = ["openai", "anthropic", "ollama", "openai_compatible"]
REPLY = "Let us start with requirements: who are the users?"
PROMPT = [
    ChatMessage("system", "You are a system design interviewer."),
    ChatMessage("user", "I am ready."),
]


class Verdict(BaseModel):
    score: int
    reason: str


@pytest.mark.parametrize("name", PROVIDERS)
def test_reply_streams_and_reports_the_providers_usage(
    server: FakeProviderServer, name: str
) -> None:
    server.script(text(REPLY, input_tokens=31, output_tokens=12))
    provider = ProviderPool(settings_for(server))(name, "test-model")
    streamed: list[str] = []

    result = provider.complete(PROMPT, on_token=streamed.append)

    assert streamed == pieces(REPLY)
    assert result.text == REPLY
    assert (result.input_tokens, result.output_tokens) == (31, 12)
    assert not result.usage_estimated
    assert (result.provider, result.model) == (name, "test-model")
    [request] = server.requests
    assert request.streamed
    assert request.body["model"] == "test-model"
    sent = str(request.body)
    assert "You are a system design interviewer." in sent and "I am ready." in sent


def test_openai_sends_the_key_as_a_bearer_token(server: FakeProviderServer) -> None:
    server.script(text(REPLY))
    ProviderPool(settings_for(server))("openai").complete(PROMPT)

    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "gpt-4o-mini"


def test_anthropic_sends_the_key_in_its_header(server: FakeProviderServer) -> None:
    server.script(text(REPLY))
    ProviderPool(settings_for(server))("claude").complete(PROMPT)

    [request] = server.requests
    assert request.path == "/v1/messages"
    assert KEY in (request.headers.get("x-api-key"), request.headers.get("authorization", "")[7:])
    assert request.body["system"] == "You are a system design interviewer."


@pytest.mark.parametrize("name", ["openai", "ollama", "openai_compatible"])
def test_structured_output_is_parsed_and_counted(server: FakeProviderServer, name: str) -> None:
    server.script(text('{"score": 4, "reason": "clear requirements"}', 40, 9))
    provider = ProviderPool(settings_for(server))(name)

    verdict, result = provider.structured(PROMPT, Verdict)

    assert verdict == Verdict(score=4, reason="clear requirements")
    assert (result.input_tokens, result.output_tokens) == (40, 9)


@pytest.mark.parametrize("name", ["openai", "ollama"])
def test_output_that_does_not_fit_the_schema_is_a_clear_error(
    server: FakeProviderServer, name: str
) -> None:
    server.script(text('{"score": "high"}'))
    provider = ProviderPool(settings_for(server))(name)

    with pytest.raises(AIProviderError, match="Verdict"):
        provider.structured(PROMPT, Verdict)


@pytest.mark.parametrize("name", PROVIDERS)
def test_a_server_error_is_retried(server: FakeProviderServer, name: str) -> None:
    server.script(error(503, "overloaded"), text(REPLY))
    provider = ProviderPool(settings_for(server))(name)

    assert provider.complete(PROMPT).text == REPLY
    assert len(server.requests) == 2


def test_rate_limits_are_retried_three_times_then_the_breaker_opens(
    server: FakeProviderServer,
) -> None:
    server.script(*[error(429, "slow down")] * 3)
    pool = ProviderPool(settings_for(server))
    provider = pool("openai")

    with pytest.raises(TransientProviderError, match="unavailable"):
        provider.complete(PROMPT)
    assert len(server.requests) == 3
    assert pool.breaker_states() == {"openai": "open"}

    with pytest.raises(ProviderUnavailableError, match="AI__FALLBACK_PROVIDER"):
        pool("openai", "gpt-4o").complete(PROMPT)
    assert len(server.requests) == 3


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_refused_credentials_are_not_retried_and_never_echo_the_key(
    server: FakeProviderServer, name: str
) -> None:
    server.script(error(401, f"invalid key {KEY}"))
    provider = ProviderPool(settings_for(server))(name)

    with pytest.raises(ProviderAuthenticationError) as caught:
        provider.complete(PROMPT)

    assert isinstance(caught.value, ConfigurationError)
    assert "API_KEY" in str(caught.value)
    assert KEY not in str(caught.value)
    assert len(server.requests) == 1


def test_a_bad_request_is_not_retried(server: FakeProviderServer) -> None:
    server.script(error(400, "model not found"))
    provider = ProviderPool(settings_for(server))("openai")

    with pytest.raises(AIProviderError, match="HTTP 400") as caught:
        provider.complete(PROMPT)

    assert not isinstance(caught.value, TransientProviderError)
    assert len(server.requests) == 1


def test_a_server_that_is_not_there_is_a_transient_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(
        _env_file=None,
        ai=AISettings(ollama_base_url=f"http://127.0.0.1:{port}", retry_delay_seconds=0),
    )

    with pytest.raises(TransientProviderError, match="ollama"):
        ProviderPool(settings)("ollama").complete(PROMPT)


@pytest.mark.parametrize(
    ("name", "variable"),
    [
        ("openai", "OPENAI_API_KEY"),
        ("anthropic", "ANTHROPIC_API_KEY"),
        ("ollama", "AI__OLLAMA_BASE_URL"),
        ("lmstudio", "AI__OPENAI_COMPATIBLE_BASE_URL"),
    ],
)
def test_missing_configuration_is_named_before_any_call(name: str, variable: str) -> None:
    provider = ProviderPool(Settings(_env_file=None))(name)

    with pytest.raises(ConfigurationError, match=variable):
        provider.validate()
    with pytest.raises(ConfigurationError, match=variable):
        provider.complete(PROMPT)

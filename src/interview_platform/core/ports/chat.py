"""The one interface every AI provider implements, and the errors it may raise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel

from interview_platform.errors import AIProviderError

ChatRole = Literal["system", "user", "assistant"]
TokenSink = Callable[[str], None]
Schema = TypeVar("Schema", bound=BaseModel)


@dataclass(frozen=True)
class ChatMessage:
    role: ChatRole
    content: str
    images: tuple[bytes, ...] = field(default=(), repr=False)  # PNG bytes, for vision models


@dataclass(frozen=True)
class ChatResult:
    """A finished call: the text and the provider-reported usage (estimated only if absent)."""

    text: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    usage_estimated: bool = False
    duration_ms: float = 0.0


BUILTIN = "builtin"  # the offline interviewer and extractors: no provider, no key


class TransientProviderError(AIProviderError):
    """Worth retrying: rate limit, 5xx, timeout, connection error."""


class StreamInterruptedError(TransientProviderError):
    """The call failed after text had streamed (the connection dropped, or the server sent an
    error mid-stream). `partial` is what arrived: its text and the usage the provider reported
    by then, estimated like any call's if it reported none."""

    def __init__(self, message: str, partial: ChatResult) -> None:
        super().__init__(message)
        self.partial = partial


class StreamReset(str):
    """The type of STREAM_RESET."""


STREAM_RESET = StreamReset()
"""Sent to a TokenSink to say "discard the text streamed so far": a provider failed mid-stream
and the next one starts the reply over. It is an empty string, so a sink that concatenates
the pieces is not corrupted by it; a sink that shows text tests `is_stream_reset(token)`."""


def is_stream_reset(token: str) -> bool:
    return isinstance(token, StreamReset)


class ChatProvider(Protocol):
    """A configured chat model. Constructors never touch the network."""

    name: str
    model: str
    supports_vision: bool

    def validate(self) -> None:
        """Raise ConfigurationError if the provider cannot be used (e.g. no key); no network."""

    def complete(
        self, messages: Sequence[ChatMessage], *, on_token: TokenSink | None = None
    ) -> ChatResult:
        """Send the conversation; stream text to `on_token` as it arrives."""

    def structured(
        self, messages: Sequence[ChatMessage], schema: type[Schema]
    ) -> tuple[Schema, ChatResult]:
        """A reply parsed and validated into `schema`; AIProviderError if it does not fit."""


def estimate_tokens(text: str) -> int:
    """A rough count (about four characters a token), used only when a provider reports none."""
    return max(1, len(text) // 4) if text else 0


ProviderLookup = Callable[[str, str | None], ChatProvider]
"""A configured provider by name and model (None: the settings' model), e.g. ProviderPool."""

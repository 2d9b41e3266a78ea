"""Any LangChain chat model as a ChatProvider: message mapping, streaming, usage and errors.

The LangChain model is built lazily, on the first call after `validate()` passes, so
constructing a provider never touches the network and never fails for a missing key.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pydantic
from langchain_core.exceptions import ModelError, OutputParserException
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
)
from langchain_core.messages.ai import add_ai_message_chunks

from interview_platform.core.ports.chat import (
    ChatMessage,
    ChatResult,
    ChatRole,
    Schema,
    StreamInterruptedError,
    TokenSink,
    TransientProviderError,
    estimate_tokens,
)
from interview_platform.core.redaction import Redactor
from interview_platform.errors import AIProviderError, ConfigurationError, InterviewPlatformError

MESSAGE_TYPES: dict[ChatRole, type[BaseMessage]] = {
    "system": SystemMessage,
    "user": HumanMessage,
    "assistant": AIMessage,
}
AUTH_STATUSES = frozenset({401, 403})
TRANSIENT_STATUSES = frozenset({408, 409, 429})
# openai/anthropic (httpx2) and ollama (httpx) raise these when the server cannot answer.
TRANSIENT_CLASS_NAMES = frozenset(
    {"APIConnectionError", "APITimeoutError", "TimeoutException", "TransportError"}
)
MALFORMED = (pydantic.ValidationError, json.JSONDecodeError, OutputParserException)
JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


class ProviderAuthenticationError(AIProviderError, ConfigurationError):
    """The provider refused the credentials (HTTP 401/403): a configuration problem."""


def no_requirements() -> None:
    """A provider that needs nothing configured (e.g. a local server)."""


class LangChainProvider:
    """A ChatProvider over a LangChain chat model; the plug-ins only say how to build one."""

    def __init__(
        self,
        *,
        name: str,
        model: str,
        build: Callable[[], BaseChatModel],
        supports_vision: bool = False,
        requirements: Callable[[], None] = no_requirements,
        credential_hint: str = "the provider's credentials",
        secrets: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.model = model
        self.supports_vision = supports_vision
        self._build = build
        self._requirements = requirements
        self._credential_hint = credential_hint
        self._redact = Redactor(secrets)
        self._chat_model: BaseChatModel | None = None

    def __repr__(self) -> str:
        return f"LangChainProvider(name={self.name!r}, model={self.model!r})"

    def validate(self) -> None:
        self._requirements()

    def complete(
        self, messages: Sequence[ChatMessage], *, on_token: TokenSink | None = None
    ) -> ChatResult:
        prompt = to_langchain(messages, vision=self.supports_vision)
        started = time.perf_counter()
        chunks: list[AIMessageChunk] = []
        try:
            with self._translated_errors():
                for chunk in self._model().stream(prompt):
                    text = str(chunk.text)
                    if text and on_token is not None:
                        on_token(text)
                    chunks.append(chunk)
        except AIProviderError as exc:
            if not any(chunk.text for chunk in chunks):
                raise
            partial = self._result(prompt, add_ai_message_chunks(*chunks), started)
            raise StreamInterruptedError(
                f"{self._label} stopped after {len(partial.text)} characters of its reply: {exc}",
                partial,
            ) from exc
        reply = add_ai_message_chunks(*chunks) if chunks else AIMessage(content="")
        return self._result(prompt, reply, started)

    def structured(
        self, messages: Sequence[ChatMessage], schema: type[Schema]
    ) -> tuple[Schema, ChatResult]:
        prompt = to_langchain(messages, vision=self.supports_vision)
        started = time.perf_counter()
        with self._translated_errors():
            try:
                runnable = self._model().with_structured_output(schema, include_raw=True)
            except NotImplementedError:
                return self._structured_from_text(messages, schema)
            output = runnable.invoke(prompt)
        if not isinstance(output, dict):
            raise AIProviderError(
                f"{self._label} returned no raw reply with its structured output."
            )
        parsed, error = output.get("parsed"), output.get("parsing_error")
        if error is not None or not isinstance(parsed, schema):
            raise self._malformed(schema, error)
        return parsed, self._result(prompt, output["raw"], started)

    @property
    def _label(self) -> str:
        return f"{self.name} ({self.model})"

    def _model(self) -> BaseChatModel:
        if self._chat_model is None:
            self.validate()
            self._chat_model = self._build()
        return self._chat_model

    def _structured_from_text(
        self, messages: Sequence[ChatMessage], schema: type[Schema]
    ) -> tuple[Schema, ChatResult]:
        instruction = ChatMessage(
            role="system",
            content="Reply with only a JSON object that fits this JSON schema: "
            + json.dumps(schema.model_json_schema()),
        )
        result = self.complete([*messages, instruction])
        return parse_json_reply(result.text, schema, self._malformed), result

    def _malformed(self, schema: type[pydantic.BaseModel], error: object) -> AIProviderError:
        detail = self._redact(str(error)) if error else "no parsable reply"
        return AIProviderError(
            f"{self._label} returned output that does not fit {schema.__name__}: {detail}. "
            "Try again, or choose a model that supports structured output."
        )

    def _result(
        self, prompt: Sequence[BaseMessage], reply: BaseMessage, started: float
    ) -> ChatResult:
        text = str(reply.text)
        usage = reply.usage_metadata if isinstance(reply, AIMessage) else None
        duration_ms = (time.perf_counter() - started) * 1000
        if usage is None:
            prompt_text = "\n".join(str(message.text) for message in prompt)
            return ChatResult(
                text=text,
                provider=self.name,
                model=self.model,
                input_tokens=estimate_tokens(prompt_text),
                output_tokens=estimate_tokens(text),
                usage_estimated=True,
                duration_ms=duration_ms,
            )
        return ChatResult(
            text=text,
            provider=self.name,
            model=self.model,
            input_tokens=usage["input_tokens"],
            output_tokens=usage["output_tokens"],
            duration_ms=duration_ms,
        )

    @contextmanager
    def _translated_errors(self) -> Iterator[None]:
        try:
            yield
        except InterviewPlatformError:
            raise
        except Exception as exc:
            raise self._translate(exc) from exc

    def _translate(self, exc: Exception) -> AIProviderError:
        status = status_code(exc)
        detail = self._redact(f"{type(exc).__name__}: {exc}")
        if status in AUTH_STATUSES:
            return ProviderAuthenticationError(
                f"{self._label} refused the credentials (HTTP {status}). "
                f"Check {self._credential_hint}, then try again."
            )
        if is_transient(exc, status):
            return TransientProviderError(f"{self._label} is unavailable for now ({detail}).")
        if isinstance(exc, MALFORMED):
            return AIProviderError(
                f"{self._label} returned malformed output ({detail}). "
                "Try again, or choose a model that supports structured output."
            )
        if status is not None and 400 <= status < 500:
            return AIProviderError(
                f"{self._label} rejected the request (HTTP {status}): {detail}. "
                "Check the model name and the request."
            )
        return AIProviderError(f"{self._label} failed: {detail}")


def to_langchain(messages: Sequence[ChatMessage], *, vision: bool) -> list[BaseMessage]:
    """Our messages as LangChain's; images go along only to a model that can see."""
    return [_to_langchain(message, vision=vision) for message in messages]


def _to_langchain(message: ChatMessage, *, vision: bool) -> BaseMessage:
    message_type = MESSAGE_TYPES[message.role]
    if not (vision and message.images):
        return message_type(content=message.content)
    blocks: list[str | dict[str, Any]] = [{"type": "text", "text": message.content}]
    blocks.extend(
        {"type": "image_url", "image_url": {"url": png_data_url(image)}} for image in message.images
    )
    return message_type(content=blocks)


def png_data_url(image: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")


def status_code(exc: BaseException) -> int | None:
    """The HTTP status an SDK exception carries (openai, anthropic, ollama), if any."""
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) and status > 0 else None


def is_transient(exc: BaseException, status: int | None) -> bool:
    """Rate limits, 5xx, timeouts and connection errors: worth trying again."""
    if status is not None:
        return status in TRANSIENT_STATUSES or status >= 500
    if isinstance(exc, ModelError) and exc.is_retryable:
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & TRANSIENT_CLASS_NAMES) or isinstance(exc, TimeoutError | ConnectionError)


def parse_json_reply(
    text: str,
    schema: type[Schema],
    malformed: Callable[[type[pydantic.BaseModel], object], AIProviderError],
) -> Schema:
    """The first JSON object in a text reply (code fences allowed), validated into `schema`."""
    match = JSON_OBJECT.search(text)
    if match is None:
        raise malformed(schema, "the reply holds no JSON object")
    try:
        return schema.model_validate_json(match.group(0))
    except pydantic.ValidationError as exc:
        raise malformed(schema, exc) from exc

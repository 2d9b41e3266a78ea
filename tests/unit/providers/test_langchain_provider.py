"""LangChainProvider on LangChain's own fake chat model: streaming, usage, message mapping."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
)
from langchain_core.outputs import ChatGenerationChunk
from langchain_core.outputs import ChatResult as LangChainResult
from pydantic import BaseModel

from interview_platform.core.ports.chat import (
    ChatMessage,
    StreamInterruptedError,
    TransientProviderError,
    estimate_tokens,
)
from interview_platform.errors import AIProviderError
from interview_platform.providers.langchain_provider import (
    LangChainProvider,
    parse_json_reply,
    to_langchain,
)

PNG = b"\x89PNG\r\n\x1a\nfake"


def fake(*replies: str) -> LangChainProvider:
    model = GenericFakeChatModel(messages=itertools.cycle([AIMessage(r) for r in replies]))
    return LangChainProvider(name="fake", model="fake-1", build=lambda: model)


def test_a_reply_streams_and_its_usage_is_estimated_when_the_model_reports_none() -> None:
    heard: list[str] = []
    prompt = [ChatMessage("system", "Be brief."), ChatMessage("user", "Start the interview.")]

    result = fake("Welcome to the interview today").complete(prompt, on_token=heard.append)

    assert "".join(heard) == result.text == "Welcome to the interview today"
    assert len(heard) > 1
    assert result.usage_estimated
    assert result.output_tokens == estimate_tokens(result.text)
    assert result.input_tokens == estimate_tokens("Be brief.\nStart the interview.")


def test_roles_map_to_langchain_messages() -> None:
    mapped = to_langchain(
        [
            ChatMessage("system", "rules"),
            ChatMessage("user", "answer"),
            ChatMessage("assistant", "question"),
        ],
        vision=False,
    )

    assert [type(m) for m in mapped] == [SystemMessage, HumanMessage, AIMessage]
    assert [m.content for m in mapped] == ["rules", "answer", "question"]


def test_images_go_only_to_a_model_that_can_see() -> None:
    message = ChatMessage("user", "What does the board show?", images=(PNG,))

    [blind] = to_langchain([message], vision=False)
    [seeing] = to_langchain([message], vision=True)

    assert blind.content == "What does the board show?"
    assert isinstance(seeing.content, list)
    text_block, image_block = seeing.content
    assert text_block == {"type": "text", "text": "What does the board show?"}
    assert isinstance(image_block, dict)
    assert image_block["image_url"]["url"].startswith("data:image/png;base64,")


class Score(BaseModel):
    score: int


def test_a_model_without_structured_output_is_asked_for_json_in_text() -> None:
    parsed, result = fake('Sure:\n```json\n{"score": 7}\n```').structured(
        [ChatMessage("user", "grade")], Score
    )

    assert parsed == Score(score=7)
    assert result.text.startswith("Sure")


@pytest.mark.parametrize("reply", ["no json here", '{"score": "seven"}'])
def test_text_that_does_not_fit_is_a_clear_error(reply: str) -> None:
    def malformed(schema: type[BaseModel], error: object) -> AIProviderError:
        return AIProviderError(f"{schema.__name__}: {error}")

    with pytest.raises(AIProviderError, match="Score"):
        parse_json_reply(reply, Score, malformed)


class CutOff(BaseChatModel):
    """Streams `pieces`, the first with the input tokens a server reported, then the
    connection drops."""

    pieces: list[str]

    @property
    def _llm_type(self) -> str:
        return "cut-off"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> LangChainResult:
        raise NotImplementedError

    def _stream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        reported = {"input_tokens": 42, "output_tokens": 0, "total_tokens": 42}
        for index, piece in enumerate(self.pieces):
            usage = reported if index == 0 else None
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece, usage_metadata=usage))
        raise ConnectionError("peer closed connection without sending complete message body")


def cut_off(*pieces: str) -> LangChainProvider:
    model = CutOff(pieces=list(pieces))
    return LangChainProvider(name="fake", model="fake-1", build=lambda: model)


def test_a_reply_cut_off_mid_stream_keeps_its_text_and_the_usage_reported_so_far() -> None:
    heard: list[str] = []

    with pytest.raises(StreamInterruptedError, match="stopped after 19 characters") as caught:
        cut_off("Interesting ", "choice.").complete(
            [ChatMessage("user", "Go on.")], on_token=heard.append
        )

    partial = caught.value.partial
    assert "".join(heard) == partial.text == "Interesting choice."
    assert (partial.input_tokens, partial.output_tokens) == (42, 0)
    assert not partial.usage_estimated
    assert isinstance(caught.value, TransientProviderError)


def test_a_call_failing_before_any_text_is_not_a_cut_off_reply() -> None:
    with pytest.raises(TransientProviderError) as caught:
        cut_off().complete([ChatMessage("user", "Go on.")])

    assert not isinstance(caught.value, StreamInterruptedError)

"""The LLM interviewer: a chat model with bounded memory.

What is sent each turn is the system prompt, a running summary of older turns and the most
recent turns, so tokens per turn stay flat as the interview grows. The summary is kept in the
interviewer's message metadata, like the built-in interviewer's state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interview_platform.core.interviewer import prompts
from interview_platform.core.models import (
    InterviewResponse,
    Message,
    ProblemBrief,
    ResumeData,
    Role,
    TokenUsage,
)
from interview_platform.core.ports.chat import (
    ChatMessage,
    ChatProvider,
    ChatResult,
    StreamInterruptedError,
)
from interview_platform.errors import AIProviderError

MEMORY_KEY = "memory"
RECENT_TURNS = 4  # messages always sent verbatim; older ones are folded into the summary
SUMMARISE_AFTER = 6
Recorder = Callable[[str, ChatResult], TokenUsage]


@dataclass(frozen=True)
class Memory:
    summary: str = ""
    covered_upto: int = 0  # messages before this index are in the summary

    @classmethod
    def latest(cls, history: Sequence[Message]) -> Memory:
        for message in reversed(history):
            raw = message.metadata.get(MEMORY_KEY)
            if isinstance(raw, dict):
                return cls(str(raw.get("summary", "")), int(raw.get("covered_upto", 0)))
        return cls()


def _as_chat(message: Message) -> ChatMessage:
    if message.role is Role.INTERVIEWER:
        return ChatMessage("assistant", message.content)
    return ChatMessage("user", prompts.delimited("answer", message.content))


class LLMInterviewer:
    def __init__(self, provider: ChatProvider, record: Recorder) -> None:
        self._provider = provider
        self._record = record

    @property
    def provider(self) -> ChatProvider:
        return self._provider

    def generate_problem(self, resume: ResumeData, avoid: Sequence[str] = ()) -> ProblemBrief:
        """A problem written for the resume, other than the titles in `avoid`."""
        prompt = prompts.problem_prompt(resume, avoid)
        result, _ = self._complete("question_generation", [ChatMessage("user", prompt)])
        title, _, statement = result.text.strip().partition("\n")
        if not statement.strip():
            raise AIProviderError("The model did not return a problem statement.")
        return ProblemBrief(title.strip("# ").strip(), statement.strip(), resume.experience_level)

    def opening(self, brief: ProblemBrief) -> InterviewResponse:
        ask = ChatMessage(
            "user", "Open the interview: greet me, state the problem and ask your first question."
        )
        messages = [ChatMessage("system", prompts.system_prompt(brief)), ask]
        result, usage = self._complete("question_generation", messages)
        return InterviewResponse(result.text, usage, {"engine": self._provider.name})

    def reply(
        self,
        brief: ProblemBrief,
        history: Sequence[Message],
        on_token: Callable[[str], None] | None = None,
    ) -> InterviewResponse:
        memory = self._remember(history)
        messages = [ChatMessage("system", prompts.system_prompt(brief))]
        if memory.summary:
            messages.append(ChatMessage("system", f"Interview so far: {memory.summary}"))
        messages += [_as_chat(m) for m in history[memory.covered_upto :]]
        result, usage = self._complete("response_analysis", messages, on_token)
        metadata = {
            "engine": self._provider.name,
            MEMORY_KEY: {"summary": memory.summary, "covered_upto": memory.covered_upto},
        }
        return InterviewResponse(result.text, usage, metadata)

    def _remember(self, history: Sequence[Message]) -> Memory:
        """Fold turns older than the recent window into the summary, a few at a time."""
        memory = Memory.latest(history)
        keep_from = max(0, len(history) - RECENT_TURNS)
        if keep_from - memory.covered_upto < SUMMARISE_AFTER:
            return memory
        older = history[memory.covered_upto : keep_from]
        turns = "\n".join(f"{m.role.value}: {m.content}" for m in older)
        prompt = prompts.summary_prompt(memory.summary, turns)
        result, _ = self._complete("response_analysis", [ChatMessage("user", prompt)])
        return Memory(result.text.strip(), keep_from)

    def _complete(
        self,
        operation: str,
        messages: Sequence[ChatMessage],
        on_token: Callable[[str], None] | None = None,
    ) -> tuple[ChatResult, TokenUsage]:
        """The provider's reply and its recorded usage; a reply cut off mid-stream has its
        tokens recorded too, before the error goes on."""
        try:
            result = self._provider.complete(messages, on_token=on_token)
        except StreamInterruptedError as exc:
            self._record(operation, exc.partial)
            raise
        return result, self._record(operation, result)

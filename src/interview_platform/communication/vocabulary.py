"""The words a transcription should expect: the interview's vocabulary, most relevant first.

A `Vocabulary` is what the speech model is biased with (Whisper's hotwords or its initial
prompt) and what near-miss correction may map heard words onto. It is built from the current
problem's concepts and building blocks, a system-design glossary, and the terms already used
in the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

PROMPT_TERMS = 40  # how many terms go into the model's prompt: a long prompt invites hallucination


@dataclass(frozen=True)
class Vocabulary:
    """Terms in their written form ("Redis", "idempotency key"), most relevant first."""

    terms: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def biasing(self, limit: int = PROMPT_TERMS) -> str:
        """The first `limit` terms, comma-separated, as Whisper is biased with them."""
        return ", ".join(self.terms[:limit])

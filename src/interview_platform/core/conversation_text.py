"""A conversation as text: read from a transcript (JSON Lines or Markdown, validated line by line),
written as Markdown or plain text, and searched."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from interview_platform.core.models import Message, Role
from interview_platform.errors import ValidationError

MAX_TRANSCRIPT_CHARS = 2_000_000
_SPEAKER = re.compile(
    r"^\s*(?:[#>*-]+\s*)?\**(interviewer|candidate)\**\s*(?:\([^)]*\))?\s*\**\s*[:\-]\s*(.*)$",
    re.IGNORECASE,
)


def parse_transcript(text: str) -> list[Message]:
    """Messages from JSON Lines ({"role", "content"} per line) or Markdown ("Candidate: ...")."""
    if len(text) > MAX_TRANSCRIPT_CHARS:
        raise ValidationError("The transcript is over 2 MB; split it or trim it.")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError("The transcript is empty.")
    messages = _jsonl(lines) if lines[0].lstrip().startswith("{") else _markdown(lines)
    if not any(m.role is Role.CANDIDATE for m in messages):
        raise ValidationError("The transcript has no candidate turns to evaluate.")
    return messages


def _jsonl(lines: list[str]) -> list[Message]:
    messages = []
    for number, line in enumerate(lines, 1):
        try:
            item = json.loads(line)
            role = Role(str(item["role"]).lower())
            content = str(item["content"]).strip()
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                f"Line {number} is not a transcript turn: expected "
                '{"role": "interviewer" or "candidate", "content": "..."}.'
            ) from exc
        if content:
            messages.append(Message(role, content))
    return messages


def _markdown(lines: list[str]) -> list[Message]:
    messages: list[Message] = []
    for line in lines:
        match = _SPEAKER.match(line)
        if match:
            messages.append(Message(Role(match.group(1).lower()), match.group(2).strip()))
        elif messages:
            previous = messages[-1]
            messages[-1] = Message(previous.role, f"{previous.content}\n{line.strip()}".strip())
        else:
            raise ValidationError(
                "The transcript must start with a speaker: 'Interviewer: ...' or 'Candidate: ...' "
                "(or be JSON Lines)."
            )
    return [m for m in messages if m.content]


def to_markdown(messages: Sequence[Message]) -> str:
    """The conversation as Markdown, one paragraph a turn, with speaker and time."""
    return "\n\n".join(
        f"**{m.role.value.title()}** ({m.timestamp:%H:%M:%S}): {m.content}" for m in messages
    )


def to_plain_text(messages: Sequence[Message]) -> str:
    """The conversation as plain text, one block a turn: `[HH:MM:SS] Speaker: text`."""
    return "\n\n".join(
        f"[{m.timestamp:%H:%M:%S}] {m.role.value.title()}: {m.content}" for m in messages
    ) + ("\n" if messages else "")


def search_messages(messages: Sequence[Message], query: str) -> list[Message]:
    """The turns containing every word of `query` (case-insensitive); all turns for ''."""
    words = query.lower().split()
    return [m for m in messages if all(word in m.content.lower() for word in words)]

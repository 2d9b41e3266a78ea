"""Transcript files: JSON Lines and Markdown, with clear errors for anything else."""

from __future__ import annotations

import json

import pytest

from interview_platform.core.conversation_text import parse_transcript, to_markdown
from interview_platform.core.models import Message, Role
from interview_platform.errors import ValidationError


def test_json_lines() -> None:
    text = "\n".join(
        json.dumps(turn)
        for turn in (
            {"role": "interviewer", "content": "Design a URL shortener."},
            {"role": "Candidate", "content": "  Base62 codes from a counter.  "},
            {"role": "candidate", "content": ""},
        )
    )
    assert [(m.role, m.content) for m in parse_transcript(text)] == [
        (Role.INTERVIEWER, "Design a URL shortener."),
        (Role.CANDIDATE, "Base62 codes from a counter."),
    ]


def test_markdown_with_bold_speakers_and_continuation_lines() -> None:
    text = (
        "**Interviewer** (10:00:01): Design a chat system.\n\n"
        "Candidate: First, requirements.\nOne-to-one and group chats.\n"
        "- **Candidate**: Then WebSockets for delivery.\n"
    )
    messages = parse_transcript(text)
    assert [m.role for m in messages] == [Role.INTERVIEWER, Role.CANDIDATE, Role.CANDIDATE]
    assert messages[1].content == "First, requirements.\nOne-to-one and group chats."


def test_round_trip_through_markdown() -> None:
    messages = [Message(Role.INTERVIEWER, "Why?"), Message(Role.CANDIDATE, "Because latency.")]
    assert [m.content for m in parse_transcript(to_markdown(messages))] == [
        "Why?",
        "Because latency.",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ('{"role": "boss", "content": "x"}', "Line 1"),
        ('{"role": "candidate"}', "Line 1"),
        ('{"role": "interviewer", "content": "hi"}\n{not json', "Line 2"),
        ("Hello there, no speakers here", "must start with a speaker"),
        ('{"role": "interviewer", "content": "Only questions?"}', "no candidate turns"),
        ("x" * 2_000_001, "over 2 MB"),
    ],
)
def test_bad_transcripts_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_transcript(text)

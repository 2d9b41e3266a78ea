"""The Interview page's transcript is one HTML block: what was said stays inside it as text,
whatever line breaks it holds, so no Markdown in it is read (no image is fetched)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from interview_platform.core.models import Message, Role
from interview_platform.ui.views.transcript_panel import _transcript_turn

IMAGE = "![pixel](http://127.0.0.1:9/t.png)"


@pytest.mark.parametrize("breaks", ["\n\n", "\r\r", "\r\n\r\n", "\n \n"])
def test_what_was_said_is_never_read_as_markdown(breaks: str) -> None:
    said = Message(Role.INTERVIEWER, f"You said:{breaks}{IMAGE}{breaks}Why?")
    block = "\n".join(_transcript_turn(said, expanded=expanded) for expanded in (False, True))
    tokens = MarkdownIt("commonmark", {"html": True}).parse(block)
    assert [token.type for token in tokens] == ["html_block"]
    assert IMAGE in block

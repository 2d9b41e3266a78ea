"""What candidates typed keeps its formatting but fetches nothing and typesets no LaTeX."""

from __future__ import annotations

import pytest

from interview_platform.ui.user_text import literal, user_markdown


@pytest.mark.parametrize(
    ("typed", "drawn"),
    [
        ("![pixel](http://127.0.0.1:9/t.png)", "!\\[pixel](http://127.0.0.1:9/t.png)"),
        ("between $5 and $10 a month", "between \\$5 and \\$10 a month"),
        ("**bold**, a [link](https://example.org) and\n- a list", None),
        ("`$HOME` and `![x](y)` in code", None),
        ("```\nprice = '$5'\n![x](y)\n```", None),
        ("before\n```\n$5\n```\nafter $5", "before\n```\n$5\n```\nafter \\$5"),
    ],
)
def test_user_markdown(typed: str, drawn: str | None) -> None:
    assert user_markdown(typed) == (typed if drawn is None else drawn)


def test_literal_escapes_whatever_markdown_would_read() -> None:
    assert literal("**Ann** :red[x] $5 <b>") == "\\*\\*Ann\\*\\* \\:red\\[x\\] \\$5 \\<b\\>"
    assert literal("  two\nlines  ") == "two lines"

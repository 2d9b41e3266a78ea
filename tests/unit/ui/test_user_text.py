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


TRACKER = "http://127.0.0.1:9"
HIDDEN_IMAGES = [
    f"Use \\`![c]({TRACKER}/backtick.png)\\` for reads",  # no code span: escaped backticks
    f"~~~\n```\n~~~\n![d]({TRACKER}/fence.png)",  # ``` inside ~~~ closes nothing
    f"- shards\n   ```\n![e]({TRACKER}/list-fence.png)\n   ```",  # the list ends the fence
    f"`a\nb` ![f]({TRACKER}/split-span.png) `c`",  # the span opened on the line before
    f"``` a`b\n![g]({TRACKER}/info.png)\n```",  # a backtick in its info: no fence
    f"Queues.\n\n    ```\n![h]({TRACKER}/indented.png)",  # indented: code, not a fence
    f"Note[^1].\n\n[^1]: \\`![i]({TRACKER}/footnote.png)\\`",  # a GitHub footnote
]


@pytest.mark.parametrize("typed", HIDDEN_IMAGES)
def test_an_image_hidden_from_the_code_check_is_escaped_too(typed: str) -> None:
    assert "![" not in user_markdown(typed)

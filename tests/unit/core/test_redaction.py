"""A secret is masked in every form error messages quote it in, and nothing else is."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest

from interview_platform.core.redaction import Redactor

KEY = "sk-proj-Ab3/dE+fG7=hIjKlMnOpQrStUvWxYz"


@pytest.mark.parametrize(
    "quoted",
    [
        KEY,
        f"Bearer {KEY}",
        quote(KEY, safe=""),
        quote_plus(KEY),
        json.dumps(KEY)[1:-1],
        KEY[:8],
        KEY[-8:],
        KEY[5:20],
        f"{KEY[:6]}***{KEY[-4:]}",
        f"{KEY[:8]}********************{KEY[-4:]}",
        f"{KEY[:3]}…{KEY[-2:]}",
    ],
)
def test_every_quoted_form_is_masked(quoted: str) -> None:
    masked = Redactor([KEY])(f"Incorrect API key provided: {quoted}.")
    assert masked.startswith("Incorrect API key provided: ") and masked.endswith("***.")
    assert not any(KEY[i : i + 8] in masked for i in range(len(KEY) - 7))


def test_other_text_is_left_alone() -> None:
    text = "sk-proj- keys ... are ***; https://api.example/v1 said 401 (Yz)"
    assert Redactor([KEY])(text) == text.replace("sk-proj-", "***")
    assert Redactor([])(text) == text
    assert Redactor(["abc"])("abc stays: too short to be told from a word") == (
        "abc stays: too short to be told from a word"
    )

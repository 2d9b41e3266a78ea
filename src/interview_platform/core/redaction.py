"""Secrets taken out of text, in every form an error message quotes them.

Servers that refuse a key quote it back: whole, after `Bearer `, URL- or JSON-escaped, cut
short (`sk-proj-abcd...`), or with its middle starred out (`sk-abc***wxyz`). A `Redactor`
masks each secret as typed and escaped, every run of 8 or more of its characters, and a
starred form whose head starts the secret and whose tail ends it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_SECRET = 4  # shorter values ("1", "true") would mask ordinary words
FRAGMENT = 8  # a run this long of a secret's characters is masked wherever it shows
STARRED = re.compile(r"([^\s*•…]+)(?:\*{3,}|•{3,}|…|\.{3,})([^\s*•…]+)")


class Redactor:
    """Masks the given secrets wherever, and in whatever form, they appear in a text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = tuple(sorted({s for s in secrets if len(s) >= MIN_SECRET}, key=len))[::-1]
        forms = {form for secret in self.secrets for form in escaped_forms(secret)}
        self._forms = sorted(forms, key=len, reverse=True)
        self._grams = {
            secret[i : i + FRAGMENT]
            for secret in self.secrets
            for i in range(len(secret) - FRAGMENT + 1)
        }

    def __call__(self, text: str) -> str:
        if not self.secrets:
            return text
        for form in self._forms:
            text = text.replace(form, MASK)
        return self._mask_fragments(STARRED.sub(self._starred, text))

    def _mask_fragments(self, text: str) -> str:
        covered = [False] * len(text)
        for start in range(len(text) - FRAGMENT + 1):
            if text[start : start + FRAGMENT] in self._grams:
                covered[start : start + FRAGMENT] = [True] * FRAGMENT
        if not any(covered):
            return text
        kept = []
        for i, char in enumerate(text):
            if not covered[i]:
                kept.append(char)
            elif i == 0 or not covered[i - 1]:
                kept.append(MASK)
        return "".join(kept)

    def _starred(self, match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        for secret in self.secrets:
            start = _longest_end(head, secret.startswith, 3)
            end = _longest_start(tail, secret.endswith, 2)
            if start is not None and end is not None:
                return f"{head[:start]}{MASK}{tail[end:]}"
        return match.group(0)


def _longest_end(text: str, fits: Callable[[str], bool], least: int) -> int | None:
    """Where the longest ending of `text` (at least `least` long) that `fits` begins."""
    return next((i for i in range(len(text) - least + 1) if fits(text[i:])), None)


def _longest_start(text: str, fits: Callable[[str], bool], least: int) -> int | None:
    """Where the longest beginning of `text` (at least `least` long) that `fits` ends."""
    return next((i for i in range(len(text), least - 1, -1) if fits(text[:i])), None)


def escaped_forms(secret: str) -> set[str]:
    """The secret as typed, URL-encoded, JSON- and HTML-escaped."""
    return {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        html.escape(secret),
    }

"""The skills a resume lists: items split on commas, pipes and bullets outside brackets, with
list lines that wrapped inside an item joined again."""

from __future__ import annotations

import re
from collections.abc import Sequence

from interview_platform.core.resume.domains import continues_term
from interview_platform.core.resume.sections import LABELLED, Line

_ITEM_SEPARATORS = ",;|\u2022\u00b7\u25aa\u25cf"


def _split_items(text: str) -> list[str]:
    """Split on commas, semicolons, pipes and bullets outside parentheses."""
    items, depth, start = [], 0, 0
    for position, char in enumerate(text):
        depth += (char in "([") - (char in ")]" and depth > 0)
        if depth == 0 and char in _ITEM_SEPARATORS:
            items.append(text[start:position])
            start = position + 1
    return [*items, text[start:]]


def _wrapped_inside_item(previous: str, line: Line) -> bool:
    """True when the list line `previous` broke inside an item that `line` goes on with.

    The list has separators but does not end with one, and `line` (no bullet, no "Label:")
    starts in lower case or with the second word of a known term: "..., distributed" then
    "systems, Kafka". A list that ends its line with a whole item ("..., Grafana" then
    "Ansible, ...") is left as two lines.
    """
    if not previous or not line.text or line.bullet or LABELLED.match(line.text):
        return False
    if previous[-1] in _ITEM_SEPARATORS or not any(c in _ITEM_SEPARATORS for c in previous):
        return False
    first = line.text.split()[0]
    return first[0].islower() or continues_term(previous.split()[-1], first)


def _unwrapped(lines: Sequence[Line]) -> list[Line]:
    """The lines with each list line that wrapped inside an item joined to its continuation."""
    joined: list[Line] = []
    for line in lines:
        if joined and _wrapped_inside_item(joined[-1].text, line):
            joined[-1] = Line(f"{joined[-1].text} {line.text}", joined[-1].bullet)
        else:
            joined.append(line)
    return joined


def skill_items(lines: Sequence[Line]) -> list[str]:
    """Each item of a skills section: at most six words and fifty characters, "and" dropped."""
    found = []
    for line in _unwrapped(lines):
        label, colon, rest = line.text.partition(":")
        text = rest if colon and len(label) <= 40 and len(label.split()) <= 4 else line.text
        for item in _split_items(text):
            skill = re.sub(r"^and\s", "", item.strip(" .*-\u2013")).strip()
            if (
                skill
                and len(skill) <= 50
                and len(skill.split()) <= 6
                and any(map(str.isalnum, skill))
            ):
                found.append(skill)
    return found

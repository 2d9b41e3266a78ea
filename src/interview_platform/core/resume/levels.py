"""A career's level (junior, mid, senior, staff) from its years and most recent title."""

from __future__ import annotations

import re
from collections.abc import Sequence

from interview_platform.core.models import ExperienceLevel

_F = re.IGNORECASE | re.ASCII

_ORDER = (
    ExperienceLevel.JUNIOR,
    ExperienceLevel.MID,
    ExperienceLevel.SENIOR,
    ExperienceLevel.STAFF,
)
_JUNIOR_TITLE = re.compile(r"\b(?:intern|internship|junior|jr|graduate|trainee|apprentice)\b", _F)
_ASSOCIATE_TITLE = re.compile(r"\bassociate\b", _F)
_SENIOR_TITLE = re.compile(r"\b(?:senior|sr|lead)\b", _F)
_STAFF_TITLE = re.compile(
    r"\b(?:(?<!technical )staff|principal|distinguished|architect|director|head of)\b", _F
)


def _at_least(level: ExperienceLevel, floor: ExperienceLevel) -> ExperienceLevel:
    return max(level, floor, key=_ORDER.index)


def _at_most(level: ExperienceLevel, cap: ExperienceLevel) -> ExperienceLevel:
    return min(level, cap, key=_ORDER.index)


def experience_level(years: int, titles: Sequence[str]) -> ExperienceLevel:
    """The level from years, adjusted by the most recent title (`titles` is newest first).

    Years alone: junior under 3, mid 3-5, senior 6-9, staff 10+. Staff, principal,
    distinguished, architect, director or head of: at least senior, staff from 8 years.
    Senior or lead: at least senior from 4 years. Intern, junior, graduate, trainee: junior;
    associate: at most mid. A title never lifts a career of a year or less above mid.
    """
    level = _ORDER[(years >= 3) + (years >= 6) + (years >= 10)]
    recent = titles[0] if titles else ""
    if _STAFF_TITLE.search(recent):
        floor = _ORDER[3 if years >= 8 else 2 if years >= 2 else 1]
        level = _at_least(level, floor)
    elif _SENIOR_TITLE.search(recent):
        level = _at_least(level, _ORDER[2 if years >= 4 else 1])
    if _JUNIOR_TITLE.search(recent):
        level = ExperienceLevel.JUNIOR
    elif _ASSOCIATE_TITLE.search(recent):
        level = _at_most(level, ExperienceLevel.MID)
    return level

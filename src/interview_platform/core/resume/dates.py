"""Date ranges in resumes ("Mar 2019 - Present", "2019-03 to 2021-06", "03/2019 - 06/2022")
as periods, merged so concurrent jobs count once, summed into whole years."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

MAX_ANALYSED_CHARS = 100_000
MAX_YEARS = 70
_F = re.IGNORECASE | re.ASCII

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
YEAR = r"(?:19|20)[0-9]{2}"


def _date(p: str) -> str:
    return (
        rf"(?:(?<![a-z])(?P<{p}mon>{MONTH})\.?\s{{0,3}},?\s{{0,3}}(?P<{p}y1>{YEAR})(?![0-9])"
        rf"|(?<![0-9/.])(?P<{p}mm>0?[1-9]|1[0-2])\s?[/.]\s?(?P<{p}y2>{YEAR})(?![0-9])"
        rf"|(?<![0-9])(?P<{p}y3>{YEAR})[-/.](?P<{p}mm3>0[1-9]|1[0-2])(?![0-9])"
        rf"|(?<![0-9])(?P<{p}y4>{YEAR})(?![0-9]))"
    )


_SEP = (
    r"(?:\s{0,3}[-\u2010-\u2015\u2212~]{1,2}\s{0,3}|\s{1,3}(?:to|until|till|through|thru)\s{1,3})"
)
_PRESENT = r"(?P<present>present|current(?:ly)?|now|today|ongoing|to\s?date|date)(?![a-z])"
_SHORT = (
    rf"(?<![a-z])(?P<m1>{MONTH})\.?{_SEP}(?P<m2>{MONTH})\.?\s{{0,3}},?\s{{0,3}}"
    rf"(?P<y>{YEAR})(?![0-9])"
)
RANGE = re.compile(rf"{_SHORT}|{_date('s')}{_SEP}(?:{_date('e')}|{_PRESENT})", _F)


@dataclass(frozen=True, order=True)
class Period:
    """A stretch of work from the first day of `start`'s month to the day before `end`."""

    start: date
    end: date

    @property
    def months(self) -> int:
        return _index(self.end) - _index(self.start)


def _index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _point(m: re.Match[str], p: str, *, end: bool) -> int:
    """A date as a month index; an end is exclusive, a bare year is mid-year."""
    g = m.groupdict()
    if g[p + "mon"]:
        year, month = int(g[p + "y1"]), _month(g[p + "mon"])
    elif g[p + "mm"]:
        year, month = int(g[p + "y2"]), int(g[p + "mm"])
    elif g[p + "mm3"]:
        year, month = int(g[p + "y3"]), int(g[p + "mm3"])
    else:
        return int(g[p + "y4"]) * 12 + 6
    return year * 12 + month - (0 if end else 1)


def _bounds(m: re.Match[str], now: int) -> tuple[int, int]:
    if m["m1"]:
        year, first, last = int(m["y"]), _month(m["m1"]), _month(m["m2"])
        return year * 12 + first - 1 - (12 if last < first else 0), year * 12 + last
    return _point(m, "s", end=False), now if m["present"] else _point(m, "e", end=True)


def find_periods(text: str, today: date) -> list[Period]:
    """The date ranges in `text` as periods, clipped to `today`; empty ones are dropped."""
    now = _index(today) + 1
    periods = []
    for m in RANGE.finditer(text[:MAX_ANALYSED_CHARS]):
        start, end = _bounds(m, now)
        if start < min(end, now):
            periods.append(Period(_day(start), _day(min(end, now))))
    return periods


def merge_periods(periods: Iterable[Period]) -> list[Period]:
    """Periods with every overlap and every adjacency joined, in order."""
    merged: list[Period] = []
    for period in sorted(periods):
        if merged and period.start <= merged[-1].end:
            merged[-1] = Period(merged[-1].start, max(merged[-1].end, period.end))
        else:
            merged.append(period)
    return merged


def total_years(periods: Iterable[Period]) -> int:
    """Whole years covered by the periods, counting concurrent time once, half rounded up."""
    months = sum(p.months for p in merge_periods(periods))
    return min(MAX_YEARS, (months + 6) // 12)

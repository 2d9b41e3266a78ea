"""Resume text to `ResumeData`, offline and deterministic: no network, no model.

Years: every date range on an entry line of the experience section is a period ("Present",
"Current", "Now", "Today", "Ongoing" mean the month of `today`, which counts; a bare year
means the middle of that year). Ends after today are clipped to today and periods that start
later are dropped. Overlapping and adjacent periods are merged before summing, so concurrent
jobs count once; internships and jobs outside tech count like any other job. The total is
rounded to whole years, half up. Ranges in bullets, education, projects or any other
section never count.

The level comes only from those years and the entries' titles, never from free text such as
"Level: Staff" or an instruction planted in a summary. Every pattern is linear in its input
and only the first `MAX_ANALYSED_CHARS` characters are analysed, so no text can make this slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from interview_platform.core.models import Education, ResumeData, WorkExperience
from interview_platform.core.resume.dates import (
    MAX_ANALYSED_CHARS,
    MONTH,
    RANGE,
    YEAR,
    Period,
    find_periods,
    total_years,
)
from interview_platform.core.resume.domains import domain_expertise
from interview_platform.core.resume.levels import experience_level
from interview_platform.core.resume.sections import HEADING, LABELLED, Line, Section, find_sections
from interview_platform.core.resume.skills import skill_items

_F = re.IGNORECASE | re.ASCII

# ---------------------------------------------------------------------------- name and email

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}"
    r"(?![a-z0-9-])",
    _F,
)
_NAME_LABEL = re.compile(r"^(?:name|resume|cv)\s{0,3}[:\-\u2013\u2014]\s{0,3}", _F)
_NAME_SPLIT = re.compile(r"\s{0,3}[|\u2022\u00b7,;\u2013\u2014]\s{0,3}|\s{1,3}-\s{1,3}")
_NAME_SUFFIX = re.compile(r"\s(?:resume|r\u00e9sum\u00e9|cv)$", re.IGNORECASE)
_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "di", "la", "le", "bin", "al"})
_NOT_NAME = frozenset(
    {"resume", "r\u00e9sum\u00e9", "curriculum", "vitae", "cv", "inc", "llc", "ltd", "gmbh"}
    | {"corp", "university", "college", "street", "avenue", "road", "senior", "junior"}
    | {"staff", "principal", *(word for name in HEADING for word in name.split())}
)
_TITLE_NOUN = re.compile(
    r"\b(?:engineer|developer|programmer|manager|intern|internship|scientist|analyst"
    r"|architect|consultant|designer|teacher|administrator|sre|head|specialist|officer"
    r"|researcher|founder|co-founder|cto|ceo|vp|president|technician|assistant|coordinator"
    r"|instructor|tutor|lecturer|professor|fellow|contractor|freelancer|swe|sde|devops"
    r"|director|lead|owner|accountant|nurse|associate|advisor|strategist|writer|tester)s?\b",
    _F,
)
_TITLE_MODIFIER = re.compile(r"\b(?:senior|junior|staff|principal|chief|sr|jr)\b", _F)


def find_email(text: str) -> str:
    match = _EMAIL.search(text[:MAX_ANALYSED_CHARS])
    return match[0] if match else ""


def _looks_like_name(candidate: str) -> bool:
    words = candidate.split()
    if not 2 <= len(words) <= 4 or len(candidate) > 60 or _TITLE_NOUN.search(candidate):
        return False
    for position, word in enumerate(words):
        inner = 0 < position < len(words) - 1
        if word.lower().strip(".") in _NOT_NAME or not any(c.isalpha() for c in word):
            return False
        if not all(c.isalpha() or c in ".'\u2019-" for c in word):
            return False
        if not word[0].isupper() and not (inner and word in _PARTICLES):
            return False
    return True


def find_name(sections: Sequence[Section]) -> str:
    """The first header line (or, with no header, early line) that reads as a person's name."""
    header = [line.text for line in sections[0].lines if line.text][:10]
    early = [line.text for s in sections[1:] for line in s.lines[:3] if line.text][:3]
    for text in header or early:
        first = _NAME_SPLIT.split(_NAME_LABEL.sub("", text[:200]), maxsplit=1)[0]
        candidate = _NAME_SUFFIX.sub("", first.strip())
        if _looks_like_name(candidate):
            return candidate.title() if candidate.isupper() else candidate
    return ""


# ---------------------------------------------------------------------------- experience

_PART_SPLIT = re.compile(
    r"\s{0,3}[|\u2022\u00b7]\s{0,3}|\s{1,3}[-\u2013\u2014]\s{1,3}|[\u2013\u2014]|,\s{1,3}"
    r"|\s{3}|\s(?:at|@)\s"
)
_NOT_COMPANY = frozenset({"remote", "hybrid", "on-site", "onsite", "full-time", "part-time"})
_EMPTY_BRACKETS = re.compile(r"[(\[]\s{0,3}\|\s{0,3}[)\]]")


@dataclass(frozen=True)
class _Entry:
    job: WorkExperience
    periods: tuple[Period, ...]

    @property
    def recency(self) -> tuple[date, date]:
        if not self.periods:
            return date.min, date.min
        return max(p.end for p in self.periods), max(p.start for p in self.periods)


def _header_like(line: Line) -> bool:
    """A short line that is not a bullet, a sentence or a "Label: value" line."""
    words = line.text.split()
    if not words or line.bullet or len(line.text) > 120 or len(words) > 12:
        return False
    sentence = line.text.endswith(".") and len(words[-1]) > 5
    return not sentence and not LABELLED.match(line.text)


def _header_start(lines: Sequence[Line], dated: int, floor: int) -> int:
    first = dated
    while first > floor and dated - first < 2 and _header_like(lines[first - 1]):
        first -= 1
    return first


def _tidy(part: str) -> str:
    part = part.strip(" ,;:[]|-\u2013\u2014")
    return part.strip(" ()") if part.count("(") != part.count(")") else part


def _parts(header: Sequence[str]) -> list[str]:
    """The header's pieces (title, company, place) without its dates or empty brackets."""
    stripped = (_EMPTY_BRACKETS.sub(" | ", RANGE.sub(" | ", text)) for text in header)
    parts = (_tidy(part) for s in stripped for part in _PART_SPLIT.split(s))
    return [p for p in parts if p and p.strip("()").lower() not in _NOT_COMPANY]


def _job(header: Sequence[str], description: Sequence[str], today: date) -> _Entry:
    parts = _parts(header)
    titled = [p for p in parts if _TITLE_NOUN.search(p)] or [
        p for p in parts if _TITLE_MODIFIER.search(p)
    ]
    title = titled[0] if titled else (parts[0] if len(parts) > 1 else "")
    company = next((p for p in parts if p != title), "")
    ranges = [m[0].strip() for text in header for m in RANGE.finditer(text)]
    periods = tuple(p for text in header for p in find_periods(text, today))
    job = WorkExperience(company, title, ranges[0] if ranges else "", "\n".join(description))
    return _Entry(job, periods)


def _wants_title(header: Sequence[str]) -> bool:
    return not any(map(_TITLE_NOUN.search, _parts(header)))


def _experience_entries(lines: Sequence[Line], today: date) -> list[_Entry]:
    """Entries anchored on their non-bullet date lines, with up to two header lines above."""
    dated = [i for i, line in enumerate(lines) if not line.bullet and RANGE.search(line.text)]
    firsts = [_header_start(lines, i, dated[k - 1] + 1 if k else 0) for k, i in enumerate(dated)]
    entries = []
    for k, i in enumerate(dated):
        stop = firsts[k + 1] if k + 1 < len(dated) else len(lines)
        header = [line.text for line in lines[firsts[k] : i + 1]]
        following = lines[i + 1] if i + 1 < stop else Line("")
        if _wants_title(header) and _header_like(following) and _TITLE_NOUN.search(following.text):
            header.append(following.text)
        description = [line.text for line in lines[firsts[k] + len(header) : stop] if line.text]
        entries.append(_job(header, description, today))
    return entries


# ---------------------------------------------------------------------------- education

_INSTITUTION = re.compile(
    r"\b(?i:universi\w*|college|institute|institut|school|academy|polytechnic|politecnico"
    r"|hochschule|conservatory|bootcamp)\b|\b(?:MIT|ETH|EPFL|IIT|UCLA|KTH|NYU|CMU|UCL)\b"
)
_DEGREE = re.compile(
    r"(?<![\w.])(?:B\.?\s?(?:Sc|S|A|Eng|E|Tech|Com)\.?|M\.?\s?(?:Sc|S|A|Eng|Tech|Phil)\.?|MBA"
    r"|Ph\.?\s?D\.?|D\.?\s?Phil\.?|(?i:bachelor(?:'s|\u2019s)?(?:\s(?:of|in)\s(?:science|arts"
    r"|engineering|technology))?|master(?:'s|\u2019s)?(?:\s(?:of|in)\s(?:science|arts"
    r"|engineering|technology|education|business\sadministration))?"
    r"|doctor(?:ate)?(?:\sof\sphilosophy)?|associate(?:'s)?\sdegree|diploma|certificate))(?!\w)"
)
_DATED = re.compile(rf"(?<![a-z])(?:{MONTH}\.?\s{{0,3}})?(?<![0-9]){YEAR}(?![0-9])", _F)
_LEADING_OF = re.compile(r"^(?:in|of)\s", _F)


def _education_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    years = [m[0][-4:] for m in _DATED.finditer(text)]
    if years:
        fields["year"] = years[-1]
    segments = [s.strip(" ,;:()[]|-") for s in _PART_SPLIT.split(_DATED.sub(" ", text))]
    segments = [s for s in segments if s]
    for position, segment in enumerate(segments):
        if "institution" not in fields and _INSTITUTION.search(segment):
            fields["institution"] = segment
        elif "degree" not in fields and (degree := _DEGREE.search(segment)):
            fields["degree"] = degree[0].strip()
            rest = _LEADING_OF.sub("", segment[degree.end() :].strip(" ,:;-()")).strip(" ,:;-()")
            after = segments[position + 1] if position + 1 < len(segments) else ""
            if not rest and after and not (_INSTITUTION.search(after) or _DEGREE.search(after)):
                rest = after
            fields["field"] = rest
    return fields


def _education_entries(lines: Sequence[Line]) -> list[Education]:
    entries: list[Education] = []
    current: dict[str, str] = {}

    def flush() -> None:
        if current.get("institution") or current.get("degree"):
            entries.append(
                Education(
                    current.get("institution", ""),
                    current.get("degree", ""),
                    current.get("field", ""),
                    current.get("year", ""),
                )
            )
        current.clear()

    for line in lines:
        if not line.text or line.bullet:
            if not line.text:
                flush()
            continue
        fields = _education_fields(line.text)
        if any(key in current for key in ("institution", "degree") if key in fields):
            flush()
        for key, value in fields.items():
            current.setdefault(key, value)
    flush()
    return entries


# ---------------------------------------------------------------------------- the extractor


def extract_resume(text: str, user_id: str, today: date) -> ResumeData:
    """The resume's fields read from its text; any text gives a result, at worst an empty one."""
    sections = find_sections(text)
    body = [s for s in sections if s.kind != "header"]
    entries = [
        entry
        for s in body
        if s.kind == "experience"
        for entry in _experience_entries(s.lines, today)
    ]
    titles = [e.job.title for e in sorted(entries, key=lambda e: e.recency, reverse=True)]
    years = total_years(p for entry in entries for p in entry.periods)
    skills = _dedupe(item for s in body if s.kind == "skills" for item in skill_items(s.lines))
    return ResumeData(
        user_id=user_id,
        name=find_name(sections),
        email=find_email(text),
        experience_level=experience_level(years, titles),
        years_of_experience=years,
        domain_expertise=domain_expertise(
            skills, titles, _joined(body), "\n".join(e.job.description for e in entries)
        ),
        work_experience=[entry.job for entry in entries],
        education=[e for s in body if s.kind == "education" for e in _education_entries(s.lines)],
        skills=skills,
        raw_text=text,
    )


def _joined(sections: Sequence[Section]) -> str:
    return "\n".join(line.text for s in sections for line in s.lines)


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())

"""A resume's text in lines and sections: each line cleaned (no control characters, bullets
noted), split at its headings ("Experience", "Skills: ..." and their many spellings)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from interview_platform.core.resume.dates import MAX_ANALYSED_CHARS

_HEADINGS: dict[str, str] = {  # kind: the spellings of its headings
    "experience": (
        "experience, work experience, professional experience, employment history,"
        " employment, work history, career history, relevant experience,"
        " industry experience, professional background, career"
    ),
    "education": (
        "education, academic background, education and training, academic history,"
        " academics, qualifications, education and qualifications"
    ),
    "skills": (
        "skills, technical skills, technologies, core skills, key skills, tech stack,"
        " skills and tools, tools, tools and technologies, core competencies,"
        " competencies, skills summary, technical proficiencies, technical expertise,"
        " skills and technologies"
    ),
    "summary": (
        "summary, profile, about, about me, professional summary, objective,"
        " career objective, professional profile, overview, executive summary,"
        " career summary"
    ),
    "projects": (
        "projects, personal projects, selected projects, side projects, open source,"
        " key projects, open source contributions"
    ),
    "certifications": (
        "certifications, certificates, certification, licenses and certifications,"
        " licences and certifications"
    ),
    "other": (
        "languages, interests, hobbies, awards, honors, honours, publications,"
        " volunteer experience, volunteering, references, contact, achievements,"
        " activities, extracurricular activities, courses, coursework,"
        " relevant coursework, awards and honors"
    ),
}
HEADING = {name: kind for kind, names in _HEADINGS.items() for name in names.split(", ")}
# A "Label: value" line, such as "Languages: Python, Go".
LABELLED = re.compile(r"[\w ]{1,30}:(?:\s|$)")
_INLINE_KINDS = frozenset({"skills", "summary", "certifications"})
_CLEAN: dict[int, str | None] = dict.fromkeys((*range(32), *range(127, 161)), " ")
_CLEAN |= {9: "   ", 0x200B: None, 0xFEFF: None}
_WIDE_SPACE = re.compile(r"\s{4,}")
_BULLET = re.compile(
    r"(?:[\u2022\u25aa\u25e6\u2023\u00b7\u25cf\u25cb\u25a0\u27a2\u25ba]|[-*+>\u2013\u2014](?=\s))\s{0,3}"
)


@dataclass(frozen=True)
class Line:
    """One cleaned line of a resume: no control characters, no run of more than 3 spaces."""

    text: str
    bullet: bool = False


@dataclass
class Section:
    """`kind` is "header" (before any heading), "other", or a kind of `_HEADINGS`."""

    kind: str
    lines: list[Line]


def _line(raw: str) -> Line:
    text = _WIDE_SPACE.sub("   ", raw.translate(_CLEAN)).strip()
    bullet = _BULLET.match(text)
    return Line(text[bullet.end() :].strip(), True) if bullet else Line(text)


def _heading_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", text.lower().replace("&", " and ")).split())


def _heading(line: Line, current: str) -> tuple[str | None, str]:
    """The kind of section the line opens, and any content after "Skills:" and the like."""
    if len(line.text) <= 60 and (kind := HEADING.get(_heading_key(line.text))):
        return kind, ""
    label, colon, rest = line.text.partition(":")
    if not colon or line.bullet or len(label) > 40 or current in ("experience", "projects"):
        return None, ""
    kind = HEADING.get(_heading_key(label))
    return (kind, rest.strip()) if kind in _INLINE_KINDS else (None, "")


def find_sections(text: str) -> list[Section]:
    """The text split at its headings; lines before the first heading are the "header"."""
    sections = [Section("header", [])]
    for raw in text[:MAX_ANALYSED_CHARS].splitlines():
        line = _line(raw)
        kind, rest = _heading(line, sections[-1].kind)
        if kind:
            sections.append(Section(kind, [Line(rest)] if rest else []))
        else:
            sections[-1].lines.append(line)
    return sections

"""A report as people read it, the same on the page, in Markdown and in the PDF.

Scores are rounded once, here, to the whole points shown everywhere (half up: 92.5 is 93);
names made from ids are written as people write them, acronyms kept ("Data model and APIs",
"CAP trade-off"); a feedback item's title is not repeated at the start of its text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from interview_platform.core.evaluation.report import EvaluationReport, Feedback, ModeAnalysis
from interview_platform.core.interviewer.phrasing import plain_words
from interview_platform.core.interviewer.problems import Competency

TITLES = {
    Competency.REQUIREMENTS_GATHERING: "Requirements gathering",
    Competency.HIGH_LEVEL_DESIGN: "High-level design",
    Competency.DATA_MODEL_AND_APIS: "Data model and APIs",
    Competency.SCALABILITY: "Scalability",
    Competency.RELIABILITY: "Reliability and fault tolerance",
    Competency.TRADE_OFFS: "Trade-off reasoning",
    Competency.COMMUNICATION: "Communication",
}
BY_ID = {competency.value: name for competency, name in TITLES.items()}
FEEDBACK_QUOTES = 1


@dataclass(frozen=True)
class CompetencyRow:
    title: str
    points: int
    confidence: str
    quotes: list[str]


@dataclass(frozen=True)
class FeedbackLine:
    title: str
    text: str
    quotes: list[str]


def points(score: float) -> int:
    """A 0-100 score as the whole number shown everywhere: 92.4 is 92, 92.5 is 93."""
    return math.floor(score + 0.5)


def title(name: str) -> str:
    """An id or a name as a title: "practise_cap_trade_off" -> "Practise CAP trade-off";
    a name already written for people ("Trade-off reasoning") is kept as it is."""
    text = name.strip()
    if "_" not in text and text != text.lower():
        return text[:1].upper() + text[1:]
    words = plain_words(text)
    return words[:1].upper() + words[1:]


def competency_title(name: str) -> str:
    """A competency's title ("data_model_and_apis" -> "Data model and APIs"), else `title`."""
    return BY_ID.get(name.strip().lower().replace(" ", "_")) or title(name)


def one_line(quote: str) -> str:
    """A quote on one line, its spaces single: how every report prints the candidate's words."""
    return " ".join(quote.split())


def competency_rows(report: EvaluationReport) -> list[CompetencyRow]:
    return [
        CompetencyRow(
            competency_title(name),
            points(score.score),
            score.confidence_level,
            [one_line(q) for q in score.evidence],
        )
        for name, score in report.competency_scores.items()
    ]


def feedback_line(item: Feedback) -> FeedbackLine:
    """The item's title and its text without the title repeated in front of it."""
    name = competency_title(item.category)
    prefixes = {name.lower(), item.category.lower(), item.category.replace("_", " ").lower()}
    text = _without_title(item.description.strip(), prefixes)
    return FeedbackLine(name, text, [one_line(q) for q in item.evidence[:FEEDBACK_QUOTES]])


def _without_title(text: str, titles: set[str]) -> str:
    head, colon, rest = text.partition(":")
    while colon and head.strip().lower() in titles:
        text = rest.strip()
        head, colon, rest = text.partition(":")
    return text


def feedback_sections(report: EvaluationReport) -> list[tuple[str, list[FeedbackLine]]]:
    """("What went well", ...), ("What went okay", ...), ("Needs improvement", ...)."""
    sections = (
        ("What went well", report.went_well),
        ("What went okay", report.went_okay),
        ("Needs improvement", report.needs_improvement),
    )
    return [(heading, [feedback_line(item) for item in items]) for heading, items in sections]


def mode_rows(analysis: ModeAnalysis) -> list[tuple[str, int]]:
    """Each mode that carried an answer, with how many: [("Text", 3), ("Audio", 1)]."""
    return [(title(mode), count) for mode, count in analysis.mode_usage.items() if count]

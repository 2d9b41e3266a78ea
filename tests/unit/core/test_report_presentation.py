"""Scores, names and feedback as every report shows them, and the Markdown export."""

from __future__ import annotations

import pytest

from interview_platform.core.evaluation.builtin import BuiltinEvaluator
from interview_platform.core.evaluation.presentation import (
    TITLES,
    competency_title,
    feedback_line,
    points,
    title,
)
from interview_platform.core.evaluation.report import Feedback, ModeAnalysis
from interview_platform.core.evaluation.report_format import report_as_markdown
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import ExperienceLevel, Message, Role
from tests.unit.core.report_fixtures import LONG_QUOTE, awkward_report

URL = brief_for(default_bank().get("url-shortener"), ExperienceLevel.MID)
ANSWERS = [
    "First the requirements: 100 million new links a month, reads dominate writes 100 to 1.",
    "I would keep the mappings in a key-value store because lookups are by short code only, "
    "and cache hot links in Redis so most redirects never reach the store.",
]


@pytest.mark.parametrize(
    ("score", "shown"), [(92.5, 93), (92.49, 92), (0.0, 0), (0.5, 1), (99.5, 100), (100.0, 100)]
)
def test_a_score_is_shown_as_whole_points_rounded_half_up(score: float, shown: int) -> None:
    assert points(score) == shown


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("data_model_and_apis", "Data model and APIs"),
        ("reliability_and_fault_tolerance", "Reliability and fault tolerance"),
        ("Data model and APIs", "Data model and APIs"),
        ("practise_cap_trade_off", "Practise CAP trade-off"),
        ("slo_targets", "SLO targets"),
        ("cdn_and_api_gateway", "CDN and API gateway"),
        ("evaluation_note", "Evaluation note"),
        ("question_generation", "Question generation"),
        ("audio", "Audio"),
    ],
)
def test_names_made_from_ids_keep_their_acronyms(name: str, shown: str) -> None:
    assert competency_title(name) == shown


def test_a_name_written_for_people_is_kept() -> None:
    assert title("Trade-off reasoning") == "Trade-off reasoning"
    assert title("practise CAP trade-off") == "Practise CAP trade-off"


def test_a_feedback_title_is_not_repeated_in_its_text() -> None:
    item = Feedback(
        "requirements_gathering",
        "Requirements gathering: Requirements gathering: 100/100. You asked first.",
        [],
    )

    line = feedback_line(item)

    assert (line.title, line.text) == ("Requirements gathering", "100/100. You asked first.")
    assert feedback_line(Feedback("scalability", "Shard by key: it spreads writes.", [])).text == (
        "Shard by key: it spreads writes."
    )


def test_the_builtin_feedback_does_not_start_with_its_competency() -> None:
    history = [Message(Role.CANDIDATE, answer) for answer in ANSWERS]
    report = BuiltinEvaluator().evaluate("", URL, history, ModeAnalysis({}, []))

    items = report.went_well + report.went_okay + report.needs_improvement
    scored = [
        i for i in items if i.category in {c.value for c in TITLES} and "/100" in i.description
    ]
    assert len(scored) == len(TITLES)
    for item in items:
        assert not any(item.description.startswith(name) for name in TITLES.values())
    assert all(item.description.split("/100.", 1)[0].isdigit() for item in scored)


def test_markdown_shows_the_rounded_score_and_the_names_as_written() -> None:
    markdown = report_as_markdown(awkward_report())

    assert "**Overall score: 93/100**" in markdown
    assert "| Data model and APIs | 93 | medium |" in markdown
    assert "92" not in markdown
    assert "- **Practise CAP trade-off**: Say which side of CAP you pick and why." in markdown
    assert "- **SLO targets**: name the latency you promise." in markdown
    assert "Focus on: Data model and APIs, Trade-off reasoning" in markdown


def test_markdown_nests_each_items_quotes_under_its_own_bullet() -> None:
    markdown = report_as_markdown(awkward_report())

    section = markdown.split("## What went well\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "- **Requirements gathering**: 100/100. You asked about scale first.",
        '  - "How many new links a month, and how long do we keep them?"',
        "- **Data model and APIs**: Clear endpoints.",
        f'  - "{LONG_QUOTE}"',
    ]


def test_markdown_counts_the_modes() -> None:
    markdown = report_as_markdown(awkward_report())

    section = markdown.split("## How you communicated\n\n", 1)[1].split("\n## ", 1)[0]
    assert section.strip().splitlines() == [
        "Answers by mode: Text 3, Audio 1, Whiteboard 1",
        "",
        "- 1 answer was spoken.",
    ]

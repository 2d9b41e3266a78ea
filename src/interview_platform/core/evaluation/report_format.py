"""An evaluation report as a JSON document or as Markdown, for the CLI and exports."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from interview_platform.core.evaluation.presentation import (
    FeedbackLine,
    competency_rows,
    competency_title,
    feedback_sections,
    mode_rows,
    points,
)
from interview_platform.core.evaluation.report import EvaluationReport, ModeAnalysis


def report_as_dict(report: EvaluationReport) -> dict[str, Any]:
    """The report as one JSON-ready object, `overall_score` at the top level."""
    document = asdict(report)
    document["created_at"] = report.created_at.isoformat()
    return document


def report_as_markdown(report: EvaluationReport, title: str = "Interview evaluation") -> str:
    lines = [f"# {title}", "", f"**Overall score: {points(report.overall_score)}/100**", ""]
    lines += ["## Competencies", "", "| Competency | Score | Confidence |", "| --- | --- | --- |"]
    lines += [f"| {r.title} | {r.points} | {r.confidence} |" for r in competency_rows(report)]
    for heading, items in feedback_sections(report):
        lines += ["", f"## {heading}", ""]
        lines += [line for item in items for line in _bullet(item)] or ["- Nothing here."]
    lines += _modes(report.communication_mode_analysis)
    plan = report.improvement_plan
    lines += ["", "## Improvement plan", ""]
    if plan.priority_areas:
        areas = ", ".join(competency_title(area) for area in plan.priority_areas)
        lines += [f"Focus on: {areas}", ""]
    lines += [f"{step.step_number}. {step.description}" for step in plan.concrete_steps]
    lines += ["", "Resources:", ""] + [f"- {r}" for r in plan.resources]
    return "\n".join(lines) + "\n"


def _bullet(item: FeedbackLine) -> list[str]:
    """The item, then its own quotes nested under it."""
    return [f"- **{item.title}**: {item.text}"] + [f'  - "{quote}"' for quote in item.quotes]


def _modes(analysis: ModeAnalysis) -> list[str]:
    counts = ", ".join(f"{mode} {count}" for mode, count in mode_rows(analysis)) or "none"
    lines = ["", "## How you communicated", "", f"Answers by mode: {counts}"]
    if analysis.observations:
        lines += [""] + [f"- {note}" for note in analysis.observations]
    return lines

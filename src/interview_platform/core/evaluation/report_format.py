"""An evaluation report as a JSON document or as Markdown, for the CLI and exports."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from interview_platform.core.models import EvaluationReport


def report_as_dict(report: EvaluationReport) -> dict[str, Any]:
    """The report as one JSON-ready object, `overall_score` at the top level."""
    document = asdict(report)
    document["created_at"] = report.created_at.isoformat()
    return document


def report_as_markdown(report: EvaluationReport, title: str = "Interview evaluation") -> str:
    lines = [f"# {title}", "", f"**Overall score: {report.overall_score:.0f}/100**", ""]
    lines += ["## Competencies", "", "| Competency | Score | Confidence |", "| --- | --- | --- |"]
    for name, score in report.competency_scores.items():
        label = name.replace("_", " ").capitalize()
        lines.append(f"| {label} | {score.score:.0f} | {score.confidence_level} |")
    sections = (
        ("What went well", report.went_well),
        ("What went okay", report.went_okay),
        ("Needs improvement", report.needs_improvement),
    )
    for heading, items in sections:
        lines += ["", f"## {heading}", ""]
        lines += [f"- {item.description}" for item in items] or ["- Nothing here."]
        lines += [f'  - "{quote}"' for item in items for quote in item.evidence[:1]]
    lines += ["", "## Improvement plan", ""]
    lines += [
        f"{step.step_number}. {step.description}" for step in report.improvement_plan.concrete_steps
    ]
    lines += ["", "Resources:", ""] + [f"- {r}" for r in report.improvement_plan.resources]
    return "\n".join(lines) + "\n"

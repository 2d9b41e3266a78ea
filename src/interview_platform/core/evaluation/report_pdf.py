"""An evaluation report as a PDF document (fpdf2), for the candidate to keep."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from interview_platform.core.models import EvaluationReport

REPLACEMENTS = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2022": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def latin1(text: str) -> str:
    """Text the PDF core fonts can draw: dashes and quotes made plain, the rest replaced."""
    return text.translate(REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def report_as_pdf(report: EvaluationReport, title: str = "Interview evaluation") -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _heading(pdf, title, 16)
    _paragraph(pdf, f"Overall score: {report.overall_score:.0f}/100", bold=True)
    _heading(pdf, "Competencies", 13)
    for name, score in report.competency_scores.items():
        label = name.replace("_", " ").capitalize()
        _paragraph(pdf, f"{label}: {score.score:.0f}/100 (confidence {score.confidence_level})")
        for quote in score.evidence[:2]:
            _paragraph(pdf, f'    "{quote}"', size=9)
    for heading, items in (
        ("What went well", report.went_well),
        ("What went okay", report.went_okay),
        ("Needs improvement", report.needs_improvement),
    ):
        _heading(pdf, heading, 13)
        for item in items or []:
            _paragraph(pdf, f"- {item.description}")
        if not items:
            _paragraph(pdf, "- Nothing here.")
    _heading(pdf, "Improvement plan", 13)
    for step in report.improvement_plan.concrete_steps:
        _paragraph(pdf, f"{step.step_number}. {step.description}")
    for resource in report.improvement_plan.resources:
        _paragraph(pdf, f"- {resource}", size=9)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str, size: int) -> None:
    pdf.ln(2)
    _paragraph(pdf, text, size=size, bold=True)


def _paragraph(pdf: FPDF, text: str, *, size: int = 10, bold: bool = False) -> None:
    pdf.set_font("Helvetica", "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

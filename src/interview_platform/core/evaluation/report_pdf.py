"""An evaluation report as a PDF document (fpdf2), for the candidate to keep."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from interview_platform.core.evaluation.feedback import OKAY, WELL
from interview_platform.core.evaluation.presentation import (
    CompetencyRow,
    competency_rows,
    competency_title,
    feedback_sections,
    mode_rows,
    points,
)
from interview_platform.core.evaluation.report import (
    EvaluationReport,
    ImprovementPlan,
    ModeAnalysis,
)

COMPETENCY_QUOTES = 2
# The competency chart, in millimetres: title, gap, 0-100 bar, gap, points.
LABEL_WIDTH, GAP, BAR_WIDTH, BAR_HEIGHT, ROW_HEIGHT = 55.0, 3.0, 110.0, 4.5, 7.0
QUOTE_INDENT = 6.0
TRACK = (232, 232, 232)
GREEN, ORANGE, RED = (46, 160, 67), (230, 145, 30), (214, 60, 60)
QUOTE_GREY = (70, 70, 70)

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
    _paragraph(pdf, f"Overall score: {points(report.overall_score)}/100", bold=True)
    _heading(pdf, "Competencies", 13)
    rows = competency_rows(report)
    _chart(pdf, rows)
    for row in rows:
        _paragraph(pdf, f"{row.title}: {row.points}/100 (confidence {row.confidence})")
        for quote in row.quotes[:COMPETENCY_QUOTES]:
            _quote(pdf, quote)
    for heading, items in feedback_sections(report):
        _heading(pdf, heading, 13)
        for item in items:
            _paragraph(pdf, f"- {item.title}: {item.text}")
            for quote in item.quotes:
                _quote(pdf, quote)
        if not items:
            _paragraph(pdf, "- Nothing here.")
    _modes(pdf, report.communication_mode_analysis)
    _plan(pdf, report.improvement_plan)
    return bytes(pdf.output())


def _chart(pdf: FPDF, rows: list[CompetencyRow]) -> None:
    """A bar per competency on a 0-100 track, its title on the left and its points after."""
    pdf.set_font("Helvetica", "", 9)
    pdf.set_draw_color(*TRACK)
    bar_x = pdf.l_margin + LABEL_WIDTH + GAP
    for row in rows:
        if pdf.will_page_break(ROW_HEIGHT):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin)
        pdf.cell(LABEL_WIDTH, ROW_HEIGHT, latin1(row.title), align=Align.R)
        top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        pdf.set_fill_color(*TRACK)
        pdf.rect(bar_x, top, BAR_WIDTH, BAR_HEIGHT, style="F")
        if row.points:
            pdf.set_fill_color(*_bar_color(row.points))
            pdf.rect(bar_x, top, BAR_WIDTH * row.points / 100, BAR_HEIGHT, style="F")
        pdf.set_xy(bar_x + BAR_WIDTH + GAP, y)
        pdf.cell(0, ROW_HEIGHT, str(row.points), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _bar_color(value: int) -> tuple[int, int, int]:
    return GREEN if value >= WELL else ORANGE if value >= OKAY else RED


def _modes(pdf: FPDF, analysis: ModeAnalysis) -> None:
    _heading(pdf, "How you communicated", 13)
    counts = ", ".join(f"{mode} {count}" for mode, count in mode_rows(analysis)) or "none"
    _paragraph(pdf, f"Answers by mode: {counts}")
    for note in analysis.observations:
        _paragraph(pdf, f"- {note}")


def _plan(pdf: FPDF, plan: ImprovementPlan) -> None:
    _heading(pdf, "Improvement plan", 13)
    if plan.priority_areas:
        areas = ", ".join(competency_title(area) for area in plan.priority_areas)
        _paragraph(pdf, f"Focus on: {areas}")
    for step in plan.concrete_steps:
        _paragraph(pdf, f"{step.step_number}. {step.description}")
    for resource in plan.resources:
        _paragraph(pdf, f"- {resource}", size=9)


def _heading(pdf: FPDF, text: str, size: int) -> None:
    pdf.ln(2)
    _paragraph(pdf, text, size=size, bold=True)


def _paragraph(pdf: FPDF, text: str, *, size: int = 10, bold: bool = False) -> None:
    pdf.set_font("Helvetica", "B" if bold else "", size)
    _lines(pdf, text, size)


def _quote(pdf: FPDF, text: str) -> None:
    """The candidate's words, indented, in italics, left-aligned (never stretched to fit)."""
    pdf.set_font("Helvetica", "I", 9)
    pdf.set_text_color(*QUOTE_GREY)
    pdf.set_x(pdf.l_margin + QUOTE_INDENT)
    _lines(pdf, f'"{text}"', 9)
    pdf.set_text_color(0, 0, 0)


def _lines(pdf: FPDF, text: str, size: int) -> None:
    """Text from the current x to the right margin, left-aligned, single spaces kept single."""
    pdf.multi_cell(0, size * 0.5, latin1(text), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

"""Lays out a `ResumeFixture` as a real PDF: one column, or a narrow side column and a wide main.

The two-column layout is paginated line by line so that each column continues on the next
page at its own x position, as a designed resume does; the reader must keep them apart.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from interview_platform.core.evaluation.report_pdf import latin1
from tests.support.resume_fixtures import ResumeFixture, Section

PageFormat = Literal["A4", "Letter"]

_MARGIN = 15.0  # mm
_GUTTER = 8.0  # mm between the columns
_SIDE_SHARE = 0.33  # the side column's share of the text width
_BODY = ("", 10.0, 5.0)  # (style, font size pt, line height mm)
_HEADING = ("B", 12.0, 7.0)
_NAME = ("B", 18.0, 9.0)
_CONTACT = ("", 10.0, 5.0)


@dataclass(frozen=True)
class _Line:
    text: str
    style: str
    size: float
    height: float


@dataclass
class _Column:
    x: float
    width: float
    lines: list[_Line]


def write_pdf(fixture: ResumeFixture, page_format: PageFormat = "A4") -> bytes:
    """The fixture as a text PDF, laid out in one column or two as `fixture.layout` says."""
    pdf = _new_pdf(page_format)
    pdf.add_page()  # wrapping measures text on a page; drawing starts on this one
    text_width = pdf.w - 2 * _MARGIN
    header = _Column(_MARGIN, text_width, [])
    _add_header(pdf, header, fixture.header)
    if fixture.layout == "two-column":
        side_width = text_width * _SIDE_SHARE - _GUTTER / 2
        main_x = _MARGIN + side_width + _GUTTER
        columns = [
            _Column(_MARGIN, side_width, _wrap_sections(pdf, fixture.side, side_width)),
            _Column(main_x, text_width - side_width - _GUTTER, []),
        ]
        columns[1].lines = _wrap_sections(pdf, fixture.main, columns[1].width)
    else:
        sections = (*fixture.main, *fixture.side)
        columns = [_Column(_MARGIN, text_width, _wrap_sections(pdf, sections, text_width))]
    _paginate(pdf, header, columns)
    return bytes(pdf.output())


def write_scanned_pdf(page_format: PageFormat = "A4") -> bytes:
    """A one-page PDF whose only content is a picture of text: a scan, with no text layer."""
    picture = Image.new("L", (1240, 1754), color=255)
    draw = ImageDraw.Draw(picture)
    lines = ["Jordan Example", "Senior Software Engineer", "", "Experience"]
    lines += [f"- Built service number {n} for payments" for n in range(1, 25)]
    for row, line in enumerate(lines):
        draw.text((120, 120 + row * 48), line, fill=0)
    pdf = _new_pdf(page_format)
    pdf.add_page()
    pdf.image(picture, x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def write_encrypted_pdf(fixture: ResumeFixture, password: str) -> bytes:
    """`write_pdf(fixture)` encrypted with AES-256; an empty password opens without asking."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf(fixture))))
    writer.encrypt(user_password=password, owner_password=f"{password}-owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _new_pdf(page_format: PageFormat) -> FPDF:
    pdf = FPDF(format=page_format, unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_font("Helvetica", "", 10)
    return pdf


def _add_header(pdf: FPDF, header: _Column, lines: tuple[str, ...]) -> None:
    for index, text in enumerate(lines):
        style, size, height = _NAME if index == 0 else _CONTACT
        header.lines += _wrap(pdf, text, style, size, height, header.width)
    header.lines.append(_Line("", "", _BODY[1], _BODY[2]))


def _wrap_sections(pdf: FPDF, sections: tuple[Section, ...], width: float) -> list[_Line]:
    lines: list[_Line] = []
    for index, (heading, body) in enumerate(sections):
        if index:
            lines.append(_Line("", "", _BODY[1], _BODY[2] / 2))
        lines += _wrap(pdf, heading, *_HEADING, width)
        for text in body:
            lines += _wrap(pdf, text, *_BODY, width)
    return lines


def _wrap(
    pdf: FPDF, text: str, style: str, size: float, height: float, width: float
) -> list[_Line]:
    pdf.set_font("Helvetica", style, size)
    wrapped = pdf.multi_cell(
        width, height, latin1(text), dry_run=True, output=MethodReturnValue.LINES
    )
    if not isinstance(wrapped, list):  # output=LINES always returns the wrapped lines
        raise TypeError(f"multi_cell returned {type(wrapped).__name__}, not lines")
    return [_Line(str(line), style, size, height) for line in wrapped]


def _paginate(pdf: FPDF, header: _Column, columns: list[_Column]) -> None:
    """Draws the header, then each column's lines page by page at the column's own x."""
    bottom = pdf.h - _MARGIN
    top = _draw(pdf, header, 0, _MARGIN, bottom)[1]
    cursors = [0] * len(columns)
    while True:
        for index, column in enumerate(columns):
            cursors[index] = _draw(pdf, column, cursors[index], top, bottom)[0]
        if all(
            cursor >= len(column.lines) for cursor, column in zip(cursors, columns, strict=True)
        ):
            return
        pdf.add_page()
        top = _MARGIN


def _draw(pdf: FPDF, column: _Column, start: int, y: float, bottom: float) -> tuple[int, float]:
    index = start
    while index < len(column.lines) and y + column.lines[index].height <= bottom:
        line = column.lines[index]
        if line.text:
            pdf.set_font("Helvetica", line.style, line.size)
            pdf.set_xy(column.x, y)
            pdf.cell(column.width, line.height, line.text)
        y += line.height
        index += 1
    return index, y

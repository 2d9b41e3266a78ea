"""The PDF report read back: its competency chart, the modes, and quotes set left-aligned."""

from __future__ import annotations

import io
from collections import defaultdict
from functools import cache
from itertools import pairwise
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from interview_platform.core.evaluation.presentation import TITLES, points
from interview_platform.core.evaluation.report_pdf import report_as_pdf
from tests.unit.core.report_fixtures import LONG_QUOTE, SCORES, awkward_report

HELVETICA_SPACE = 0.278  # a space's width in Helvetica (any style), per point of font size


@cache
def pdf_bytes() -> bytes:
    return report_as_pdf(awkward_report(), "Interview evaluation: URL shortener")


def text() -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes())).pages)


def words_by_line(page: Any) -> dict[float, list[dict[str, Any]]]:
    lines: dict[float, list[dict[str, Any]]] = defaultdict(list)
    for word in page.extract_words(extra_attrs=["size"], keep_blank_chars=False):
        lines[round(word["top"], 1)].append(word)
    return {top: sorted(words, key=lambda w: w["x0"]) for top, words in lines.items()}


def test_the_pdf_draws_a_bar_per_competency_with_its_points() -> None:
    with pdfplumber.open(io.BytesIO(pdf_bytes())) as pdf:
        page = pdf.pages[0]
        lines = words_by_line(page)
        filled = [r for r in page.rects if r["fill"]]
        for competency, score in SCORES.items():
            title = TITLES[competency]
            row = next(
                words
                for words in lines.values()
                if " ".join(w["text"] for w in words) == f"{title} {points(score)}"
            )
            middle = (row[0]["top"] + row[0]["bottom"]) / 2
            bars = sorted(
                (r for r in filled if r["top"] < middle < r["bottom"]), key=lambda r: -r["width"]
            )
            track, *bar = bars
            assert track["x0"] > row[-2]["x1"] and track["x1"] < row[-1]["x0"], title
            drawn = bar[0]["width"] / track["width"] if bar else 0.0
            assert drawn == pytest.approx(points(score) / 100, abs=0.005), title


def test_the_pdf_shows_the_rounded_overall_score_and_the_modes() -> None:
    shown = text()

    assert "Overall score: 93/100" in shown and "Data model and APIs: 93/100" in shown
    assert "92" not in shown
    assert "Answers by mode: Text 3, Audio 1, Whiteboard 1" in shown
    assert "- 1 answer was spoken." in shown
    assert "- Practise CAP trade-off: Say which side of CAP you pick and why." in shown


def test_quotes_are_left_aligned_with_single_spaces() -> None:
    quote = f'"{LONG_QUOTE}"'
    with pdfplumber.open(io.BytesIO(pdf_bytes())) as pdf:
        lines = [
            words
            for page in pdf.pages
            for words in words_by_line(page).values()
            if len(words) > 1 and " ".join(w["text"] for w in words) in quote
        ]
    assert len(lines) >= 6, "the long quote wraps, in three places"
    for words in lines:
        space = HELVETICA_SPACE * words[0]["size"]
        gaps = [right["x0"] - left["x1"] for left, right in pairwise(words)]
        assert max(gaps) == pytest.approx(space, abs=0.05), " ".join(w["text"] for w in words)
    starts = {round(words[0]["x0"], 1) for words in lines}
    assert len(starts) == 1, "every line of a quote starts at the same indent"

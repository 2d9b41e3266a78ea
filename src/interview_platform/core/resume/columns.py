"""A two-column resume page read one column after the other: in pypdf's layout text (`Grid`,
a band of rows split by a column of spaces) or in pdfplumber's characters (a vertical gap no
word crosses)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from pdfplumber.page import Page
from pdfplumber.utils.text import extract_text

_SPACE_RUN = re.compile(r" {2,}")
_CLEARANCE = 4.0  # pt each side of a gutter: wider than a space, narrower than a column gap


@dataclass(frozen=True)
class Grid:
    """A two-column band in pypdf's layout-mode text: the lines, gutter column and band rows."""

    lines: list[str]
    gutter: int
    start: int
    end: int

    def text(self) -> str:
        """Lines above the band, the left column, the right column, then lines below."""
        band = self.lines[self.start : self.end]
        parts = [
            *self.lines[: self.start],
            *(line[: self.gutter] for line in band),
            *(line[self.gutter :] for line in band),
            *self.lines[self.end :],
        ]
        return "\n".join(_SPACE_RUN.sub(" ", part).strip() for part in parts if part.strip())


def grid_columns(layout: str) -> Grid | None:
    """The tallest band of rows split by a column of spaces, if it spans most of the text."""
    lines = layout.splitlines()
    width = max(map(len, lines), default=0)
    rows = [index for index, line in enumerate(lines) if line.strip()]
    if width < 20 or len(rows) < 6:
        return None
    min_rows = 0.6 * (rows[-1] - rows[0] + 1)
    best: Grid | None = None
    for gutter in range(int(width * 0.2), int(width * 0.8)):
        grid = _grid_band(lines, gutter, min_rows)
        if grid is not None and (best is None or grid.end - grid.start > best.end - best.start):
            best = grid
    return best


def _grid_band(lines: list[str], gutter: int, min_rows: float) -> Grid | None:
    start = 0
    for end in range(len(lines) + 1):
        if end < len(lines) and not lines[end][gutter - 1 : gutter + 2].strip():
            continue
        band = lines[start:end]
        left = sum(1 for line in band if line[:gutter].strip())
        right = sum(1 for line in band if line[gutter:].strip())
        if end - start >= min_rows and left >= 3 and right >= 3:
            return Grid(lines, gutter, start, end)
        start = end + 1
    return None


@dataclass(frozen=True)
class _Columns:
    gutter: float  # x of the gap between the columns
    top: float  # the band in which no word crosses the gap
    bottom: float


_Box = tuple[float, float, float, float]  # x0, x1, top, bottom


def page_text(page: Page, need_columns: bool) -> str | None:
    """The page's text; in two columns, the left column whole and then the right one. None when
    columns are needed and not found."""
    columns = _find_columns(page)
    if columns is None:
        return None if need_columns else page.extract_text() or ""
    regions: tuple[list[dict[str, Any]], ...] = ([], [], [], [])  # above, left, right, below
    for char in page.chars:
        x0, x1, top, bottom = _box(char)
        middle = (top + bottom) / 2
        if middle < columns.top or middle > columns.bottom:
            regions[0 if middle < columns.top else 3].append(char)
        else:
            regions[1 if (x0 + x1) / 2 < columns.gutter else 2].append(char)
    parts = (extract_text(chars) for chars in regions if chars)
    return "\n".join(part for part in parts if part.strip())


def _find_columns(page: Page) -> _Columns | None:
    """A vertical gap that no word crosses over most of the text's height, with text both sides."""
    words = [_box(word) for word in page.extract_words()]
    if len(words) < 6:
        return None
    left, width = float(page.bbox[0]), float(page.width)
    text = (min(word[2] for word in words), max(word[3] for word in words))
    min_height = 0.6 * (text[1] - text[0])
    best: _Columns | None = None
    for step in range(int(width * 0.2), int(width * 0.8), 3):
        band = _band_at(words, left + step, text, min_height)
        if band is not None and (best is None or band.bottom - band.top > best.bottom - best.top):
            best = band
    return best


def _band_at(
    words: list[_Box], gutter: float, text: tuple[float, float], min_height: float
) -> _Columns | None:
    """The band (at least min_height tall) in which no word comes near x = gutter, with lines
    of text on both sides; None when there is none."""
    crossing = sorted(
        (top, bottom) for x0, x1, top, bottom in words if x0 - _CLEARANCE < gutter < x1 + _CLEARANCE
    )
    edges = [(text[0] - 1, text[0] - 1), *crossing, (text[1] + 1, text[1] + 1)]
    for (_, upper), (lower, _) in itertools.pairwise(edges):
        if lower - upper < min_height:
            continue
        inside = [word for word in words if upper <= word[2] < lower]
        left = {round(word[2]) for word in inside if word[1] <= gutter}
        right = {round(word[2]) for word in inside if word[0] >= gutter}
        if len(left) >= 3 and len(right) >= 3:
            top = min(word[2] for word in inside)
            bottom = max(word[3] for word in inside)
            return _Columns(gutter, (upper + top) / 2, (bottom + lower) / 2)
    return None


def _box(item: dict[str, Any]) -> _Box:
    return (float(item["x0"]), float(item["x1"]), float(item["top"]), float(item["bottom"]))

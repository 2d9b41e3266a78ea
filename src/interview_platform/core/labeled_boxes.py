"""Labeled boxes with their label inside: the canvas draws a box's label as a chip above it,
wider than the box when the label is long, so each labeled box becomes a Fabric.js group of
the box and a centred, wrapped text sized to fit inside it.

Fabric places a group's children relative to the group's centre; a box's size is its
`width * scale`, plus its stroke (the canvas keeps strokes unscaled). Text widths are
estimated (0.6 of the font size a character), which is close for the canvas' system font.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

LABELED_BOX = "LabeledRect"
CHAR_WIDTH = 0.6  # of the font size, for an average character
LINE_HEIGHT = 1.16  # Fabric's default, of the font size
FONT_SIZE_MULT = 1.13  # Fabric's extra height of a line of text
PADDING = 6.0
MIN_FONT = 9
_ORIGINS = {"left": 0.0, "top": 0.0, "center": 0.5, "right": 1.0, "bottom": 1.0}
_BOX_STYLE = ("stroke", "strokeWidth", "fill", "strokeUniform", "opacity")


def fit_labels(canvas: Mapping[str, Any], font_size: int) -> dict[str, Any] | None:
    """The canvas with every labeled box's label set inside its box, or None when no box
    carries a label outside it (nothing to change)."""
    objects = canvas.get("objects")
    if not isinstance(objects, list) or not any(map(_has_chip, objects)):
        return None
    fitted = [_boxed(obj, font_size) if _has_chip(obj) else obj for obj in objects]
    return {**canvas, "objects": fitted}


def label_font_size(label: str, width: float, height: float, largest: int) -> int:
    """The largest font size, up to `largest`, at which `label` fits a `width` x `height`
    area when wrapped at spaces; `MIN_FONT` when even that does not fit."""
    for size in range(largest, MIN_FONT - 1, -1):
        if _lines_needed(label, width, size) * size * LINE_HEIGHT * FONT_SIZE_MULT <= height:
            return size
    return MIN_FONT


def _has_chip(obj: object) -> bool:
    if not isinstance(obj, Mapping) or obj.get("type") != LABELED_BOX:
        return False
    label = obj.get("label")
    return isinstance(label, str) and bool(label.strip())


def _lines_needed(label: str, width: float, size: int) -> float:
    """How many lines `label` takes at `size` in `width`; infinite if a word is too wide."""
    char = CHAR_WIDTH * size
    words = label.split()
    if max(len(word) for word in words) * char > width:
        return math.inf
    lines, used = 1, 0.0
    for word in words:
        needed = len(word) * char + (char if used else 0.0)
        if used and used + needed > width:
            lines, used = lines + 1, len(word) * char
        else:
            used += needed
    return lines


def _boxed(box: Mapping[str, Any], font_size: int) -> dict[str, Any]:
    """A labeled box as a group: the box without its chip, and its label centred inside."""
    stroke = max(_number(box, "strokeWidth", 0.0), 0.0)
    width = _number(box, "width", 0.0) * abs(_number(box, "scaleX", 1.0))
    height = _number(box, "height", 0.0) * abs(_number(box, "scaleY", 1.0))
    outer_w, outer_h = width + stroke, height + stroke
    left = _number(box, "left", 0.0) - outer_w * _ORIGINS.get(str(box.get("originX")), 0.0)
    top = _number(box, "top", 0.0) - outer_h * _ORIGINS.get(str(box.get("originY")), 0.0)
    label = " ".join(str(box["label"]).split())
    inner_w = max(width - stroke - 2 * PADDING, 1.0)
    inner_h = max(height - stroke - 2 * PADDING, 1.0)
    size = label_font_size(label, inner_w, inner_h, font_size)
    stroke_colour = box.get("stroke")
    colour = stroke_colour if isinstance(stroke_colour, str) else "#1F2937"
    return {
        "type": "Group",
        "left": left,
        "top": top,
        "width": outer_w,
        "height": outer_h,
        "originX": "left",
        "originY": "top",
        "objects": [_rect(box, width, height), _text(label, inner_w, size, colour)],
    }


def _rect(box: Mapping[str, Any], width: float, height: float) -> dict[str, Any]:
    style = {key: box[key] for key in _BOX_STYLE if key in box}
    return {
        "type": "Rect",
        **style,
        "left": 0,
        "top": 0,
        "width": width,
        "height": height,
        "originX": "center",
        "originY": "center",
    }


def _text(label: str, width: float, size: int, colour: str) -> dict[str, Any]:
    return {
        "type": "Textbox",
        "text": label,
        "left": 0,
        "top": 0,
        "width": width,
        "originX": "center",
        "originY": "center",
        "fontSize": size,
        "fontFamily": "system-ui, -apple-system, 'Segoe UI', sans-serif",
        "textAlign": "center",
        "fill": colour,
        "lineHeight": LINE_HEIGHT,
    }


def _number(obj: Mapping[str, Any], key: str, default: float) -> float:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value) if math.isfinite(value) else default

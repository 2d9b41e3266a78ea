"""Labeled boxes get their label inside, fitted, and the whiteboard reading still sees them."""

from __future__ import annotations

from typing import Any

from interview_platform.core.drawing.canvas import analyze_canvas
from interview_platform.core.labeled_boxes import (
    CHAR_WIDTH,
    MIN_FONT,
    fit_labels,
    label_font_size,
)


def labeled_box(label: str, left: float, top: float, width: float = 160, height: float = 70) -> Any:
    """A box as the canvas' labeled-box tool sends it."""
    return {
        "type": "LabeledRect",
        "label": label,
        "fontSize": 18,
        "left": left,
        "top": top,
        "width": width,
        "height": height,
        "scaleX": 1,
        "scaleY": 1,
        "originX": "left",
        "originY": "top",
        "stroke": "#1F2937",
        "strokeWidth": 3,
        "strokeUniform": True,
        "fill": "rgba(255, 255, 255, 0)",
    }


ARROW = {
    "type": "Line", "left": 190, "top": 65, "width": 60, "height": 0,
    "x1": -30, "y1": 0, "x2": 30, "y2": 0,
}  # fmt: skip


def test_a_labeled_box_becomes_a_group_with_its_label_inside() -> None:
    canvas = {"version": "6.0", "objects": [labeled_box("Load balancer", 20, 30)]}

    fitted = fit_labels(canvas, 18)

    assert fitted is not None and fitted["version"] == "6.0"
    [group] = fitted["objects"]
    assert group["type"] == "Group"
    assert (group["left"], group["top"], group["width"], group["height"]) == (20, 30, 163, 73)
    rect, text = group["objects"]
    assert rect["type"] == "Rect" and (rect["width"], rect["height"]) == (160, 70)
    assert rect["stroke"] == "#1F2937" and "label" not in rect
    assert text["type"] == "Textbox" and text["text"] == "Load balancer"
    assert text["originX"] == text["originY"] == "center" and text["width"] < 160
    assert len("Load balancer") * CHAR_WIDTH * text["fontSize"] <= text["width"]


def test_a_long_label_gets_a_smaller_font_and_wraps_inside_a_small_box() -> None:
    label = "Notification fan-out workers"
    canvas = {"objects": [labeled_box(label, 0, 0, width=90, height=60)]}

    fitted = fit_labels(canvas, 18)

    assert fitted is not None
    text = fitted["objects"][0]["objects"][1]
    assert MIN_FONT <= text["fontSize"] < 18
    widest_word = max(len(word) for word in label.split())
    assert widest_word * CHAR_WIDTH * text["fontSize"] <= text["width"]


def test_the_font_size_is_the_largest_that_fits() -> None:
    assert label_font_size("API", 200, 100, 18) == 18
    assert label_font_size("API gateway", 40, 100, 18) < 18
    assert label_font_size("Supercalifragilistic", 10, 10, 18) == MIN_FONT


def test_a_canvas_without_labels_to_fit_is_left_alone() -> None:
    assert fit_labels({"objects": [labeled_box("", 0, 0), ARROW]}, 18) is None
    assert fit_labels({"objects": []}, 18) is None
    assert fit_labels({}, 18) is None


def test_the_reading_sees_the_fitted_boxes_and_their_connection() -> None:
    canvas = {"objects": [labeled_box("API", 20, 30), labeled_box("Redis", 250, 30), ARROW]}

    fitted = fit_labels(canvas, 18)

    assert fitted is not None
    analysis = analyze_canvas(fitted, [])
    assert analysis.components_identified == ["API", "Redis"]
    assert analysis.relationships == ["API -> Redis"]

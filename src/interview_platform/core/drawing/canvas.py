"""Reading a candidate's whiteboard offline from its canvas JSON: components, connections.

The canvas is a Fabric.js document (what streamlit-drawable-canvas returns as `json_data`).
Fabric positions an object by `left`/`top` at its origin (`originX`/`originY`, default
left/top); its size is `(width + strokeWidth) * scale`. A line's `x1..y2` are serialised
relative to the line's centre, a path's points are in its own space centred on the points'
bounding box, and a group's children are placed relative to the group's centre. Hand-written
canvases sometimes give line ends in absolute coordinates instead, so both readings are tried
and the one whose ends land on two labelled shapes wins. Rotation is ignored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from interview_platform.core.drawing.analysis import WhiteboardAnalysis
from interview_platform.core.drawing.findings import (
    clean_text,
    missing_concepts,
    patterns_in,
    unique_texts,
)
from interview_platform.core.interviewer.problems import Concept
from interview_platform.errors import ValidationError

MAX_OBJECTS = 5000
TOLERANCE = 30.0
_MAX_GROUP_DEPTH = 16
_ORIGINS = {"left": 0.0, "top": 0.0, "center": 0.5, "right": 1.0, "bottom": 1.0}
_TEXT_TYPES = {"text", "itext", "textbox"}
_SHAPE_TYPES = {"rect", "circle", "ellipse", "polygon"}
_LABELED_BOX = "labeledrect"


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def area(self) -> float:
        return (self.right - self.left) * (self.bottom - self.top)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    def distance(self, x: float, y: float) -> float:
        dx = max(self.left - x, 0.0, x - self.right)
        dy = max(self.top - y, 0.0, y - self.bottom)
        return math.hypot(dx, dy)

    def overlap(self, other: _Box) -> float | None:
        """The shared area, or None if the boxes do not touch."""
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width * height if width >= 0 and height >= 0 else None


@dataclass(frozen=True)
class _Frame:
    """Maps a group's local coordinates to the canvas: origin plus scale."""

    x: float = 0.0
    y: float = 0.0
    sx: float = 1.0
    sy: float = 1.0

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.x + self.sx * x, self.y + self.sy * y

    def box(self, box: _Box) -> _Box:
        (x1, y1), (x2, y2) = self.point(box.left, box.top), self.point(box.right, box.bottom)
        return _Box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


@dataclass
class _Node:
    box: _Box
    texts: list[tuple[float, float, str]]  # (top, left, text) so labels read in order

    @property
    def label(self) -> str:
        return clean_text(" ".join(text for _, _, text in sorted(self.texts)))


Placed = tuple[Mapping[str, Any], _Frame]
Ends = tuple[tuple[float, float], tuple[float, float]]


def analyze_canvas(canvas: Mapping[str, Any], checklist: Sequence[Concept]) -> WhiteboardAnalysis:
    """Components, connections, gaps and patterns from a Fabric.js canvas, offline."""
    placed = _flatten(canvas)
    shapes = [_Node(_box(o, f), []) for o, f in placed if _kind(o) in _SHAPE_TYPES]
    texts: list[tuple[_Node, _Node | None]] = []
    for obj, frame in placed:
        if _kind(obj) == _LABELED_BOX:  # the canvas's "labeled box" tool: a rect with a label
            node = _Node(_box(obj, frame), [])
            shapes.append(node)
            label = clean_text(obj.get("label"))
            if label:
                node.texts.append((node.box.top, node.box.left, label))
                texts.append((node, node))
            continue
        text = clean_text(obj.get("text")) if _kind(obj) in _TEXT_TYPES else ""
        if text:
            node = _Node(_box(obj, frame), [(0.0, 0.0, text)])
            owner = _owner(node.box, shapes)
            if owner is not None:
                owner.texts.append((node.box.top, node.box.left, text))
            texts.append((node, owner))
    components = unique_texts((owner or node).label for node, owner in texts)
    labelled = [shape for shape in shapes if shape.texts]
    loose = [node for node, owner in texts if owner is None]
    heads = [_box(o, f).centre for o, f in placed if _kind(o) == "triangle"]
    relationships = unique_texts(_relationships(placed, labelled, loose, heads))
    return WhiteboardAnalysis(
        components_identified=components,
        relationships=relationships,
        missing_elements=missing_concepts(components, checklist),
        design_patterns=patterns_in(components),
        source="canvas",
    )


def _flatten(canvas: object) -> list[Placed]:
    """Every drawable object with the frame that places it; groups are opened."""
    objects = canvas.get("objects") if isinstance(canvas, Mapping) else None
    placed: list[Placed] = []
    _collect(objects, _Frame(), 0, placed, [0])
    return placed


def _collect(
    objects: object, frame: _Frame, depth: int, placed: list[Placed], count: list[int]
) -> None:
    if not isinstance(objects, list):
        return
    for obj in objects:
        count[0] += 1
        if count[0] > MAX_OBJECTS:
            raise ValidationError(
                f"The whiteboard has more than {MAX_OBJECTS} objects; clear part of it "
                "and try again."
            )
        if not isinstance(obj, Mapping):
            continue
        if _kind(obj) != "group":
            placed.append((obj, frame))
        elif depth < _MAX_GROUP_DEPTH:
            x, y = frame.point(*_local_box(obj).centre)
            sx, sy = _num(obj, "scaleX", 1.0), _num(obj, "scaleY", 1.0)
            inner = _Frame(x, y, frame.sx * sx, frame.sy * sy)
            _collect(obj.get("objects"), inner, depth + 1, placed, count)


def _kind(obj: Mapping[str, Any]) -> str:
    kind = obj.get("type")
    return kind.lower().replace("-", "").replace("_", "") if isinstance(kind, str) else ""


def _float(value: object) -> float | None:
    """A finite number, or None for anything else (booleans, text, huge integers, NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _num(obj: Mapping[str, Any], key: str, default: float) -> float:
    number = _float(obj.get(key))
    return default if number is None else number


def _origin(value: object) -> float:
    if isinstance(value, str):
        return _ORIGINS.get(value, 0.0)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    return 0.0


def _size(obj: Mapping[str, Any]) -> tuple[float, float]:
    kind = _kind(obj)
    radius = _num(obj, "radius", 0.0)
    font = max(_num(obj, "fontSize", 40.0), 1.0)
    text = obj.get("text")
    lines = text.split("\n") if kind in _TEXT_TYPES and isinstance(text, str) else [""]
    guess_w = 2 * radius or 2 * _num(obj, "rx", 0.0) or 0.6 * font * max(map(len, lines))
    guess_h = 2 * radius or 2 * _num(obj, "ry", 0.0) or 1.2 * font * len(lines)
    return max(_num(obj, "width", guess_w), 0.0), max(_num(obj, "height", guess_h), 0.0)


def _local_box(obj: Mapping[str, Any]) -> _Box:
    """The object's box in its parent's coordinates, stroke included, as Fabric sizes it."""
    width, height = _size(obj)
    stroke = max(_num(obj, "strokeWidth", 0.0), 0.0)
    w = (width + stroke) * abs(_num(obj, "scaleX", 1.0))
    h = (height + stroke) * abs(_num(obj, "scaleY", 1.0))
    left = _num(obj, "left", 0.0) - w * _origin(obj.get("originX"))
    top = _num(obj, "top", 0.0) - h * _origin(obj.get("originY"))
    return _Box(left, top, left + w, top + h)


def _box(obj: Mapping[str, Any], frame: _Frame) -> _Box:
    return frame.box(_local_box(obj))


def _owner(text: _Box, shapes: Sequence[_Node]) -> _Node | None:
    """The shape a text labels: the smallest one holding its centre, else the most overlapped."""
    x, y = text.centre
    holding = [s for s in shapes if s.box.distance(x, y) == 0]
    if holding:
        return min(holding, key=lambda s: s.box.area)
    touching = [
        (overlap, -s.box.area, i)
        for i, s in enumerate(shapes)
        if (overlap := s.box.overlap(text)) is not None
    ]
    return shapes[max(touching)[2]] if touching else None


def _relationships(
    placed: Sequence[Placed],
    shapes: Sequence[_Node],
    loose: Sequence[_Node],
    heads: Sequence[tuple[float, float]],
) -> list[str]:
    """'A -> B' per line from A to B; a triangle (arrowhead) at the start only flips it."""
    found: list[str] = []
    for obj, frame in placed:
        for start, end in _line_ends(obj, frame):
            if _has_head(start, heads) and not _has_head(end, heads):
                start, end = end, start
            first, second = _node_at(start, shapes, loose), _node_at(end, shapes, loose)
            if first is not None and second is not None and first is not second:
                if first.label.casefold() != second.label.casefold():
                    found.append(f"{first.label} -> {second.label}")
                break
    return found


def _has_head(point: tuple[float, float], heads: Sequence[tuple[float, float]]) -> bool:
    return any(math.dist(point, head) <= TOLERANCE for head in heads)


def _line_ends(obj: Mapping[str, Any], frame: _Frame) -> list[Ends]:
    """Candidate (start, end) pairs, Fabric's centre-relative reading first."""
    kind = _kind(obj)
    if kind == "line":
        x1, y1, x2, y2 = (_float(obj.get(k)) for k in ("x1", "y1", "x2", "y2"))
        if x1 is None or y1 is None or x2 is None or y2 is None:
            return []
        points = [(x1, y1), (x2, y2)]
        offset = (0.0, 0.0)
        fabric = math.isclose(x1, -x2, abs_tol=1e-6) and math.isclose(y1, -y2, abs_tol=1e-6)
    elif kind == "path":
        points = _path_points(obj.get("path"))
        if len(points) != 2:
            return []
        offset = _path_offset(obj.get("pathOffset"), points)
        fabric = False
    else:
        return []
    cx, cy = _local_box(obj).centre
    sx, sy = _num(obj, "scaleX", 1.0), _num(obj, "scaleY", 1.0)
    relative = [
        frame.point(cx + sx * (x - offset[0]), cy + sy * (y - offset[1])) for x, y in points
    ]
    if fabric:  # ends symmetric about the centre: Fabric's own serialisation, not absolute
        return [(relative[0], relative[1])]
    absolute = [frame.point(x, y) for x, y in points]
    return [(relative[0], relative[1]), (absolute[0], absolute[1])]


def _path_points(path: object) -> list[tuple[float, float]]:
    """The points a path passes through (the last pair of each command), or [] if unreadable."""
    if not isinstance(path, list):
        return []
    points: list[tuple[float, float]] = []
    for command in path:
        if not isinstance(command, list | tuple) or not command or not isinstance(command[0], str):
            return []
        if command[0].upper() == "Z":
            continue
        x, y = (_float(v) for v in command[-2:]) if len(command) >= 3 else (None, None)
        if x is None or y is None:
            return []
        points.append((x, y))
    return points


def _path_offset(value: object, points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    if isinstance(value, Mapping):
        x, y = _float(value.get("x")), _float(value.get("y"))
        if x is not None and y is not None:
            return x, y
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _node_at(
    point: tuple[float, float], shapes: Sequence[_Node], loose: Sequence[_Node]
) -> _Node | None:
    """The labelled shape at (or within TOLERANCE of) a point; a loose text if no shape is."""
    for pool in (shapes, loose):
        near = [(n.box.distance(*point), n.box.area, i) for i, n in enumerate(pool)]
        near = [entry for entry in near if entry[0] <= TOLERANCE]
        if near:
            return pool[min(near)[2]]
    return None

"""What a whiteboard drawing shows: the result of reading it, from the canvas or a picture."""

from __future__ import annotations

from dataclasses import dataclass

from interview_platform.core.models import JSONDict
from interview_platform.errors import ValidationError

WHITEBOARD_SOURCES = ("canvas", "vision")


@dataclass(frozen=True)
class WhiteboardAnalysis:
    """What a whiteboard shows, read from the canvas's own JSON or from an image by a model."""

    components_identified: list[str]
    relationships: list[str]
    missing_elements: list[str]
    design_patterns: list[str]
    source: str = "canvas"

    def __post_init__(self) -> None:
        if self.source not in WHITEBOARD_SOURCES:
            raise ValidationError(
                f"A whiteboard analysis comes from {' or '.join(WHITEBOARD_SOURCES)}, "
                f"not '{str(self.source)[:40]}'."
            )

    @property
    def is_empty(self) -> bool:
        return not self.components_identified and not self.relationships

    def to_dict(self) -> JSONDict:
        """A JSON-ready copy, for message or media metadata."""
        return {
            "components_identified": list(self.components_identified),
            "relationships": list(self.relationships),
            "missing_elements": list(self.missing_elements),
            "design_patterns": list(self.design_patterns),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: JSONDict) -> WhiteboardAnalysis:
        """Read `to_dict` output back; anything that is not a list of strings is refused."""
        if not isinstance(data, dict):
            raise ValidationError("A stored whiteboard analysis must be a JSON object.")

        def strings(key: str) -> list[str]:
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError(
                    f"The whiteboard analysis field '{key}' must be a list of text."
                )
            return list(value)

        return cls(
            components_identified=strings("components_identified"),
            relationships=strings("relationships"),
            missing_elements=strings("missing_elements"),
            design_patterns=strings("design_patterns"),
            source=str(data.get("source", "canvas")),
        )

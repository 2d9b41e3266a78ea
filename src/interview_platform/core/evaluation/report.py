"""The evaluation report: competency scores with their evidence, feedback in three bands, an
improvement plan and how the candidate used each communication mode."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from interview_platform.core.models import utc_now
from interview_platform.errors import ValidationError


@dataclass(frozen=True)
class CompetencyScore:
    score: float
    confidence_level: str
    evidence: list[str]


@dataclass(frozen=True)
class Feedback:
    category: str
    description: str
    evidence: list[str]


@dataclass(frozen=True)
class ActionItem:
    step_number: int
    description: str
    resources: list[str]


@dataclass(frozen=True)
class ImprovementPlan:
    priority_areas: list[str]
    concrete_steps: list[ActionItem]
    resources: list[str]


@dataclass(frozen=True)
class ModeAnalysis:
    """How the candidate used each communication mode."""

    mode_usage: dict[str, int]
    observations: list[str]


@dataclass
class EvaluationReport:
    session_id: str
    overall_score: float
    competency_scores: dict[str, CompetencyScore]
    went_well: list[Feedback]
    went_okay: list[Feedback]
    needs_improvement: list[Feedback]
    improvement_plan: ImprovementPlan
    communication_mode_analysis: ModeAnalysis
    created_at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if not 0 <= self.overall_score <= 100:
            raise ValidationError(f"Overall score must be 0-100, got {self.overall_score}.")

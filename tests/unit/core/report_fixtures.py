"""A hand-made evaluation report with the awkward cases the reports must show well."""

from __future__ import annotations

from interview_platform.core.evaluation.report import (
    ActionItem,
    CompetencyScore,
    EvaluationReport,
    Feedback,
    ImprovementPlan,
    ModeAnalysis,
)
from interview_platform.core.interviewer.problems import Competency

LONG_QUOTE = (
    "I would put a load balancer in front of stateless API servers, keep the mappings in a "
    "key-value store, cache the hot links in Redis and shard by the short code, because reads "
    "dominate writes a hundred to one and a miss only costs one extra lookup in the store."
)
SCORES = {
    Competency.REQUIREMENTS_GATHERING: 100.0,
    Competency.HIGH_LEVEL_DESIGN: 71.0,
    Competency.DATA_MODEL_AND_APIS: 92.5,
    Competency.SCALABILITY: 48.4,
    Competency.RELIABILITY: 0.0,
    Competency.TRADE_OFFS: 30.6,
    Competency.COMMUNICATION: 64.0,
}


def awkward_report() -> EvaluationReport:
    """Scores on a half point, titles repeated in descriptions, ids as categories, and a quote
    long enough to wrap."""
    scores = {
        competency.value: CompetencyScore(value, "medium", [LONG_QUOTE] if value > 90 else [])
        for competency, value in SCORES.items()
    }
    return EvaluationReport(
        session_id="s-1",
        overall_score=92.5,
        competency_scores=scores,
        went_well=[
            Feedback(
                "requirements_gathering",
                "Requirements gathering: 100/100. You asked about scale first.",
                ["How many new links a month, and how long do we keep them?"],
            ),
            Feedback("data_model_and_apis", "Clear endpoints.", [LONG_QUOTE]),
        ],
        went_okay=[],
        needs_improvement=[
            Feedback("practise_cap_trade_off", "Say which side of CAP you pick and why.", []),
            Feedback("slo_targets", "Slo targets: name the latency you promise.", []),
        ],
        improvement_plan=ImprovementPlan(
            ["data_model_and_apis", "Trade-off reasoning"],
            [ActionItem(1, "Practise defending the cache out loud.", [])],
            ["Designing Data-Intensive Applications, ch. 9"],
        ),
        communication_mode_analysis=ModeAnalysis(
            {"text": 3, "audio": 1, "whiteboard": 1}, ["1 answer was spoken."]
        ),
    )

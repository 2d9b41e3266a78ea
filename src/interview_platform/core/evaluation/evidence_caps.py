"""Claim-level evidence for a model to read, and the caps that keep its scores honest.

A model's score that contradicts the evidence is capped: with no explained claim in a
competency it may not exceed NAMES_ONLY_CAP, and with no justified claim UNJUSTIFIED_CAP.
Each cap is reported to the candidate as a note.
"""

from __future__ import annotations

from interview_platform.core.evaluation.presentation import TITLES, points
from interview_platform.core.evaluation.report import CompetencyScore, Feedback
from interview_platform.core.evaluation.rubric import Scoring
from interview_platform.core.interviewer.phrasing import label
from interview_platform.core.interviewer.problems import Competency
from interview_platform.core.understanding.claims import Depth

NAMES_ONLY_CAP = 30.0
UNJUSTIFIED_CAP = 70.0
# Communication may exceed the built-in reading of it by this much, no more.
COMMUNICATION_LEEWAY = 40.0
CLAIM_CHARS = 120
CLAIMS_PER_COMPETENCY = 4


def _deepest(scoring: Scoring, competency: Competency) -> Depth:
    depths = [e.depth for e in scoring.evidence.values() if e.concept.competency is competency]
    return max(depths, default=Depth.ABSENT)


def evidence_summary(scoring: Scoring) -> str:
    """Per competency, the concepts found with their depth and the candidate's best claim."""
    lines = []
    for competency in Competency:
        if competency is Competency.COMMUNICATION:
            continue
        found = sorted(
            (e for e in scoring.evidence.values() if e.concept.competency is competency),
            key=lambda e: -e.depth,
        )[:CLAIMS_PER_COMPETENCY]
        lines.append(f"{competency.value}:")
        lines += [
            f"- {label(e.concept)}: {e.depth.name.lower()}: {e.best().text[:CLAIM_CHARS]}"
            for e in found
        ] or ["- nothing found"]
    return "\n".join(lines)


def cap_by_evidence(
    scores: dict[str, CompetencyScore], scoring: Scoring
) -> tuple[dict[str, CompetencyScore], list[Feedback]]:
    """Scores no higher than the evidence supports, and a note for each one capped."""
    capped = dict(scores)
    notes = []
    for competency in Competency:
        if competency.value not in scores:
            continue
        limit, found = _limit(scoring, competency)
        given = scores[competency.value]
        if given.score > limit:
            capped[competency.value] = CompetencyScore(limit, "low", list(given.evidence))
            notes.append(_note(competency, given.score, limit, found))
    return capped, notes


def _limit(scoring: Scoring, competency: Competency) -> tuple[float, str]:
    if competency is Competency.COMMUNICATION:
        own = scoring.scores[competency.value].score
        return min(100.0, own + COMMUNICATION_LEEWAY), "few reasoned explanations"
    deepest = _deepest(scoring, competency)
    if deepest < Depth.EXPLAINED:
        return NAMES_ONLY_CAP, "no explanation"
    if deepest < Depth.JUSTIFIED:
        return UNJUSTIFIED_CAP, "no justified claim"
    return 100.0, ""


def _note(competency: Competency, given: float, limit: float, found: str) -> Feedback:
    return Feedback(
        "evaluation_note",
        f"The AI scored {TITLES[competency]} {points(given)}, but the transcript "
        f"shows {found} there, so the score was capped at {points(limit)}.",
        [],
    )

"""Turning scores into feedback: what went well, what to improve, and a concrete plan."""

from __future__ import annotations

from interview_platform.core.evaluation.rubric import Scoring
from interview_platform.core.interviewer.phrasing import label
from interview_platform.core.interviewer.problems import Competency, Concept
from interview_platform.core.models import ActionItem, Feedback, ImprovementPlan

WELL, OKAY = 70.0, 45.0
TITLES = {
    Competency.REQUIREMENTS_GATHERING: "Requirements gathering",
    Competency.HIGH_LEVEL_DESIGN: "High-level design",
    Competency.DATA_MODEL_AND_APIS: "Data model and APIs",
    Competency.SCALABILITY: "Scalability",
    Competency.RELIABILITY: "Reliability and fault tolerance",
    Competency.TRADE_OFFS: "Trade-off reasoning",
    Competency.COMMUNICATION: "Communication",
}
RESOURCES = {
    Competency.REQUIREMENTS_GATHERING: [
        "System Design Interview, Vol. 1 (Alex Xu), ch. 3: "
        "A framework for system design interviews",
    ],
    Competency.HIGH_LEVEL_DESIGN: [
        "The System Design Primer (github.com/donnemartin/system-design-primer)",
        "Designing Data-Intensive Applications (Kleppmann), ch. 1: "
        "Reliable, scalable and maintainable applications",
    ],
    Competency.DATA_MODEL_AND_APIS: [
        "Designing Data-Intensive Applications, ch. 2 (data models) "
        "and ch. 3 (storage and indexes)",
        "Google API Design Guide (cloud.google.com/apis/design)",
    ],
    Competency.SCALABILITY: [
        "Designing Data-Intensive Applications, ch. 6: Partitioning",
        "Web Scalability for Startup Engineers (Artur Ejsmont), ch. 3-5",
    ],
    Competency.RELIABILITY: [
        "Designing Data-Intensive Applications, ch. 5 (replication) and ch. 8 (faults)",
        "Site Reliability Engineering (Google), ch. 22: Addressing cascading failures",
    ],
    Competency.TRADE_OFFS: [
        "Designing Data-Intensive Applications, ch. 9: Consistency and consensus",
        "CAP Twelve Years Later: How the Rules Have Changed (Eric Brewer, 2012)",
    ],
    Competency.COMMUNICATION: [
        "Practise a two-minute spoken summary of a design: requirements, diagram, one trade-off",
    ],
}


def _describe(
    competency: Competency, score: float, scoring: Scoring, missing: list[Concept]
) -> str:
    name = TITLES[competency]
    if competency is Competency.COMMUNICATION:
        return f"{name}: {score:.0f}/100, from how clearly and in what order you explained."
    gaps = ", ".join(label(c) for c in missing[:3])
    if score >= WELL:
        return f"{name}: {score:.0f}/100. You covered the key points here."
    return f"{name}: {score:.0f}/100. Not covered: {gaps}." if gaps else f"{name}: {score:.0f}/100."


def feedback(scoring: Scoring) -> tuple[list[Feedback], list[Feedback], list[Feedback]]:
    """(went well, went okay, needs improvement), each with the candidate's own words."""
    buckets: tuple[list[Feedback], list[Feedback], list[Feedback]] = ([], [], [])
    for competency in Competency:
        result = scoring.scores[competency.value]
        missing = [c for c in scoring.missing if c.competency is competency]
        item = Feedback(
            category=competency.value,
            description=_describe(competency, result.score, scoring, missing),
            evidence=list(result.evidence),
        )
        index = 0 if result.score >= WELL else 1 if result.score >= OKAY else 2
        buckets[index].append(item)
    if scoring.relevance < 0.5:
        buckets[2].insert(
            0,
            Feedback(
                "relevance",
                "Much of what you said does not address the problem that was asked. "
                "Restate the problem in your own words before designing.",
                [],
            ),
        )
    return buckets


def improvement_plan(scoring: Scoring) -> ImprovementPlan:
    weakest = sorted(Competency, key=lambda c: scoring.scores[c.value].score)
    priority = [c for c in weakest if scoring.scores[c.value].score < WELL][:3] or weakest[:1]
    steps: list[ActionItem] = []
    for competency in priority:
        gaps = [c for c in scoring.missing if c.competency is competency][:2]
        for concept in gaps:
            steps.append(
                ActionItem(
                    len(steps) + 1,
                    f"{TITLES[competency]}: practise {label(concept)}. {concept.hint}",
                    RESOURCES[competency][:1],
                )
            )
        if not gaps:
            steps.append(
                ActionItem(len(steps) + 1, f"{TITLES[competency]}: {RESOURCES[competency][0]}", [])
            )
    resources = list(dict.fromkeys(r for c in priority for r in RESOURCES[c]))
    return ImprovementPlan([TITLES[c] for c in priority], steps, resources)

"""Turning scores into feedback and a plan that speak of what this candidate said or missed.

Every item quotes the candidate or names a concept of the problem they did not cover, so two
different transcripts never get the same plan. "Needs improvement" always names what a senior
interviewer would push on next, even after a strong interview.
"""

from __future__ import annotations

from interview_platform.core.evaluation.presentation import TITLES, points
from interview_platform.core.evaluation.report import ActionItem, Feedback, ImprovementPlan
from interview_platform.core.evaluation.rubric import Scoring
from interview_platform.core.interviewer.phrasing import label
from interview_platform.core.interviewer.problems import Competency, Concept
from interview_platform.core.understanding.claims import Depth
from interview_platform.core.understanding.recognition import ConceptEvidence

WELL, OKAY = 70.0, 45.0
QUOTE_CHARS = 140
PUSH_ITEMS = 2
PLAN_ITEMS = 5
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


def quoted(text: str) -> str:
    short = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS].rsplit(" ", 1)[0] + "..."
    return f'"{short}"'


def _in(competency: Competency, scoring: Scoring) -> list[ConceptEvidence]:
    found = [e for e in scoring.evidence.values() if e.concept.competency is competency]
    return sorted(found, key=lambda e: (-e.depth, -e.concept.weight, e.concept.id))


def _describe(competency: Competency, value: float, scoring: Scoring) -> str:
    """The score and what it rests on; the competency's title is shown beside it, not in it."""
    shown = f"{points(value)}/100."
    if competency is Competency.COMMUNICATION:
        return f"{shown} {_communication_note(scoring)}"
    found = [e for e in _in(competency, scoring) if e.depth >= Depth.EXPLAINED]
    missing = [c for c in scoring.missing if c.competency is competency][:2]
    parts = [shown]
    if found:
        best = found[0]
        how = "with a reason" if best.depth is Depth.JUSTIFIED else "without saying why"
        parts.append(f"Strongest: {label(best.concept)}, {how}.")
    if missing:
        parts.append("Not covered: " + ", ".join(label(c) for c in missing) + ".")
    return " ".join(parts)


def _communication_note(scoring: Scoring) -> str:
    explained = [c for c in scoring.claims if c.depth >= Depth.EXPLAINED]
    justified = sum(1 for c in explained if c.depth is Depth.JUSTIFIED)
    named = sum(1 for c in scoring.claims if c.depth is Depth.NAMED)
    text = f"{justified} of your {len(explained)} explanations came with a reason or a number"
    if named > len(explained):
        text += f"; {named} statements were bare names or lists"
    return text + "."


def feedback(scoring: Scoring) -> tuple[list[Feedback], list[Feedback], list[Feedback]]:
    """(went well, went okay, needs improvement), each with the candidate's own words."""
    buckets: tuple[list[Feedback], list[Feedback], list[Feedback]] = ([], [], [])
    for competency in Competency:
        result = scoring.scores[competency.value]
        item = Feedback(
            competency.value, _describe(competency, result.score, scoring), list(result.evidence)
        )
        index = 0 if result.score >= WELL else 1 if result.score >= OKAY else 2
        buckets[index].append(item)
    buckets[2][:0] = [Feedback("evaluation_note", note, []) for note in scoring.notes]
    if scoring.claims and scoring.relevance < 0.5:
        buckets[2].insert(0, _off_topic())
    buckets[2].extend(push_next(scoring))
    return buckets


def _off_topic() -> Feedback:
    return Feedback(
        "relevance",
        "Much of what you said does not address the problem that was asked. "
        "Restate the problem in your own words before designing.",
        [],
    )


def push_next(scoring: Scoring) -> list[Feedback]:
    """What a senior interviewer would push on next: unjustified choices, then gaps."""
    items = [
        Feedback(
            e.concept.competency.value,
            f"Push next on {label(e.concept)}: you said {quoted(e.best().text)} but not why, "
            "at what numbers it holds, or what happens when it fails.",
            [e.best().text],
        )
        for e in scoring.unjustified[:PUSH_ITEMS]
    ]
    for concept in scoring.missing[: PUSH_ITEMS + 1 - len(items)]:
        items.append(
            Feedback(
                concept.competency.value,
                f"Push next on {label(concept)}, which never came up: {concept.question}",
                [],
            )
        )
    return items


def _plan_step(number: int, item: ConceptEvidence | Concept) -> ActionItem:
    if isinstance(item, ConceptEvidence):
        concept = item.concept
        text = (
            f"{TITLES[concept.competency]}: you described {label(concept)} as "
            f"{quoted(item.best().text)}. Practise defending it out loud: the reason, the "
            f"numbers it must handle, and how it fails. {concept.hint}"
        )
    else:
        concept = item
        text = (
            f"{TITLES[concept.competency]}: {label(concept)} was missing. "
            f'Prepare an answer to "{concept.question}" {concept.hint}'
        )
    return ActionItem(number, text, RESOURCES[concept.competency][:1])


def improvement_plan(scoring: Scoring) -> ImprovementPlan:
    weakest = sorted(Competency, key=lambda c: scoring.scores[c.value].score)
    priority = [c for c in weakest if scoring.scores[c.value].score < WELL][:3] or weakest[:1]
    chosen: list[ConceptEvidence | Concept] = []
    for competency in priority:
        chosen += [c for c in scoring.missing if c.competency is competency][:1]
        chosen += [e for e in scoring.unjustified if e.concept.competency is competency][:1]
    chosen += scoring.unjustified[:1]
    chosen += scoring.missing[:1]
    unique = list({_key(i): i for i in chosen}.values())[:PLAN_ITEMS]
    steps = [_plan_step(n, item) for n, item in enumerate(unique, 1)]
    if not steps:
        steps = [ActionItem(1, f"{TITLES[priority[0]]}: {RESOURCES[priority[0]][0]}", [])]
    resources = list(dict.fromkeys(r for c in priority for r in RESOURCES[c]))
    return ImprovementPlan([TITLES[c] for c in priority], steps, resources)


def _key(item: ConceptEvidence | Concept) -> str:
    return item.concept.id if isinstance(item, ConceptEvidence) else item.id

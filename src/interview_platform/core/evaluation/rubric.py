"""The built-in evaluator's scoring: evidence as claims, judged by depth, on the right problem.

Each concept of the problem's checklist is *absent*, *named*, *explained* or *justified*
(see core/understanding/claims.py), and earns credit by that level: a list of names earns
almost nothing, an explanation most, a reason, number, comparison, failure case or trade-off
the rest. A competency's score is its credit against what the candidate's level should
reach; 100 needs every important concept of the competency justified. An answer about a
different problem scales every competency down through the relevance factor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from interview_platform.core.evaluation.communication import communication, input_notes
from interview_platform.core.evaluation.report import CompetencyScore
from interview_platform.core.interviewer.problems import Competency, Concept, ProblemBank
from interview_platform.core.interviewer.selection import checklist, checklist_confidence
from interview_platform.core.models import ExperienceLevel, ProblemBrief
from interview_platform.core.understanding.claims import Claim, Depth, split_claims
from interview_platform.core.understanding.recognition import ConceptEvidence, ConceptReader
from interview_platform.core.understanding.relevance import relevance

# Share of the checklist's weight, at full (justified) credit, that earns 100 at each level.
LEVEL_TARGETS = {
    ExperienceLevel.JUNIOR: 0.40,
    ExperienceLevel.MID: 0.50,
    ExperienceLevel.SENIOR: 0.60,
    ExperienceLevel.STAFF: 0.70,
}
COMPETENCY_WEIGHTS = {
    Competency.REQUIREMENTS_GATHERING: 0.15,
    Competency.HIGH_LEVEL_DESIGN: 0.20,
    Competency.DATA_MODEL_AND_APIS: 0.15,
    Competency.SCALABILITY: 0.15,
    Competency.RELIABILITY: 0.15,
    Competency.TRADE_OFFS: 0.10,
    Competency.COMMUNICATION: 0.10,
}
CREDIT = {Depth.ABSENT: 0.0, Depth.NAMED: 0.1, Depth.EXPLAINED: 0.6, Depth.JUSTIFIED: 1.0}
HINTED_CREDIT = 0.5
# Without a justified claim on an important concept a competency stays below this.
UNJUSTIFIED_CEILING = 70.0
MAX_QUOTES = 3
# Trade-offs and failure handling are reasoning that can attach to any part of a design: a
# competency also earns credit from claims carrying that kind of support, whatever concept
# they are about, up to SUPPORT_CEILING (the rest needs the checklist's own concepts).
SUPPORT_KINDS = {
    Competency.TRADE_OFFS: ("trade_off", "comparison"),
    Competency.RELIABILITY: ("failure",),
}
SUPPORT_TARGETS = {
    ExperienceLevel.JUNIOR: 3,
    ExperienceLevel.MID: 4,
    ExperienceLevel.SENIOR: 5,
    ExperienceLevel.STAFF: 6,
}
SUPPORT_CEILING = 85.0


@dataclass(frozen=True)
class Scoring:
    scores: dict[str, CompetencyScore]
    evidence: dict[str, ConceptEvidence]
    concepts: list[Concept]
    relevance: float
    claims: list[Claim]
    notes: list[str] = field(default_factory=list)

    @property
    def covered(self) -> set[str]:
        return {cid for cid, e in self.evidence.items() if e.depth >= Depth.EXPLAINED}

    @property
    def missing(self) -> list[Concept]:
        """Concepts never explained, most important first."""
        open_ = [c for c in self.concepts if c.id not in self.covered]
        return sorted(open_, key=lambda c: (-c.weight, c.id))

    @property
    def unjustified(self) -> list[ConceptEvidence]:
        """Concepts explained without a reason, a number or a failure case, most important first."""
        shallow = [e for e in self.evidence.values() if e.depth is Depth.EXPLAINED]
        return sorted(shallow, key=lambda e: (-e.concept.weight, e.concept.id))


def _confidence(claims: int) -> str:
    return "high" if claims >= 4 else "medium" if claims >= 2 else "low"


def _credit(evidence: ConceptEvidence | None, hinted: bool) -> float:
    if evidence is None:
        return 0.0
    return CREDIT[evidence.depth] * (HINTED_CREDIT if hinted else 1.0)


def competency_score(
    group: Sequence[Concept],
    evidence: dict[str, ConceptEvidence],
    hinted: set[str],
    target: float,
    factor: float,
) -> CompetencyScore:
    total = sum(c.weight for c in group)
    earned = sum(c.weight * _credit(evidence.get(c.id), c.id in hinted) for c in group)
    value = 100.0 * min(1.0, earned / (target * total)) if total else 0.0
    important = [c for c in group if c.weight >= 2]
    justified = [c for c in important if _depth(evidence, c) is Depth.JUSTIFIED]
    if important:
        value = min(value, UNJUSTIFIED_CEILING + 30.0 * len(justified) / len(important))
    found = [evidence[c.id] for c in group if c.id in evidence]
    quotes = _quotes(found)
    claims = {claim.text for e in found for claim in e.claims if claim.depth >= Depth.EXPLAINED}
    return CompetencyScore(round(value * factor, 1), _confidence(len(claims)), quotes)


def _depth(evidence: dict[str, ConceptEvidence], concept: Concept) -> Depth:
    found = evidence.get(concept.id)
    return found.depth if found else Depth.ABSENT


def _quotes(found: list[ConceptEvidence]) -> list[str]:
    ranked = sorted(found, key=lambda e: (-e.depth, -e.concept.weight))
    quotes = [e.best().text for e in ranked if e.depth >= Depth.EXPLAINED]
    return list(dict.fromkeys(quotes))[:MAX_QUOTES]


def score(
    brief: ProblemBrief,
    bank: ProblemBank,
    answers: Sequence[str],
    hinted: set[str],
    reader: ConceptReader,
) -> Scoring:
    concepts = [c for group in checklist(bank, brief).values() for c in group]
    claims = split_claims(answers)
    evidence = reader.read(claims, concepts)
    factor = relevance(brief, bank, claims, reader) if claims else 0.0
    target = LEVEL_TARGETS[brief.level]
    scores: dict[str, CompetencyScore] = {}
    for competency in Competency:
        if competency is Competency.COMMUNICATION:
            scores[competency.value] = communication(answers, claims, factor)
            continue
        group = [c for c in concepts if c.competency is competency]
        result = competency_score(group, evidence, hinted, target, factor)
        scores[competency.value] = _with_support(result, competency, claims, brief.level, factor)
    notes = input_notes(answers, claims)
    certainty = checklist_confidence(brief, bank)
    if certainty != "high" and claims:
        scores = {name: _at_most(result, certainty) for name, result in scores.items()}
        notes.append(
            "This problem is not in the bank: its checklist was derived from the statement, "
            f"so the scores are less certain (confidence at most {certainty})."
        )
    return Scoring(scores, evidence, concepts, factor, claims, notes)


def _at_most(result: CompetencyScore, certainty: str) -> CompetencyScore:
    order = ("low", "medium", "high")
    level = min(result.confidence_level, certainty, key=order.index)
    return CompetencyScore(result.score, level, list(result.evidence))


def _with_support(
    result: CompetencyScore,
    competency: Competency,
    claims: Sequence[Claim],
    level: ExperienceLevel,
    factor: float,
) -> CompetencyScore:
    kinds = SUPPORT_KINDS.get(competency)
    if not kinds:
        return result
    backing = [c for c in claims if any(kind in c.support for kind in kinds)]
    earned = SUPPORT_CEILING * min(1.0, len(backing) / SUPPORT_TARGETS[level]) * factor
    if earned <= result.score:
        return result
    quotes = list(dict.fromkeys([*result.evidence, *(c.text for c in backing)]))[:MAX_QUOTES]
    return CompetencyScore(round(earned, 1), _confidence(len(backing)), quotes)


def overall(scores: dict[str, CompetencyScore]) -> float:
    total = sum(COMPETENCY_WEIGHTS[Competency(k)] * s.score for k, s in scores.items())
    return round(total, 1)

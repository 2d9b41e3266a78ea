"""The built-in evaluator's scoring: rubric coverage, relevance to the problem, and depth.

Scores are calibrated to the level: a senior needs more of the checklist than a junior for the
same score. An answer about a different problem than the one asked scores low, because the
relevance factor scales every competency down.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from interview_platform.core.interviewer.analysis import (
    concepts_in,
    normalise,
    quote_for,
    read_answer,
    structure_score,
    word_count,
)
from interview_platform.core.interviewer.problems import Competency, Concept, Phase, ProblemBank
from interview_platform.core.interviewer.selection import checklist
from interview_platform.core.models import CompetencyScore, ExperienceLevel, ProblemBrief

# Weighted share of the checklist that earns full marks, by level.
LEVEL_TARGETS = {
    ExperienceLevel.JUNIOR: 0.35,
    ExperienceLevel.MID: 0.45,
    ExperienceLevel.SENIOR: 0.55,
    ExperienceLevel.STAFF: 0.65,
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
HINTED_CREDIT = 0.5
STOPWORDS = frozenset(
    {
        "design",
        "service",
        "system",
        "that",
        "this",
        "with",
        "from",
        "into",
        "users",
        "user",
        "your",
        "which",
        "what",
        "where",
        "when",
        "like",
        "such",
        "should",
        "would",
        "could",
        "their",
        "there",
        "them",
        "they",
        "have",
        "been",
        "will",
        "must",
        "each",
        "every",
        "scale",
        "focus",
        "assume",
        "support",
        "supports",
        "allow",
        "allows",
        "build",
        "handle",
    }
)


@dataclass(frozen=True)
class Scoring:
    scores: dict[str, CompetencyScore]
    covered: set[str]
    missing: list[Concept]
    relevance: float


def _topic_words(brief: ProblemBrief) -> set[str]:
    head = brief.title + " " + brief.statement.split("\n\n")[0]
    return {w for w in re.findall(r"[a-z]{4,}", normalise(head)) if w not in STOPWORDS}


def relevance(brief: ProblemBrief, bank: ProblemBank, answers: Sequence[str]) -> float:
    """0.15..1: does the candidate talk about this problem, rather than another one?

    Naming the problem's own subject counts; for a bank problem, so does covering its
    checklist at least as well as any other problem's (an answer to a different problem
    covers that problem's checklist better).
    """
    text = normalise(" ".join(answers))
    topic = _topic_words(brief)
    hits = sum(1 for word in topic if re.search(rf"\b{word}", text))
    factor = min(1.0, hits / max(1, min(3, len(topic))))
    if brief.slug:
        own = _coverage_share(checklist(bank, brief), text)
        best_rival = max(
            (_coverage_share(dict(p.phases), text) for p in bank.problems if p.slug != brief.slug),
            default=0.0,
        )
        fit = 1.0 if own >= best_rival else (own / best_rival) ** 2
        factor = max(factor, fit)
    return max(0.15, factor)


def _coverage_share(phases: dict[Phase, list[Concept]], text: str) -> float:
    concepts = [c for group in phases.values() for c in group]
    found = concepts_in(text, concepts)
    total = sum(c.weight for c in concepts)
    return sum(c.weight for c in concepts if c.id in found) / total if total else 0.0


def _depth(answers: Sequence[str]) -> float:
    average = sum(word_count(a) for a in answers) / len(answers) if answers else 0
    return 0.7 if average < 15 else 0.85 if average < 30 else 1.0


def _confidence(evidence: int) -> str:
    return "high" if evidence >= 3 else "medium" if evidence >= 1 else "low"


def score(
    brief: ProblemBrief,
    bank: ProblemBank,
    answers: Sequence[str],
    hinted: set[str],
) -> Scoring:
    concepts = [c for group in checklist(bank, brief).values() for c in group]
    covered = concepts_in("\n".join(answers), concepts) if answers else set()
    factor = relevance(brief, bank, answers) if answers else 0.0
    scale = factor * _depth(answers) / LEVEL_TARGETS[brief.level]
    scores: dict[str, CompetencyScore] = {}
    for competency in Competency:
        if competency is Competency.COMMUNICATION:
            scores[competency.value] = _communication(answers, factor)
            continue
        group = [c for c in concepts if c.competency is competency]
        total = sum(c.weight for c in group)
        earned = sum(
            c.weight * (HINTED_CREDIT if c.id in hinted else 1.0) for c in group if c.id in covered
        )
        share = earned / total if total else 0.0
        quotes = [q for c in group if c.id in covered if (q := quote_for(c, answers))][:3]
        value = round(min(100.0, 100.0 * share * scale), 1)
        scores[competency.value] = CompetencyScore(value, _confidence(len(quotes)), quotes)
    missing = sorted((c for c in concepts if c.id not in covered), key=lambda c: (-c.weight, c.id))
    return Scoring(scores, covered, missing, factor)


def _communication(answers: Sequence[str], factor: float) -> CompetencyScore:
    if not answers:
        return CompetencyScore(0.0, "low", [])
    readings = [read_answer(a, [], set()) for a in answers]
    clear = 1 - sum(r.vague for r in readings) / len(readings)
    sized = sum(1 for r in readings if 15 <= r.words <= 250) / len(readings)
    asked = 1.0 if any(r.asks_question for r in readings[:4]) else 0.0
    value = (
        100 * factor * (0.35 * structure_score(answers) + 0.3 * clear + 0.2 * sized + 0.15 * asked)
    )
    evidence = [a if len(a) <= 160 else a[:157] + "..." for a in answers if word_count(a) >= 15][:2]
    return CompetencyScore(round(min(100.0, value), 1), _confidence(len(answers) // 3), evidence)


def overall(scores: dict[str, CompetencyScore]) -> float:
    total = sum(COMPETENCY_WEIGHTS[Competency(k)] * s.score for k, s in scores.items())
    return round(total, 1)

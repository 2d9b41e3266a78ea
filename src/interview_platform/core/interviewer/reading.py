"""What the candidate's latest answers addressed: which concepts, in which claims, how deeply.

The claims (the answers' statements, questions set aside) go to the concept reader, which
recognises concepts by their words or by their meaning; a match by meaning alone counts only
for the phases under way and it must not be far from the concept's question. Beyond the
reader, a concept is credited when a claim answers its question: a list of operations that
answers "what must it support?", a number with the unit a question asks for ("20 machines",
"under 2 ms", "100 to 1"), the question just asked answered in the candidate's own words,
or a point of this phase or the next said close enough to its question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from interview_platform.core.interviewer.analysis import is_vague, word_count
from interview_platform.core.interviewer.clarifying import questions_in, without_questions
from interview_platform.core.interviewer.problems import PHASE_ORDER, Concept, Phase
from interview_platform.core.understanding.claims import Claim, Depth, plain, split_claims, words
from interview_platform.core.understanding.recognition import (
    ConceptEvidence,
    ConceptReader,
    says,
)

STATED_PHASES = (Phase.REQUIREMENTS, Phase.ESTIMATION)
# A statement answers a requirement or estimate question when it is this close in meaning to
# the question, and within MARGIN of the question it is closest to.
QUESTION_SIMILARITY = 0.55
QUESTION_MARGIN = 0.03
NEARBY_SIMILARITY = 0.45
# A concept recognised by meaning alone must also be at least this close to its own question:
# "reads come back in under 2 ms" is near a description of eviction, but nowhere near
# "when memory is full, what do you evict?".
PLAUSIBLE_SIMILARITY = 0.15
# ...and be of a phase at most this many ahead of the current one.
LOOKAHEAD = 1
# An answer is taken to answer the question just asked, whatever its words, when one of its
# statements is this close in meaning to the question.
ANSWERED_SIMILARITY = 0.4
MIN_STATED_WORDS = 4
SHORT_ANSWER_WORDS = 8

_N = r"\b\d[\d,.]*\s*(k|m|thousand|million|billion)?\s*"
# A number in a claim, and what a question must ask about for that number to answer it.
NUMBER_CUES = (
    (
        re.compile(_N + r"(nodes|machines|servers|instances|boxes|hosts)\b"),
        re.compile(r"how many \w*\s*(nodes|machines|servers)|node count|number of nodes"),
    ),
    (
        re.compile(r"\b\d[\d,.]*\s*(ms|milliseconds?)\b|\bp9\d\b|\b99(th)? percentile"),
        re.compile(r"\blatency\b|how fast|millisecond"),
    ),
    (
        re.compile(_N + r"([a-z]+ )?(per second|a second|qps|rps|per day|a day)\b"),
        re.compile(r"per second|\bqps\b|requests per"),
    ),
    (
        re.compile(r"\b\d+\s*(:|to)\s*1\b|\bread heavy\b|\bwrite heavy\b|\d+ (times|x) more"),
        re.compile(r"\bratio\b|read heavy|compared to how often"),
    ),
    (
        re.compile(r"\b\d[\d,.]*\s*(gb|tb|pb|gigabytes?|terabytes?|petabytes?)\b"),
        re.compile(r"how much (memory|storage|data)|\bstorage\b|working set"),
    ),
    (
        re.compile(r"\b\d[\d,.]*\s*(kb|mb|bytes|kilobytes?|megabytes?)\b"),
        re.compile(
            r"how large can|value size|bytes per|how (large|big) (can|is) (a|an|each|one) "
            r"(value|item|record|entry|object|file|message|photo|video|post|paste|link|url)"
        ),
    ),
)


@dataclass(frozen=True)
class TurnReading:
    """The latest answers, read."""

    text: str
    claims: tuple[Claim, ...]
    evidence: dict[str, ConceptEvidence]
    covered: frozenset[str]
    named: frozenset[str]
    questions: tuple[str, ...]
    words: int
    vague: bool
    ahead: dict[str, str] = field(default_factory=dict)  # later points, by meaning: claim
    fresh: set[str] = field(default_factory=set)  # filled in once credited to the state

    @property
    def too_short(self) -> bool:
        return self.words < SHORT_ANSWER_WORDS

    def depth(self, concept_id: str) -> Depth:
        found = self.evidence.get(concept_id)
        return found.depth if found else Depth.ABSENT

    def best(self, concept_id: str) -> Claim | None:
        found = self.evidence.get(concept_id)
        return found.best() if found else None

    def quote(self, concept_id: str) -> str | None:
        best = self.best(concept_id)
        return best.text if best else None


@dataclass(frozen=True)
class Context:
    """Where the interview stands when the answers are read."""

    phase: Phase = Phase.REQUIREMENTS
    asked: Concept | None = None  # the checklist question the answers reply to


def read_turn(
    answers: Sequence[str],
    phases: dict[Phase, list[Concept]],
    reader: ConceptReader,
    context: Context = Context(),
) -> TurnReading:
    text = "\n".join(answers)
    statements = [without_questions(answer) for answer in answers]
    claims = split_claims(statements)
    everything = [c for concepts in phases.values() for c in concepts]
    evidence = reader.read(claims, everything) if claims else {}
    evidence, ahead = _plausible(evidence, reader, _within_reach(phases, context.phase))
    evidence |= _answered(claims, evidence, context.asked, reader)
    covered = {cid for cid, e in evidence.items() if e.depth >= Depth.EXPLAINED}
    stated = [c for p in STATED_PHASES for c in phases.get(p, [])]
    thresholds = _thresholds(phases, context.phase)
    by_id = {c.id: c for c in everything}
    for cid, claim in _stated(claims, evidence, stated, thresholds, everything, reader).items():
        evidence.setdefault(cid, ConceptEvidence(by_id[cid], (claim,)))
        covered.add(cid)
    named = {cid for cid in evidence if cid not in covered}
    return TurnReading(
        text=text,
        claims=tuple(claims),
        evidence=evidence,
        covered=frozenset(covered),
        named=frozenset(named),
        questions=tuple(q for answer in answers for q in questions_in(answer)),
        words=word_count(" ".join(statements)),
        vague=is_vague(text),
        ahead=ahead,
    )


def _thresholds(phases: dict[Phase, list[Concept]], phase: Phase) -> dict[str, float]:
    """How close in meaning a claim must be to a concept's question to answer it: requirements
    and estimates at any time, and the points of this phase and the next more readily."""
    thresholds = {c.id: QUESTION_SIMILARITY for p in STATED_PHASES for c in phases.get(p, [])}
    index = PHASE_ORDER.index(phase)
    for concept in (c for p in PHASE_ORDER[index : index + 2] for c in phases.get(p, [])):
        thresholds[concept.id] = NEARBY_SIMILARITY
    return thresholds


def _within_reach(phases: dict[Phase, list[Concept]], phase: Phase) -> set[str]:
    """The concepts of the phases up to LOOKAHEAD after `phase`."""
    last = PHASE_ORDER.index(phase) + LOOKAHEAD
    return {c.id for p in PHASE_ORDER[: last + 1] for c in phases.get(p, [])}


def _plausible(
    evidence: dict[str, ConceptEvidence], reader: ConceptReader, reach: set[str]
) -> tuple[dict[str, ConceptEvidence], dict[str, str]]:
    """The evidence without concepts recognised by meaning alone that are far from the
    concept's own question or far ahead of the interview ("people paste a long link and get
    a short one back" is not yet how codes are generated); the latter are returned apart, to
    be recalled when their question comes."""
    meant = [e for e in evidence.values() if not any(says(c.text, e.concept) for c in e.claims)]
    weak = {
        e.concept.id
        for e in meant
        if _closeness(reader, e.claims, e.concept) < PLAUSIBLE_SIMILARITY
    }
    ahead = {e.concept.id: e.best().text for e in meant if e.concept.id not in reach | weak}
    kept = {cid: e for cid, e in evidence.items() if cid not in weak and cid not in ahead}
    return kept, ahead


def _closeness(reader: ConceptReader, claims: Sequence[Claim], concept: Concept) -> float:
    """How close the nearest claim comes to the concept's question (1.0 without an encoder)."""
    claim_vectors = reader.vectors([c.text for c in claims])
    question = reader.vectors([concept.question])
    if claim_vectors is None or question is None:
        return 1.0
    return float((claim_vectors @ question[0]).max())


def _answered(
    claims: Sequence[Claim],
    evidence: dict[str, ConceptEvidence],
    asked: Concept | None,
    reader: ConceptReader,
) -> dict[str, ConceptEvidence]:
    """The question just asked, answered in words of the candidate's own: its best claim is
    credited when it is close enough in meaning to the question."""
    known = evidence.get(asked.id) if asked else None
    if asked is None or not claims or (known and known.depth >= Depth.EXPLAINED):
        return {}
    claim_vectors = reader.vectors([c.text for c in claims])
    question = reader.vectors([asked.question])
    if claim_vectors is None or question is None:
        return {}
    similarity = claim_vectors @ question[0]
    best = int(similarity.argmax())
    if float(similarity[best]) < ANSWERED_SIMILARITY:
        return {}
    earlier = known.claims if known else ()
    return {asked.id: ConceptEvidence(asked, (*earlier, claims[best]))}


def _stated(
    claims: Sequence[Claim],
    evidence: dict[str, ConceptEvidence],
    stated: list[Concept],
    thresholds: dict[str, float],
    everything: list[Concept],
    reader: ConceptReader,
) -> dict[str, Claim]:
    """Concepts whose question a claim the reader left unplaced answers: a requirement or an
    estimate stated in so many words or numbers, or a point of the phase under way (or the
    next) said in other words than the checklist's. A claim answers the question it is
    closest to, and any within QUESTION_MARGIN of it, when close enough (`thresholds`)."""
    found = {c.id: claim for claim in claims for c in stated if _number_answers(claim, c)}
    placed = {c.text for e in evidence.values() for c in e.claims if c.depth >= Depth.EXPLAINED}
    loose = [c for c in claims if c.text not in placed and len(words(c.text)) >= MIN_STATED_WORDS]
    if not loose or not reader.semantic:
        return found
    claim_vectors = reader.vectors([c.text for c in loose])
    question_vectors = reader.vectors([c.question for c in everything])
    if claim_vectors is None or question_vectors is None:
        return found
    for claim, row in zip(loose, claim_vectors @ question_vectors.T, strict=True):
        best = float(row.max())
        for index in np.flatnonzero(row >= best - QUESTION_MARGIN):
            concept_id = everything[int(index)].id
            if concept_id in thresholds and float(row[index]) >= thresholds[concept_id]:
                found.setdefault(concept_id, claim)
    return found


def _number_answers(claim: Claim, concept: Concept) -> bool:
    text = plain(claim.text)
    asked = plain(" ".join([concept.question, *concept.synonyms]))
    return any(said.search(text) and wants.search(asked) for said, wants in NUMBER_CUES)

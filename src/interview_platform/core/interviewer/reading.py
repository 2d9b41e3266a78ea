"""What the candidate's latest answers addressed: which concepts, in which claims, how deeply.

The claims (the answers' statements, questions set aside) go to the concept reader, which
recognises concepts by their words or by their meaning. Requirements and estimates are also
credited when they are simply stated: a list of operations that answers "what must it
support?" (close in meaning to the question itself), or a number with the unit a question
asks for ("20 machines", "under 2 ms", "100 to 1").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from interview_platform.core.interviewer.analysis import is_vague, word_count
from interview_platform.core.interviewer.clarifying import questions_in, without_questions
from interview_platform.core.interviewer.problems import Concept, Phase
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
# A concept recognised by meaning alone must also be at least this close to its own question:
# "reads come back in under 2 ms" is near a description of eviction, but nowhere near
# "when memory is full, what do you evict?".
PLAUSIBLE_SIMILARITY = 0.15
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


def read_turn(
    answers: Sequence[str], phases: dict[Phase, list[Concept]], reader: ConceptReader
) -> TurnReading:
    text = "\n".join(answers)
    statements = [without_questions(answer) for answer in answers]
    claims = split_claims(statements)
    everything = [c for concepts in phases.values() for c in concepts]
    evidence = _plausible(reader.read(claims, everything), reader) if claims else {}
    covered = {cid for cid, e in evidence.items() if e.depth >= Depth.EXPLAINED}
    stated_concepts = [c for p in STATED_PHASES for c in phases.get(p, [])]
    covered |= _stated(claims, evidence, stated_concepts, everything, reader)
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
    )


def _plausible(
    evidence: dict[str, ConceptEvidence], reader: ConceptReader
) -> dict[str, ConceptEvidence]:
    """The evidence without concepts recognised by meaning alone that are far from the
    concept's own question."""
    meant = [e for e in evidence.values() if not any(says(c.text, e.concept) for c in e.claims)]
    if not meant or not reader.semantic:
        return evidence
    questions = reader.vectors([e.concept.question for e in meant])
    if questions is None:
        return evidence
    doubtful = set()
    for index, found in enumerate(meant):
        claims = reader.vectors([c.text for c in found.claims])
        if claims is not None and float((claims @ questions[index]).max()) < PLAUSIBLE_SIMILARITY:
            doubtful.add(found.concept.id)
    return {cid: e for cid, e in evidence.items() if cid not in doubtful}


def _stated(
    claims: Sequence[Claim],
    evidence: dict[str, ConceptEvidence],
    stated: list[Concept],
    everything: list[Concept],
    reader: ConceptReader,
) -> set[str]:
    """Requirements and estimates the claims state in so many words or numbers."""
    found = {c.id for claim in claims for c in stated if _number_answers(claim, c)}
    placed = {c.text for e in evidence.values() for c in e.claims if c.depth >= Depth.EXPLAINED}
    loose = [c for c in claims if c.text not in placed and len(words(c.text)) >= MIN_STATED_WORDS]
    if not loose or not stated or not reader.semantic:
        return found
    claim_vectors = reader.vectors([c.text for c in loose])
    question_vectors = reader.vectors([c.question for c in everything])
    if claim_vectors is None or question_vectors is None:
        return found
    similarity = claim_vectors @ question_vectors.T
    ids = {c.id for c in stated}
    for row in similarity:
        best = float(row.max())
        close = np.flatnonzero((row >= QUESTION_SIMILARITY) & (row >= best - QUESTION_MARGIN))
        found |= {everything[int(i)].id for i in close} & ids
    return found


def _number_answers(claim: Claim, concept: Concept) -> bool:
    text = plain(claim.text)
    asked = plain(" ".join([concept.question, *concept.synonyms]))
    return any(said.search(text) and wants.search(asked) for said, wants in NUMBER_CUES)

"""Is the candidate designing the problem that was asked, or another one?

With the sentence encoder, the answer's substance (the mean meaning of its statements) is
compared with the asked problem's statement and with every bank problem's: an answer about a
different problem sits closer to that problem than to the one asked, whichever problem is
asked, in the bank or not. Without the encoder, the answer's coverage of the asked problem's
own checklist is compared with its coverage of the other problems' checklists.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from interview_platform.core.interviewer.problems import Concept, ProblemBank
from interview_platform.core.interviewer.selection import checklist
from interview_platform.core.models import ProblemBrief
from interview_platform.core.understanding.claims import Claim, Depth, words
from interview_platform.core.understanding.problem_vectors import bank_vectors, problem_text
from interview_platform.core.understanding.recognition import ConceptReader, Vectors, says

FLOOR = 0.08
# Bank problems this close to the asked statement are the same problem told differently.
SAME_PROBLEM = 0.72
# A statement votes when its best problem stands this far above its average problem.
SPECIFIC = 0.10
# The asked problem wins a vote when within TIE of the best.
TIE = 0.02
# Votes for the asked problem, out of all votes, that count as fully on topic; below it
# relevance falls with the square of the shortfall.
ON_TOPIC_SHARE = 0.3
# Prior votes (on topic, off topic): a handful of statements leans towards the benefit of the
# doubt, a whole interview speaks for itself.
PRIOR_ON, PRIOR_OFF = 2.0, 1.0
MIN_WORDS = 5


def relevance(
    brief: ProblemBrief, bank: ProblemBank, claims: Sequence[Claim], reader: ConceptReader
) -> float:
    """FLOOR..1: 1 when the answer is about the asked problem."""
    substantive = [
        c.text for c in claims if c.depth >= Depth.EXPLAINED and len(words(c.text)) >= MIN_WORDS
    ]
    if not substantive:
        return FLOOR
    if reader.semantic:
        return _semantic(brief, bank, substantive, reader)
    return _lexical(brief, bank, substantive)


def _semantic(
    brief: ProblemBrief, bank: ProblemBank, sentences: list[str], reader: ConceptReader
) -> float:
    """Each statement specific to one problem votes for it; generic ones abstain.

    A problem is its statement and its checklist's questions; a statement's similarity to a
    problem is its best match among them, so "keep hot links in memory" is as close to a
    URL shortener as to a cache, and only what is particular to a problem decides the vote.
    """
    asked = _asked_vectors(brief, bank, reader)
    stored = bank_vectors(bank, reader)
    rivals = [
        vectors
        for slug, vectors in stored.items()
        if slug != brief.slug and float(vectors[0] @ asked[0]) < SAME_PROBLEM
    ]
    answer = reader.vectors(sentences)
    assert answer is not None
    similarity = np.stack([(answer @ v.T).max(axis=1) for v in [asked, *rivals]], axis=1)
    specificity = similarity.max(axis=1) - similarity.mean(axis=1)
    voters = similarity[specificity >= SPECIFIC]
    if len(voters) == 0:
        return 1.0
    on_topic = voters[:, 0] >= voters.max(axis=1) - TIE
    share = (float(on_topic.sum()) + PRIOR_ON) / (len(voters) + PRIOR_ON + PRIOR_OFF)
    return float(np.clip((share / ON_TOPIC_SHARE) ** 2, FLOOR, 1.0))


def _asked_vectors(brief: ProblemBrief, bank: ProblemBank, reader: ConceptReader) -> Vectors:
    if brief.slug is not None:
        return bank_vectors(bank, reader)[brief.slug]
    questions = [c.question for group in checklist(bank, brief).values() for c in group]
    vectors = reader.vectors([problem_text(brief.title, brief.statement), *questions])
    assert vectors is not None
    return vectors


def _coverage(concepts: Sequence[Concept], sentences: list[str]) -> float:
    total = sum(c.weight for c in concepts)
    hit = sum(c.weight for c in concepts if any(says(s, c) for s in sentences))
    return hit / total if total else 0.0


def _lexical(brief: ProblemBrief, bank: ProblemBank, sentences: list[str]) -> float:
    if brief.slug is None:
        return 1.0
    own = _coverage(bank.get(brief.slug).concepts(), sentences)
    rival = max(
        (_coverage(p.concepts(), sentences) for p in bank.problems if p.slug != brief.slug),
        default=0.0,
    )
    if own >= rival:
        return 1.0
    return max(FLOOR, (own / rival) ** 2 if rival else 1.0)

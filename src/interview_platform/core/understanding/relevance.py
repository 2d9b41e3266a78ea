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
from interview_platform.core.models import ProblemBrief
from interview_platform.core.understanding.claims import Claim, Depth, words
from interview_platform.core.understanding.recognition import ConceptReader, says

FLOOR = 0.15
# Bank problems this close to the asked statement are the same problem told differently.
SAME_PROBLEM = 0.72
# A statement votes when its best problem stands this far above its average problem.
SPECIFIC = 0.10
# The asked problem wins a vote when within TIE of the best.
TIE = 0.02
# Votes for the asked problem, out of all votes, that count as fully on topic.
ON_TOPIC_SHARE = 0.5
PRIOR = 1.0
MIN_WORDS = 5


def problem_text(title: str, statement: str) -> str:
    return f"{title}. {statement.split(chr(10) + chr(10))[0]}"


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
    """Each statement specific to one problem votes for it; generic ones abstain."""
    asked_text = problem_text(brief.title, brief.statement)
    rivals = [problem_text(p.title, p.statement) for p in bank.problems if p.slug != brief.slug]
    problems = reader.vectors([asked_text, *rivals])
    answer = reader.vectors(sentences)
    assert problems is not None and answer is not None
    distinct = problems[1:][problems[1:] @ problems[0] < SAME_PROBLEM]
    similarity = answer @ np.vstack([problems[:1], distinct]).T
    specificity = similarity.max(axis=1) - similarity.mean(axis=1)
    voters = similarity[specificity >= SPECIFIC]
    if len(voters) == 0:
        return 1.0
    on_topic = voters[:, 0] >= voters.max(axis=1) - TIE
    share = (float(on_topic.sum()) + PRIOR) / (len(voters) + 2 * PRIOR)
    return float(np.clip(share / ON_TOPIC_SHARE, FLOOR, 1.0))


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

"""The words a transcription should expect: the interview's vocabulary, most relevant first.

A `Vocabulary` is what the speech model is biased with (Whisper's hotwords or its initial
prompt) and what near-miss correction may map heard words onto. `build_vocabulary` ranks the
system-design glossary for one interview:

1. terms already said in the conversation (by the candidate or the interviewer), and words
   the candidate typed that look like names (DynamoDB, CDC, S3) though the glossary lacks them;
2. terms the problem's own wording uses (its statement, checklist, escalations and facts);
3. terms whose usual neighbours the problem's wording uses (a trie for "prefix" and "autocomplete");
4. the glossary's core terms (cache, sharding, load balancer...).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from interview_platform.communication.glossary import Glossary, GlossaryTerm, default_glossary
from interview_platform.core.interviewer.analysis import normalise
from interview_platform.core.interviewer.selection import problem_wording
from interview_platform.core.models import ProblemBrief

PROMPT_TERMS = 40  # terms in the model's prompt: a long prompt invites hallucinated glossary words
PROMPT_LEAD = "A system design interview answer about"
MAX_TERMS = 150  # terms correction may map heard words onto
LONGEST_TERM_WORDS = 5
USED_SCORE = 1000.0
WORDING_SCORE = 10.0
NEIGHBOUR_SCORE = 1.0
CORE_SCORE = 3.0
_WORD = re.compile(r"[a-z0-9][a-z0-9+#']*")
_NAME_LIKE = re.compile(
    r"\b(?:[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[A-Z]{2,6}s?|[A-Za-z]+[0-9][A-Za-z0-9]*)\b"
)
_NOT_NAMES = frozenset({"I", "OK", "AM", "PM", "US", "UK", "EU", "ID", "IDS", "TV"})


@dataclass(frozen=True)
class Vocabulary:
    """Terms in their written form ("Redis", "idempotency key"), most relevant first, and
    which of them (normalised) were already said in the conversation."""

    terms: tuple[str, ...] = ()
    said: frozenset[str] = field(default_factory=frozenset)
    named: frozenset[str] = field(default_factory=frozenset)  # in the problem's own wording

    def __bool__(self) -> bool:
        return bool(self.terms)

    def prominent(self, term: str) -> bool:
        """A term the problem's own wording uses."""
        return normalise(term) in self.named

    def biasing(self, limit: int = PROMPT_TERMS) -> str:
        """The first `limit` terms, comma-separated (faster-whisper's hotwords)."""
        return ", ".join(self.terms[:limit])

    def prompt(self, limit: int = PROMPT_TERMS) -> str:
        """The first `limit` terms in a sentence, as Whisper's initial prompt: the model reads
        it as what came just before, so a sentence keeps its output in sentences (a bare list
        of terms led it to answer in comma-separated fragments)."""
        return f"{PROMPT_LEAD} {self.biasing(limit)}." if self.terms else ""


def words(text: str) -> list[str]:
    """The words of `text` as compared with terms: normalised, a plural "s" dropped."""
    return [_singular(word) for word in _WORD.findall(normalise(text))]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith(("xes", "ches", "shes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrases(text: str, longest: int = LONGEST_TERM_WORDS) -> Counter[str]:
    """How often each run of 1..`longest` words occurs in `text`."""
    found = words(text)
    counts: Counter[str] = Counter()
    for size in range(1, longest + 1):
        counts.update(" ".join(found[i : i + size]) for i in range(len(found) - size + 1))
    return counts


def forms(term: GlossaryTerm) -> list[str]:
    """The ways `term` is written, as compared with text (its spoken forms, such as "try"
    for a trie, are for comparing sounds, not text)."""
    return [" ".join(words(term.term))]


def build_vocabulary(
    problem_wording: str,
    conversation: Sequence[str] = (),
    glossary: Glossary | None = None,
    limit: int = MAX_TERMS,
) -> Vocabulary:
    """The interview's terms, most relevant first (see the module's docstring)."""
    glossary = glossary or default_glossary()
    wording = _wording_phrases(problem_wording)
    talk = phrases("\n".join(conversation))
    scored: list[tuple[float, int, str]] = []
    said: set[str] = set()
    named: set[str] = set()
    for index, term in enumerate(glossary.terms):
        if any(talk[form] for form in forms(term)):
            said.add(normalise(term.term))
        if any(wording[form] for form in forms(term)):
            named.add(normalise(term.term))
        used = normalise(term.term) in said
        score = _score(term, wording, used)
        if score > 0:
            scored.append((-score, index, term.term))
    ranked = [term for _score_, _index, term in sorted(scored)]
    typed = names_in(conversation, known={normalise(t.term) for t in glossary.terms})
    said_first = [t for t in ranked if normalise(t) in said]
    rest = [t for t in ranked if normalise(t) not in said]
    terms = _unique([*said_first, *typed, *rest])[:limit]
    return Vocabulary(
        tuple(terms), frozenset(said | {normalise(t) for t in typed}), frozenset(named)
    )


@lru_cache(maxsize=64)
def _wording_phrases(problem_wording: str) -> Counter[str]:
    return phrases(problem_wording)


def _score(term: GlossaryTerm, wording: Counter[str], used: bool) -> float:
    score = USED_SCORE if used else 0.0
    score += WORDING_SCORE * min(3, max(wording[form] for form in forms(term)))
    neighbours = sum(1 for cue in term.context if wording[" ".join(words(cue))])
    score += NEIGHBOUR_SCORE * neighbours
    if term.core:
        score += CORE_SCORE
    return score


def names_in(conversation: Iterable[str], known: set[str]) -> list[str]:
    """Words in the conversation written like names (CamelCase, acronyms, letters with
    digits) that are not known terms, in order of first use."""
    found: list[str] = []
    for message in conversation:
        for match in _NAME_LIKE.finditer(message):
            name = match.group(0)
            if name in _NOT_NAMES or normalise(name) in known or name in found:
                continue
            found.append(name)
    return found


def _unique(terms: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for term in terms:
        if normalise(term) not in seen:
            seen.add(normalise(term))
            kept.append(term)
    return kept


def interview_vocabulary(
    brief: ProblemBrief | None, conversation: Sequence[str] = ()
) -> Vocabulary:
    """The vocabulary of an interview on `brief` (None before a problem is chosen) so far."""
    return build_vocabulary(problem_wording(brief) if brief else "", conversation)

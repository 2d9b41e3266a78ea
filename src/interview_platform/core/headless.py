"""Whole interviews without a UI: simulations and transcript evaluations."""

from __future__ import annotations

from pathlib import Path

from interview_platform.core.evaluation.manager import EvaluationManager
from interview_platform.core.interviewer.problems import ProblemBank, default_bank
from interview_platform.core.interviewer.selection import brief_for, custom_brief, match_problem
from interview_platform.core.interviewer.simulation import CandidateKind, ScriptedCandidate
from interview_platform.core.models import (
    CommunicationMode,
    EvaluationReport,
    ExperienceLevel,
    SessionConfig,
)
from interview_platform.core.session_manager import SessionManager
from interview_platform.core.transcripts import parse_transcript
from interview_platform.errors import ValidationError

MAX_TURNS = 60
SIMULATION_USER = "simulation"


def simulate(
    sessions: SessionManager,
    slug: str,
    level: ExperienceLevel,
    kind: CandidateKind,
    bank: ProblemBank | None = None,
    off_topic_slug: str | None = None,
) -> EvaluationReport:
    """Run a whole interview against a scripted candidate and evaluate it."""
    bank = bank or default_bank()
    brief = brief_for(bank.get(slug), level)
    config = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")
    session = sessions.create_session(config, SIMULATION_USER, problem=brief)
    sessions.start_session(session.id)
    if kind is CandidateKind.OFF_TOPIC and off_topic_slug is None:
        off_topic_slug = _another_problem(bank, slug)
    candidate = ScriptedCandidate(kind, brief, bank, off_topic_slug)
    for _ in range(MAX_TURNS):
        history = sessions.get_conversation(session.id)
        if history[-1].metadata.get("kind") in ("wrap_up", "closed"):
            break
        sessions.submit_answer(session.id, candidate.answer(history))
    sessions.end_session(session.id)
    return sessions.evaluate_session(session.id)


def _another_problem(bank: ProblemBank, slug: str) -> str:
    """The problem an off-topic candidate answers instead: the next one in the bank."""
    slugs = [problem.slug for problem in bank.problems]
    return slugs[(slugs.index(slug) + 1) % len(slugs)]


def evaluate_transcript(
    evaluations: EvaluationManager,
    path: Path,
    problem: str,
    level: ExperienceLevel,
    bank: ProblemBank | None = None,
) -> EvaluationReport:
    """Grade a transcript file for any problem statement, in the bank or not."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Cannot read {path}: {exc}. Give a UTF-8 text file.") from exc
    bank = bank or default_bank()
    if not problem.strip():
        raise ValidationError("Give the problem statement the candidate was asked (--problem).")
    found = match_problem(bank, problem)
    brief = brief_for(found, level) if found else custom_brief(problem, level)
    return evaluations.evaluate_transcript(brief, parse_transcript(text))

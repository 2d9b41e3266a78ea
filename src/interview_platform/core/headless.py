"""Whole interviews without a UI: simulations, scripted answers and transcript evaluations."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from interview_platform.core.conversation_text import parse_transcript
from interview_platform.core.evaluation.manager import EvaluationManager
from interview_platform.core.evaluation.report import EvaluationReport
from interview_platform.core.interviewer.problems import Problem, ProblemBank, default_bank
from interview_platform.core.interviewer.selection import brief_for, custom_brief, match_problem
from interview_platform.core.interviewer.simulation import CandidateKind, ScriptedCandidate
from interview_platform.core.models import (
    CommunicationMode,
    ExperienceLevel,
    JSONDict,
    Message,
    ProblemBrief,
    Role,
    SessionConfig,
)
from interview_platform.core.session_manager import MAX_MESSAGE_CHARS, SessionManager
from interview_platform.errors import ValidationError

MAX_TURNS = 60
SIMULATION_USER = "simulation"
INTERVIEW_USER = "headless"
SIMULATED_START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DEFAULT_MINUTES_PER_ANSWER = 4.5
MAX_MINUTES_PER_ANSWER = 24 * 60.0
ANSWER_EXAMPLE = '{"content": "I would start with the requirements..."}'


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
    brief = brief_from_statement(bank or default_bank(), problem, level)
    return evaluations.evaluate_transcript(brief, parse_transcript(text))


def brief_from_statement(bank: ProblemBank, problem: str, level: ExperienceLevel) -> ProblemBrief:
    """The bank problem a slug, title or statement names; otherwise a problem outside the bank."""
    if not problem.strip():
        raise ValidationError("Give the problem statement the candidate was asked (--problem).")
    found: Problem | None = match_problem(bank, problem)
    return brief_for(found, level) if found else custom_brief(problem, level)


class SimulatedClock:
    """Interview time that moves only when told to: a fixed start, then one step per answer."""

    def __init__(self, start: datetime = SIMULATED_START) -> None:
        self._now = start

    def __call__(self) -> datetime:
        return self._now

    def advance(self, minutes: float) -> None:
        self._now += timedelta(minutes=minutes)


@dataclass(frozen=True)
class Turn:
    """One message of a headless interview; kind, phase and concept are the interviewer's."""

    role: Role
    content: str
    minute: float
    kind: str | None = None
    phase: str | None = None
    concept: str | None = None

    def as_dict(self) -> JSONDict:
        return {
            "role": self.role.value,
            "content": self.content,
            "minute": self.minute,
            "kind": self.kind,
            "phase": self.phase,
            "concept": self.concept,
        }


@dataclass(frozen=True)
class InterviewTranscript:
    """A whole interview with the built-in interviewer on scripted answers."""

    problem: str
    level: ExperienceLevel
    slug: str | None
    turns: list[Turn] = field(default_factory=list)
    answers_submitted: int = 0
    answers_unused: int = 0

    def as_dict(self) -> JSONDict:
        return {
            "problem": self.problem,
            "level": self.level.value,
            "slug": self.slug,
            "turns": [turn.as_dict() for turn in self.turns],
            "answers_submitted": self.answers_submitted,
            "answers_unused": self.answers_unused,
        }


def read_answers(path: Path) -> list[str]:
    """The answers in a JSON Lines file, one `{"content": "..."}` a line; blank lines skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Cannot read {path}: {exc}. Give a UTF-8 text file.") from exc
    lines = enumerate(text.split("\n"), start=1)  # not splitlines: JSON strings may hold U+2028
    answers = [_answer_on(path, number, line) for number, line in lines if line.strip()]
    if not answers:
        raise ValidationError(
            f"{path} has no answers: write one JSON object a line, e.g. {ANSWER_EXAMPLE}."
        )
    return answers


def _answer_on(path: Path, number: int, line: str) -> str:
    where = f"{path}, line {number}"
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{where}: not valid JSON ({exc.msg}).") from exc
    except (ValueError, RecursionError) as exc:
        raise ValidationError(f"{where}: not valid JSON.") from exc
    content = value.get("content") if isinstance(value, dict) else None
    if not isinstance(content, str):
        raise ValidationError(
            f'{where}: expected an object with a string "content", e.g. {ANSWER_EXAMPLE}.'
        )
    answer = content.replace("\x00", "").strip()
    if not answer:
        raise ValidationError(f'{where}: the answer is empty; give its text in "content".')
    if len(answer) > MAX_MESSAGE_CHARS:
        raise ValidationError(
            f"{where}: the answer is too long, {len(answer):,} characters; "
            f"the limit is {MAX_MESSAGE_CHARS:,}. Split it into shorter answers."
        )
    return answer


def run_interview(
    sessions: SessionManager,
    clock: SimulatedClock,
    problem: str,
    answers: Sequence[str],
    level: ExperienceLevel = ExperienceLevel.MID,
    minutes_per_answer: float = DEFAULT_MINUTES_PER_ANSWER,
    bank: ProblemBank | None = None,
) -> InterviewTranscript:
    """Interview on the built-in interviewer with the given answers, in simulated time.

    `sessions` must run on `clock` (`bootstrap(clock=clock)`), so the interviewer paces the
    interview by it: each answer is given `minutes_per_answer` after the previous message.
    Answers left once the interviewer has closed the interview are not submitted.
    """
    _check_minutes(minutes_per_answer)
    if not answers:
        raise ValidationError("Give at least one answer.")
    brief = brief_from_statement(bank or default_bank(), problem, level)
    config = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")
    session = sessions.create_session(config, INTERVIEW_USER, problem=brief)
    sessions.start_session(session.id)
    submitted = 0
    for answer in answers:
        clock.advance(minutes_per_answer)
        _, reply = sessions.submit_answer(session.id, answer)
        submitted += 1
        if reply is None or reply.metadata.get("kind") == "closed":
            break
    started = sessions.end_session(session.id).started_at or clock()
    history = sessions.get_conversation(session.id)
    return InterviewTranscript(
        problem=brief.title,
        level=brief.level,
        slug=brief.slug,
        turns=[_turn(message, started) for message in history],
        answers_submitted=submitted,
        answers_unused=len(answers) - submitted,
    )


def _check_minutes(minutes: float) -> None:
    if not (math.isfinite(minutes) and 0 < minutes <= MAX_MINUTES_PER_ANSWER):
        raise ValidationError(
            f"--minutes-per-answer must be above 0 and at most {MAX_MINUTES_PER_ANSWER:g}; "
            f"got {minutes:g}."
        )


def _turn(message: Message, started: datetime) -> Turn:
    minute = round((message.timestamp - started).total_seconds() / 60, 2)
    if message.role is Role.CANDIDATE:
        return Turn(message.role, message.content, minute)
    meta = message.metadata
    return Turn(
        message.role,
        message.content,
        minute,
        kind=_text_or_none(meta.get("kind")),
        phase=_text_or_none(meta.get("phase")),
        concept=_text_or_none(meta.get("concept")),
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def transcript_as_text(transcript: InterviewTranscript) -> str:
    """A readable transcript: each interviewer line tagged with its phase and target concept."""
    header = f"Interview: {transcript.problem} ({transcript.level.value})"
    lines = [header, ""]
    for turn in transcript.turns:
        lines += [_turn_as_text(turn), ""]
    lines.append(
        f"{transcript.answers_submitted} answer(s) submitted; "
        f"{transcript.answers_unused} not submitted (the interviewer had closed the interview)."
        if transcript.answers_unused
        else f"{transcript.answers_submitted} answer(s) submitted."
    )
    return "\n".join(lines)


def _turn_as_text(turn: Turn) -> str:
    speaker = "Candidate" if turn.role is Role.CANDIDATE else f"Interviewer ({_tag(turn)})"
    first, *rest = turn.content.splitlines() or [""]
    body = "\n".join([first, *(f"    {line}" if line.strip() else "" for line in rest)])
    return f"[{turn.minute:.1f} min] {speaker}: {body}"


def _tag(turn: Turn) -> str:
    """`phase → concept`, with the kind of message unless it is a plain probe."""
    tag = turn.phase or "?"
    if turn.concept:
        tag += f" → {turn.concept}"
    if turn.kind and turn.kind != "probe":
        tag += f", {turn.kind}"
    return tag

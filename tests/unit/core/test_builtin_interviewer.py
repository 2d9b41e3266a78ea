"""The built-in interviewer on the shipped problem bank: phases, follow-ups, no repeats."""

from __future__ import annotations

import pytest

from interview_platform.core.interviewer.builtin import BuiltinInterviewer
from interview_platform.core.interviewer.problems import PHASE_ORDER, Phase, default_bank
from interview_platform.core.interviewer.selection import brief_for, choose_problem
from interview_platform.core.interviewer.simulation import CandidateKind, ScriptedCandidate
from interview_platform.core.models import (
    ExperienceLevel,
    InterviewResponse,
    Message,
    ResumeData,
    Role,
    WorkExperience,
)

BANK = default_bank()
URL = brief_for(BANK.get("url-shortener"), ExperienceLevel.MID)


def said(response: InterviewResponse) -> Message:
    return Message(Role.INTERVIEWER, response.content, metadata=response.metadata)


def run(kind: CandidateKind, turns: int = 60) -> list[Message]:
    interviewer = BuiltinInterviewer(BANK)
    candidate = ScriptedCandidate(kind, URL, BANK)
    history = [said(interviewer.opening(URL))]
    for _ in range(turns):
        if history[-1].metadata["kind"] in ("wrap_up", "closed"):
            break
        history.append(Message(Role.CANDIDATE, candidate.answer(history)))
        history.append(said(interviewer.reply(URL, history)))
    return history


def questions(history: list[Message]) -> list[str]:
    return [m.content for m in history if m.role is Role.INTERVIEWER]


def test_opening_states_the_problem_at_the_level() -> None:
    opening = BuiltinInterviewer(BANK).opening(URL)
    assert "URL" in opening.content or "url" in opening.content.lower()
    assert BANK.get("url-shortener").levels[ExperienceLevel.MID].scale in opening.content
    assert opening.metadata["phase"] == Phase.REQUIREMENTS


@pytest.mark.parametrize("kind", list(CandidateKind))
def test_never_repeats_a_question_and_ends(kind: CandidateKind) -> None:
    history = run(kind)
    asked = questions(history)
    assert len(asked) == len(set(asked)), "a question was repeated"
    assert history[-1].metadata["kind"] == "wrap_up"


def test_a_strong_candidate_walks_through_every_phase_in_order() -> None:
    phases = [Phase(m.metadata["phase"]) for m in run(CandidateKind.STRONG) if m.metadata]
    seen = list(dict.fromkeys(phases))
    assert seen == sorted(seen, key=PHASE_ORDER.index)
    assert {Phase.REQUIREMENTS, Phase.HIGH_LEVEL_DESIGN, Phase.SCALING} <= set(seen)


def test_strong_candidates_are_pushed_harder_and_weak_ones_get_hints() -> None:
    strong = [m.metadata["kind"] for m in run(CandidateKind.STRONG) if m.metadata]
    weak = [m.metadata["kind"] for m in run(CandidateKind.WEAK) if m.metadata]
    assert "escalation" in strong and "hint" not in strong
    assert "hint" in weak and "escalation" not in weak
    assert "clarify" in weak


def test_a_vague_short_answer_gets_a_clarifying_question_quoting_it() -> None:
    interviewer = BuiltinInterviewer(BANK)
    history = [said(interviewer.opening(URL))]
    history.append(Message(Role.CANDIDATE, "Maybe a database, not sure."))
    reply = interviewer.reply(URL, history)
    assert reply.metadata["kind"] == "clarify"
    assert '"Maybe a database, not sure."' in reply.content


def test_acknowledges_what_the_candidate_said() -> None:
    interviewer = BuiltinInterviewer(BANK)
    history = [said(interviewer.opening(URL))]
    concept = BANK.get("url-shortener").concepts(Phase.REQUIREMENTS)[0]
    answer = f"Users need {concept.synonyms[0]}, and I assume reads dominate writes heavily."
    history.append(Message(Role.CANDIDATE, answer))
    reply = interviewer.reply(URL, history)
    assert "You said" in reply.content and concept.id in reply.metadata["interview"]["covered"]


def test_clarifying_questions_get_the_constraints() -> None:
    interviewer = BuiltinInterviewer(BANK)
    history = [said(interviewer.opening(URL))]
    history.append(Message(Role.CANDIDATE, "How many URLs per day should I plan for, and reads?"))
    reply = interviewer.reply(URL, history)
    assert "You can assume" in reply.content


def test_state_survives_a_restart_because_it_lives_in_the_messages() -> None:
    history = run(CandidateKind.AVERAGE, turns=5)
    history.append(Message(Role.CANDIDATE, "We could shard by code."))
    again = [BuiltinInterviewer(BANK).reply(URL, history) for _ in range(2)]
    assert again[0] == again[1]


def test_after_time_runs_out_it_wraps_up() -> None:
    interviewer = BuiltinInterviewer(BANK)
    history = [said(interviewer.opening(URL))]
    history.append(Message(Role.CANDIDATE, "Requirements: shorten and redirect, with analytics."))
    assert interviewer.reply(URL, history, elapsed_minutes=60).metadata["kind"] == "wrap_up"


def _resume(level: ExperienceLevel, domains: list[str], title: str) -> ResumeData:
    return ResumeData(
        "u", "n", "e", level, 6, domains, [WorkExperience("Acme", title, "2020-2024", "")]
    )


def test_problem_choice_follows_domains_role_and_level() -> None:
    payments = choose_problem(
        BANK, _resume(ExperienceLevel.SENIOR, ["backend", "security"], "Payments Engineer")
    )
    assert payments.slug == "payment-system" and payments.level is ExperienceLevel.SENIOR
    mobile = choose_problem(BANK, _resume(ExperienceLevel.JUNIOR, ["mobile"], "iOS Developer"))
    assert mobile.level is ExperienceLevel.JUNIOR
    assert "mobile" in BANK.get(mobile.slug or "").domains
    default = choose_problem(BANK, None)
    assert default.slug == BANK.problems[0].slug and default.level is ExperienceLevel.MID
    assert choose_problem(BANK, None, avoid=[default.slug or ""]).slug != default.slug

"""The built-in interviewer: deterministic, rubric-driven, offline.

Each turn it reads the answers since its last question, credits the concepts they cover,
and then, in order of precedence: answers a candidate's clarifying question with the
problem's constraints; asks for specifics when an answer is vague or too short; moves to
the next phase when this one is covered, out of questions or out of time; raises the
difficulty for a strong candidate; gives a hint to a struggling one; or asks about the most
important point of the phase not yet covered. It never asks the same question twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from interview_platform.core.interviewer import phrasing
from interview_platform.core.interviewer.analysis import AnswerReading, read_answer
from interview_platform.core.interviewer.problems import (
    Concept,
    Phase,
    ProblemBank,
    default_bank,
)
from interview_platform.core.interviewer.selection import checklist, escalations_for
from interview_platform.core.interviewer.state import InterviewState, latest_state
from interview_platform.core.models import InterviewResponse, Message, ProblemBrief
from interview_platform.providers.base import BUILTIN

ENGINE = BUILTIN
MODEL = "rubric"
ESCALATION_PHASES = {Phase.DEEP_DIVE, Phase.SCALING, Phase.RELIABILITY}


class BuiltinInterviewer:
    def __init__(self, bank: ProblemBank | None = None) -> None:
        self._given_bank = bank

    @property
    def _bank(self) -> ProblemBank:
        return self._given_bank or default_bank()

    def opening(self, brief: ProblemBrief) -> InterviewResponse:
        state = InterviewState(last_kind="opening")
        return self._respond(state, phrasing.opening(brief), None)

    def reply(
        self, brief: ProblemBrief, history: Sequence[Message], elapsed_minutes: float = 0.0
    ) -> InterviewResponse:
        state, answers = latest_state(history)
        if state.finished:
            return self._respond(state, phrasing.after_the_end(), None, kind="closed")
        phases = checklist(self._bank, brief)
        everything = [c for concepts in phases.values() for c in concepts]
        answer = "\n".join(answers)
        reading = read_answer(answer, everything, set(state.covered))
        state.covered.extend(sorted(reading.new_concepts))
        state.gains.append(len(reading.new_concepts))
        ack = phrasing.acknowledge(reading, answer, everything, len(state.gains))

        if (
            reading.asks_question
            and not state.constraints_shared
            and state.phase
            in (
                Phase.REQUIREMENTS,
                Phase.ESTIMATION,
            )
        ):
            state.constraints_shared = True
            return self._ask_next(
                state, phases, brief, phrasing.constraints(brief), elapsed_minutes
            )
        if self._needs_clarifying(state, reading):
            state.clarifications += 1
            text = phrasing.clarify(answer, self._last_concept(state, everything))
            return self._respond(state, text, None, kind="clarify")
        return self._ask_next(state, phases, brief, ack, elapsed_minutes)

    def _needs_clarifying(self, state: InterviewState, reading: AnswerReading) -> bool:
        unclear = reading.too_short or reading.vague
        return (
            unclear
            and not reading.new_concepts
            and not reading.asks_question
            and state.last_kind != "clarify"
            and state.clarifications < 4
        )

    def _ask_next(
        self,
        state: InterviewState,
        phases: dict[Phase, list[Concept]],
        brief: ProblemBrief,
        lead: str,
        elapsed_minutes: float,
    ) -> InterviewResponse:
        transition = self._advance(state, phases, elapsed_minutes)
        if state.finished:
            return self._respond(state, phrasing.join(lead, phrasing.wrap_up()), None, "wrap_up")
        lead = phrasing.join(lead, transition)
        escalations = escalations_for(self._bank, brief)
        if self._should_escalate(state, escalations):
            state.escalations += 1
            question = escalations[state.escalations - 1]
            return self._respond(state, phrasing.join(lead, question), None, "escalation")
        concept = self._most_important_open(state, phases[state.phase])
        if concept is None:
            state.finished = state.next_phase() is None
            return self._respond(state, phrasing.join(lead, phrasing.wrap_up()), None, "wrap_up")
        if state.is_struggling() and concept.id not in state.hinted:
            state.hinted.append(concept.id)
            return self._respond(state, phrasing.hint(lead, concept), concept, "hint")
        return self._respond(state, phrasing.join(lead, concept.question), concept, "probe")

    def _advance(
        self, state: InterviewState, phases: dict[Phase, list[Concept]], elapsed_minutes: float
    ) -> str:
        """Move past every phase that is covered, out of questions or out of time."""
        moved = False
        while self._phase_done(state, phases[state.phase], elapsed_minutes):
            following = state.next_phase()
            if following is None:
                state.finished = True
                return ""
            state.enter(following)
            moved = True
        return phrasing.transition(state.phase) if moved else ""

    def _phase_done(
        self, state: InterviewState, concepts: list[Concept], elapsed_minutes: float
    ) -> bool:
        open_important = [
            c
            for c in concepts
            if c.weight >= 2 and c.id not in state.covered and c.id not in state.asked
        ]
        return (
            not open_important
            or state.questions_in_phase >= state.question_budget
            or state.overdue(elapsed_minutes)
        )

    def _should_escalate(self, state: InterviewState, escalations: list[str]) -> bool:
        return (
            state.phase in ESCALATION_PHASES
            and state.is_strong()
            and state.escalations < len(escalations)
            and state.last_kind != "escalation"
        )

    @staticmethod
    def _most_important_open(state: InterviewState, concepts: list[Concept]) -> Concept | None:
        open_concepts = [
            c for c in concepts if c.id not in state.covered and c.id not in state.asked
        ]
        return max(open_concepts, key=lambda c: c.weight, default=None)

    @staticmethod
    def _last_concept(state: InterviewState, concepts: list[Concept]) -> Concept | None:
        by_id = {c.id: c for c in concepts}
        return by_id.get(state.asked[-1]) if state.asked else None

    @staticmethod
    def _respond(
        state: InterviewState, text: str, concept: Concept | None, kind: str = "opening"
    ) -> InterviewResponse:
        if concept is not None:
            state.asked.append(concept.id)
        if kind in ("probe", "hint", "escalation"):
            state.questions_in_phase += 1
        state.last_kind = kind
        metadata = {"engine": ENGINE, "kind": kind, "phase": state.phase.value}
        metadata |= {"concept": concept.id} if concept else {}
        return InterviewResponse(content=text, metadata=metadata | state.to_metadata())

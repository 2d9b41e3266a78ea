"""The built-in interviewer: deterministic, rubric-driven, offline.

Each turn it reads the answers since its last question (claims, recognised by words or by
meaning) and credits what they address, so nothing said anywhere in the conversation is asked
about again. Then it answers the candidate's clarifying questions with the problem's facts,
and, in order of precedence: wraps up once about 80% of the time has gone; asks for specifics
when an answer is vague or too short; asks why (or how) about a choice made without a reason;
moves to the next phase when this one is covered, out of questions or out of time; raises the
difficulty for a strong candidate; gives a hint to a struggling one; asks about the most
important point of the phase not yet addressed; and, when every phase is done early, goes
deeper on the weakest areas. After the wrap-up it keeps answering: deep dives while there is
time, then closing lines that vary and offer one more dive. It never asks the same question
twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from interview_platform.core.interviewer import phrasing
from interview_platform.core.interviewer.clarifying import answer_questions, settled_by
from interview_platform.core.interviewer.followups import (
    deep_dive,
    follow_up,
    wants_more,
    weakest_topic,
)
from interview_platform.core.interviewer.problems import (
    Concept,
    Phase,
    ProblemBank,
    ProblemFacts,
    default_bank,
)
from interview_platform.core.interviewer.reading import (
    STATED_PHASES,
    Context,
    TurnReading,
    read_turn,
)
from interview_platform.core.interviewer.selection import checklist, escalations_for
from interview_platform.core.interviewer.state import Clock, InterviewState, latest_state
from interview_platform.core.models import InterviewResponse, Message, ProblemBrief
from interview_platform.core.ports.chat import BUILTIN
from interview_platform.core.understanding.recognition import ConceptReader, default_reader

ENGINE = BUILTIN
MODEL = "rubric"
ESCALATION_PHASES = {Phase.DEEP_DIVE, Phase.SCALING, Phase.RELIABILITY}
COUNTED_KINDS = ("probe", "hint", "escalation")
ASKING_KINDS = ("probe", "hint", "follow_up", "deep_dive")
MAX_CLARIFICATIONS = 4
Phases = dict[Phase, list[Concept]]


class BuiltinInterviewer:
    def __init__(self, bank: ProblemBank | None = None, reader: ConceptReader | None = None):
        self._given_bank = bank
        self._given_reader = reader

    @property
    def _bank(self) -> ProblemBank:
        return self._given_bank or default_bank()

    @property
    def _reader(self) -> ConceptReader:
        return self._given_reader or default_reader()

    def opening(
        self, brief: ProblemBrief, duration_minutes: float | None = None
    ) -> InterviewResponse:
        state = InterviewState(last_kind="opening")
        return self._respond(state, phrasing.opening(brief, duration_minutes), None)

    def reply(
        self,
        brief: ProblemBrief,
        history: Sequence[Message],
        elapsed_minutes: float = 0.0,
        duration_minutes: float | None = None,
    ) -> InterviewResponse:
        clock = Clock.of(elapsed_minutes, duration_minutes)
        state, answers = latest_state(history)
        phases = checklist(self._bank, brief)
        last = self._last_concept(state, phases)
        turn = self._read(answers, phases, state, last, clock)
        facts = self._facts(brief)
        told = answer_questions(turn.questions, facts, last)
        self._settle(state, phases, settled_by(told, self._stated(phases), facts))
        answered = told.text
        if state.finished:
            return self._after_wrap_up(state, phases, turn, answered, clock)
        lead = phrasing.join(answered, self._acknowledge(turn, phases, state))
        if clock.wrap_up_due:
            return self._wrap_up(state, lead, clock)
        if not answered and self._needs_clarifying(state, turn):
            state.clarifications += 1
            return self._respond(state, phrasing.clarify(turn.text, last), None, "clarify")
        follow = follow_up(turn, state, phases, brief.statement)
        if follow is not None:
            state.followed_up.append(follow.concept.id)
            text = phrasing.join(answered, follow.text)
            return self._respond(state, text, follow.concept, "follow_up")
        return self._ask_next(state, phases, brief, lead, clock)

    def _read(
        self,
        answers: list[str],
        phases: Phases,
        state: InterviewState,
        last: Concept | None,
        clock: Clock,
    ) -> TurnReading:
        """Only the answers since the last question are read; the state holds the rest."""
        asked = last if state.last_kind in ASKING_KINDS else None
        context = Context(state.phase_at(clock), asked)
        turn = read_turn(answers, phases, self._reader, context)
        state.replies += 1
        fresh = state.credit(set(turn.covered), set(turn.named), said=bool(turn.claims))
        for cid, claim in turn.ahead.items():
            state.mentioned.setdefault(cid, claim)
        return replace(turn, fresh=fresh)

    @staticmethod
    def _stated(phases: Phases) -> list[Concept]:
        return [c for phase in STATED_PHASES for c in phases.get(phase, [])]

    @staticmethod
    def _settle(state: InterviewState, phases: Phases, settled: set[str]) -> None:
        """Concepts the interviewer's own answer settled are not asked about."""
        state.covered.extend(sorted(settled - state.addressed))

    def _facts(self, brief: ProblemBrief) -> ProblemFacts | None:
        return self._bank.get(brief.slug).facts if brief.slug else None

    @staticmethod
    def _needs_clarifying(state: InterviewState, turn: TurnReading) -> bool:
        return (
            (turn.too_short or turn.vague)
            and not turn.fresh
            and "?" not in turn.text
            and state.last_kind != "clarify"
            and state.clarifications < MAX_CLARIFICATIONS
        )

    @staticmethod
    def _acknowledge(turn: TurnReading, phases: Phases, state: InterviewState) -> str:
        """Quote the strongest new thing the candidate said (a justified claim if any)."""
        by_id = {c.id: c for concepts in phases.values() for c in concepts}
        gained = [by_id[cid] for cid in sorted(turn.fresh) if cid in by_id]
        if not gained:
            later = next(iter(turn.ahead.values()), None)
            return phrasing.acknowledge(later, "", "later", state.turn) if later else ""
        quotable = [c for c in gained if turn.quote(c.id)] or gained
        asked = state.asked[-1] if state.asked else ""
        best = max(quotable, key=lambda c: (turn.depth(c.id), c.id == asked, c.weight))
        claim = turn.best(best.id)
        kind = phrasing.ack_kind(turn.depth(best.id), claim.support if claim else ())
        return phrasing.acknowledge(turn.quote(best.id), phrasing.label(best), kind, state.turn)

    def _ask_next(
        self,
        state: InterviewState,
        phases: Phases,
        brief: ProblemBrief,
        lead: str,
        clock: Clock,
    ) -> InterviewResponse:
        if self._advance(state, phases, clock):
            lead = phrasing.join(lead, phrasing.transition(state.phase, state.turn))
        exhausted = self._phase_done(state, phases[state.phase], clock)
        escalations = escalations_for(self._bank, brief)
        if self._should_escalate(state, escalations, exhausted):
            state.escalations += 1
            question = escalations[state.escalations - 1]
            return self._respond(state, phrasing.join(lead, question), None, "escalation")
        concept = None if exhausted else self._most_important_open(state, phases[state.phase])
        if concept is not None and state.is_struggling() and concept.id not in state.hinted:
            state.hinted.append(concept.id)
            return self._respond(state, phrasing.hint(lead, concept), concept, "hint")
        if concept is not None:
            question = phrasing.recall(state.mentioned.get(concept.id), concept, state.turn)
            return self._respond(state, phrasing.join(lead, question), concept, "probe")
        return self._deeper_or_wrap_up(state, phases, lead, clock)

    def _deeper_or_wrap_up(
        self, state: InterviewState, phases: Phases, lead: str, clock: Clock
    ) -> InterviewResponse:
        """Every phase is done before time: go deeper on the weakest areas while any remain."""
        dive = deep_dive(state, phases)
        if dive is None:
            return self._wrap_up(state, lead, clock)
        state.followed_up.append(dive.concept.id)
        return self._respond(state, phrasing.join(lead, dive.text), dive.concept, "deep_dive")

    def _wrap_up(self, state: InterviewState, lead: str, clock: Clock) -> InterviewResponse:
        state.finished = True
        return self._respond(state, phrasing.join(lead, phrasing.wrap_up(clock)), None, "wrap_up")

    def _after_wrap_up(
        self,
        state: InterviewState,
        phases: Phases,
        turn: TurnReading,
        answered: str,
        clock: Clock,
    ) -> InterviewResponse:
        """Still useful after the wrap-up: a deep dive while there is time (or when asked for
        one), otherwise a closing line unlike the last one, with any question answered."""
        if not clock.over or wants_more(turn.text):
            ack = self._acknowledge(turn, phases, state)
            if not ack and state.last_kind == "wrap_up" and turn.claims:
                ack = phrasing.acknowledge_wrap_up_answer(turn.claims[0].text, state.turn)
            dive = deep_dive(state, phases)
            if dive is not None:
                state.followed_up.append(dive.concept.id)
                text = phrasing.join(answered, ack, dive.text)
                return self._respond(state, text, dive.concept, "deep_dive")
        closing = phrasing.after_the_end(state.closings, weakest_topic(state, phases))
        state.closings += 1
        return self._respond(state, phrasing.join(answered, closing), None, "closed")

    def _advance(self, state: InterviewState, phases: Phases, clock: Clock) -> bool:
        """Move past every phase that is covered, out of questions or out of time; the last
        phase is never left, so a question budget cannot end the interview."""
        moved = False
        while self._phase_done(state, phases[state.phase], clock):
            following = state.next_phase()
            if following is None:
                break
            state.enter(following)
            moved = True
        return moved

    @staticmethod
    def _phase_done(state: InterviewState, concepts: list[Concept], clock: Clock) -> bool:
        addressed = state.addressed
        open_important = [c for c in concepts if c.weight >= 2 and c.id not in addressed]
        return (
            not open_important
            or state.questions_in_phase >= state.question_budget
            or state.overdue(clock)
        )

    @staticmethod
    def _should_escalate(state: InterviewState, escalations: list[str], exhausted: bool) -> bool:
        return (
            (state.phase in ESCALATION_PHASES or exhausted)
            and state.is_strong()
            and state.escalations < len(escalations)
            and state.last_kind != "escalation"
        )

    @staticmethod
    def _most_important_open(state: InterviewState, concepts: list[Concept]) -> Concept | None:
        addressed = state.addressed
        return max(
            (c for c in concepts if c.id not in addressed), key=lambda c: c.weight, default=None
        )

    @staticmethod
    def _last_concept(state: InterviewState, phases: Phases) -> Concept | None:
        by_id = {c.id: c for concepts in phases.values() for c in concepts}
        return by_id.get(state.asked[-1]) if state.asked else None

    @staticmethod
    def _respond(
        state: InterviewState, text: str, concept: Concept | None, kind: str = "opening"
    ) -> InterviewResponse:
        if concept is not None:  # last in `asked`: what "what do you mean?" refers to
            state.asked = [cid for cid in state.asked if cid != concept.id] + [concept.id]
        if kind in COUNTED_KINDS:
            state.questions_in_phase += 1
        state.last_kind = kind
        metadata = {"engine": ENGINE, "kind": kind, "phase": state.phase.value}
        metadata |= {"concept": concept.id} if concept else {}
        return InterviewResponse(content=text, metadata=metadata | state.to_metadata())

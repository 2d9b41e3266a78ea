"""Where the built-in interview stands, rebuilt from the conversation itself.

Every message the built-in interviewer writes carries its state in `metadata["interview"]`, so
the next turn only reads the answers since then: deterministic, O(1) per turn, and intact
after a restart.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from interview_platform.core.interviewer.problems import PHASE_ORDER, Phase
from interview_platform.core.models import Message, Role

STATE_KEY = "interview"
DEFAULT_DURATION_MINUTES = 45
# Minutes into a 45-minute interview by which each phase should be over; scaled to the
# configured duration.
PHASE_DEADLINES = dict(zip(PHASE_ORDER, (5, 9, 14, 19, 27, 33, 38, 42, 45), strict=True))
# The share of the time after which the interviewer wraps up, whatever is left to ask.
WRAP_UP_SHARE = 0.8
# Questions the interviewer may ask in a phase before moving on to the next one.
PHASE_QUESTION_BUDGET = {
    Phase.REQUIREMENTS: 3,
    Phase.HIGH_LEVEL_DESIGN: 3,
    Phase.DEEP_DIVE: 3,
}
DEFAULT_QUESTION_BUDGET = 2


@dataclass(frozen=True)
class Clock:
    """How far into the interview we are, against its configured length."""

    elapsed: float = 0.0
    duration: float = DEFAULT_DURATION_MINUTES

    @classmethod
    def of(cls, elapsed: float, duration: float | None) -> Clock:
        return cls(max(0.0, elapsed), float(duration or DEFAULT_DURATION_MINUTES))

    def deadline(self, phase: Phase) -> float:
        return PHASE_DEADLINES[phase] * self.duration / DEFAULT_DURATION_MINUTES

    @property
    def wrap_up_due(self) -> bool:
        return self.elapsed >= WRAP_UP_SHARE * self.duration

    @property
    def over(self) -> bool:
        return self.elapsed >= self.duration

    @property
    def minutes_left(self) -> int:
        return max(0, round(self.duration - self.elapsed))


@dataclass
class InterviewState:
    phase: Phase = Phase.REQUIREMENTS
    finished: bool = False  # the wrap-up question has been asked
    questions_in_phase: int = 0
    covered: list[str] = field(default_factory=list)  # explained or justified, or stated
    named: list[str] = field(default_factory=list)  # only named so far
    asked: list[str] = field(default_factory=list)
    hinted: list[str] = field(default_factory=list)
    followed_up: list[str] = field(default_factory=list)
    mentioned: dict[str, str] = field(default_factory=dict)  # later points touched on early
    escalations: int = 0
    clarifications: int = 0
    closings: int = 0
    replies: int = 0
    gains: list[int] = field(default_factory=list)  # new concepts per answer with statements
    last_kind: str = ""

    def to_metadata(self) -> dict[str, Any]:
        return {STATE_KEY: asdict(self) | {"phase": self.phase.value}}

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any]) -> InterviewState | None:
        raw = metadata.get(STATE_KEY)
        if not isinstance(raw, dict):
            return None
        known = {k: copy.deepcopy(v) for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**(known | {"phase": Phase(known.get("phase", Phase.REQUIREMENTS))}))

    @property
    def addressed(self) -> set[str]:
        """Concepts not to ask about again: said, named or already asked."""
        return {*self.covered, *self.named, *self.asked}

    @property
    def question_budget(self) -> int:
        return PHASE_QUESTION_BUDGET.get(self.phase, DEFAULT_QUESTION_BUDGET)

    @property
    def turn(self) -> int:
        """The number of replies so far, which picks among wordings."""
        return self.replies

    def credit(self, covered: set[str], named: set[str], said: bool = True) -> set[str]:
        """Record what the latest answers addressed; returns the concepts new to the state
        (a concept named before and explained now counts as new). Answers that only asked
        questions (`said` false) count neither for nor against the candidate's momentum."""
        before = set(self.covered)
        new_covered = covered - before
        new_named = named - covered - before - set(self.named)
        self.covered.extend(sorted(new_covered))
        self.named = [n for n in self.named if n not in new_covered] + sorted(new_named)
        fresh = new_covered | new_named
        if said:
            self.gains.append(len(fresh))
        return fresh

    def enter(self, phase: Phase) -> None:
        self.phase = phase
        self.questions_in_phase = 0

    def next_phase(self) -> Phase | None:
        index = PHASE_ORDER.index(self.phase) + 1
        return PHASE_ORDER[index] if index < len(PHASE_ORDER) else None

    def phase_at(self, clock: Clock) -> Phase:
        """The phase the clock says the interview has reached, at least the current one."""
        index = PHASE_ORDER.index(self.phase)
        while index + 1 < len(PHASE_ORDER) and clock.elapsed > clock.deadline(PHASE_ORDER[index]):
            index += 1
        return PHASE_ORDER[index]

    def overdue(self, clock: Clock) -> bool:
        return clock.elapsed > clock.deadline(self.phase)

    def is_struggling(self) -> bool:
        """The last two answers added nothing new."""
        return len(self.gains) >= 2 and self.gains[-1] == 0 and self.gains[-2] == 0

    def is_strong(self) -> bool:
        """The recent answers keep covering new ground."""
        recent = self.gains[-3:]
        return len(recent) == 3 and sum(recent) >= 5 and min(recent) >= 1


def latest_state(history: Sequence[Message]) -> tuple[InterviewState, list[str]]:
    """The state after the last interviewer message, and the candidate's answers since it."""
    answers: list[str] = []
    for message in reversed(history):
        if message.role is Role.CANDIDATE:
            answers.append(message.content)
            continue
        state = InterviewState.from_metadata(message.metadata)
        if state is not None:
            return state, list(reversed(answers))
    return InterviewState(), list(reversed(answers))


def candidate_answers(history: Sequence[Message]) -> list[str]:
    return [m.content for m in history if m.role is Role.CANDIDATE]

"""Scripted candidates for headless interviews: strong, average, weak, and off-topic.

They answer the interviewer's last question from the problem's own checklist, so a
simulation exercises the whole interview and evaluation without a person or a network.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from interview_platform.core.interviewer.problems import Concept, Phase, ProblemBank
from interview_platform.core.interviewer.selection import checklist
from interview_platform.core.models import Message, ProblemBrief

WEAK_LINES = (
    "Maybe just use a database, not sure.",
    "I guess a server would handle it somehow.",
    "Probably just add more servers or something like that.",
    "Not sure, maybe a cache, kind of.",
)


class CandidateKind(StrEnum):
    STRONG = "strong"
    AVERAGE = "average"
    WEAK = "weak"
    OFF_TOPIC = "off_topic"


class ScriptedCandidate:
    def __init__(
        self,
        kind: CandidateKind,
        brief: ProblemBrief,
        bank: ProblemBank,
        off_topic_slug: str | None = None,
    ) -> None:
        self.kind = kind
        source = bank.get(off_topic_slug) if off_topic_slug else None
        target = (
            brief if source is None else ProblemBrief(source.title, "", brief.level, source.slug)
        )
        self._phases = checklist(bank, target)
        self._concepts = {c.id: c for group in self._phases.values() for c in group}
        self._turn = 0

    def answer(self, history: Sequence[Message]) -> str:
        """The candidate's answer to the interviewer's last message."""
        self._turn += 1
        last = history[-1].metadata if history else {}
        phase = Phase(last.get("phase", Phase.REQUIREMENTS))
        if self.kind is CandidateKind.OFF_TOPIC:
            phase = self._own_phase()
        asked = self._concepts.get(str(last.get("concept", "")))
        focus = [c for c in self._phases.get(phase, []) if c is not asked]
        if self.kind is CandidateKind.WEAK:
            return self._weak(asked)
        if self.kind is CandidateKind.AVERAGE:
            return self._average(asked, focus)
        return self._strong(asked, focus)

    def _own_phase(self) -> Phase:
        phases = list(Phase)
        return phases[min(len(phases) - 1, (self._turn - 1) // 2)]

    def _strong(self, asked: Concept | None, focus: list[Concept]) -> str:
        chosen = ([asked] if asked else []) + focus[:2]
        parts = [
            f"For {c.id.replace('_', ' ')}, I would use {c.synonyms[0]} and {c.synonyms[1]}, "
            "because it keeps the design simple at this scale"
            for c in chosen
        ]
        return ". ".join(parts) + ". The trade-off is extra operational complexity, which I accept."

    def _average(self, asked: Concept | None, focus: list[Concept]) -> str:
        if self._turn % 3 == 0:
            return "I think the main thing is to keep it simple and get something working first."
        concept = asked or (focus[0] if focus else None)
        if concept is None:
            return "I would keep the current design and monitor it."
        return f"I would probably use {concept.synonyms[0]} here since it is a common approach."

    def _weak(self, asked: Concept | None) -> str:
        if asked is not None and self._turn % 4 == 0:
            return f"Maybe {asked.synonyms[0]}, not sure."
        return WEAK_LINES[self._turn % len(WEAK_LINES)]

"""The built-in evaluator: an EvaluationReport from the rubric, offline and deterministic."""

from __future__ import annotations

from collections.abc import Sequence

from interview_platform.core.evaluation.feedback import feedback, improvement_plan
from interview_platform.core.evaluation.report import EvaluationReport, ModeAnalysis
from interview_platform.core.evaluation.rubric import overall, score
from interview_platform.core.interviewer.problems import ProblemBank, default_bank
from interview_platform.core.interviewer.state import candidate_answers, latest_state
from interview_platform.core.models import Message, ProblemBrief
from interview_platform.core.understanding.recognition import ConceptReader, default_reader


class BuiltinEvaluator:
    def __init__(
        self, bank: ProblemBank | None = None, reader: ConceptReader | None = None
    ) -> None:
        self._given_bank = bank
        self._given_reader = reader

    @property
    def _bank(self) -> ProblemBank:
        return self._given_bank or default_bank()

    def evaluate(
        self,
        session_id: str,
        brief: ProblemBrief,
        history: Sequence[Message],
        modes: ModeAnalysis,
    ) -> EvaluationReport:
        answers = candidate_answers(history)
        hinted = set(latest_state(history)[0].hinted)
        reader = self._given_reader or default_reader()
        scoring = score(brief, self._bank, answers, hinted, reader)
        went_well, went_okay, needs_improvement = feedback(scoring)
        return EvaluationReport(
            session_id=session_id,
            overall_score=overall(scoring.scores),
            competency_scores=scoring.scores,
            went_well=went_well,
            went_okay=went_okay,
            needs_improvement=needs_improvement,
            improvement_plan=improvement_plan(scoring),
            communication_mode_analysis=modes,
        )

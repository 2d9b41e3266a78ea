"""EvaluationManager: evaluates a session's interview and keeps the report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from interview_platform.core.evaluation.modes import mode_analysis, stored_mode_analysis
from interview_platform.core.evaluation.report import EvaluationReport, ModeAnalysis
from interview_platform.core.models import Message, ProblemBrief, Session
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.monitoring import AuditLog
from interview_platform.errors import AIProviderError, ValidationError


@dataclass(frozen=True)
class ProgressPoint:
    session_id: str
    evaluated_at: datetime
    overall_score: float
    competency_scores: dict[str, float]


class Evaluator(Protocol):
    def evaluate(
        self,
        session_id: str,
        brief: ProblemBrief,
        history: Sequence[Message],
        modes: ModeAnalysis,
    ) -> EvaluationReport: ...


class EvaluationManager:
    """Evaluates with the session's AI provider when it has one, else (or on failure) built-in."""

    def __init__(
        self,
        data_store: DataStore,
        evaluator: Evaluator,
        logger: AuditLog,
        llm_evaluator_for: Callable[[Session], Evaluator | None] | None = None,
    ) -> None:
        self._store = data_store
        self._evaluator = evaluator
        self._logger = logger
        self._llm_evaluator_for = llm_evaluator_for

    def generate_evaluation(self, session_id: str) -> EvaluationReport:
        """Evaluate the session's conversation and save the report (replacing an older one)."""
        session = self._store.get_session(session_id)
        if session.problem is None:
            raise ValidationError(
                "This session has no problem yet: start the interview before evaluating it."
            )
        history = self._store.get_conversation_history(session.id)
        modes = self.analyze_communication_modes(session.id)
        report = self._evaluate(session, session.problem, history, modes)
        self._store.save_evaluation(report)
        self._logger.info(
            "EvaluationManager",
            "generate_evaluation",
            "evaluation_saved",
            session_id=session.id,
            overall_score=report.overall_score,
        )
        return report

    def _evaluate(
        self,
        session: Session,
        brief: ProblemBrief,
        history: Sequence[Message],
        modes: ModeAnalysis,
    ) -> EvaluationReport:
        llm = self._llm_evaluator_for(session) if self._llm_evaluator_for else None
        if llm is not None:
            try:
                return llm.evaluate(session.id, brief, history, modes)
            except AIProviderError as exc:
                self._logger.log_error(
                    "EvaluationManager",
                    "generate_evaluation",
                    exc,
                    session_id=session.id,
                    context={"fallback": "builtin"},
                )
        return self._evaluator.evaluate(session.id, brief, history, modes)

    def evaluate_transcript(
        self, brief: ProblemBrief, history: Sequence[Message]
    ) -> EvaluationReport:
        """Evaluate a transcript that is not stored (e.g. `interview-platform evaluate`)."""
        modes = mode_analysis(history, {})
        return self._evaluator.evaluate("", brief, history, modes)

    def analyze_communication_modes(self, session_id: str) -> ModeAnalysis:
        return stored_mode_analysis(self._store, session_id)

    def get_evaluation(self, session_id: str) -> EvaluationReport | None:
        """The saved report, its modes counted afresh from the session: reports saved before
        each answer was counted once counted a spoken or drawn answer twice."""
        report = self._store.get_evaluation(session_id)
        if report is not None:
            report.communication_mode_analysis = self.analyze_communication_modes(session_id)
        return report

    def progress(self, user_id: str, limit: int = 100) -> list[ProgressPoint]:
        """The user's evaluated sessions, oldest first: scores over time."""
        points = []
        for summary in self._store.list_sessions(limit, 0, user_id=user_id):
            report = self._store.get_evaluation(summary.id)
            if report is not None:
                scores = {name: s.score for name, s in report.competency_scores.items()}
                points.append(
                    ProgressPoint(summary.id, report.created_at, report.overall_score, scores)
                )
        return sorted(points, key=lambda point: point.evaluated_at)

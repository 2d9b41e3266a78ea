"""AIInterviewer: conducts the interview on the session's engine, within its token budget.

The built-in interviewer serves sessions whose provider is `builtin`, and takes over when an
AI provider keeps failing (after the configured fallback provider) or the session's token
budget is spent; the candidate is told in one line when the engine changes. A provider that
fails after its reply has begun to stream is replaced, not followed: the listener is sent
STREAM_RESET before the next engine's reply, the history keeps only that reply, and its
metadata names the providers that failed first (FALLBACK_FROM).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from interview_platform.core.drawing.analysis import WhiteboardAnalysis
from interview_platform.core.drawing.canvas import analyze_canvas
from interview_platform.core.drawing.findings import WHITEBOARD_PHASES, checklist_for
from interview_platform.core.drawing.vision import OPERATION as WHITEBOARD_OPERATION
from interview_platform.core.drawing.vision import analyze_image
from interview_platform.core.evaluation.llm import LLMEvaluator
from interview_platform.core.interviewer.builtin import BuiltinInterviewer
from interview_platform.core.interviewer.choice import (
    FITTED,
    BankProblem,
    CustomProblem,
    FittedProblem,
    ProblemRequest,
    SurpriseProblem,
    bank_problem,
    custom_problem,
    fitted_problem,
    fitting_problems,
    surprise_problem,
)
from interview_platform.core.interviewer.llm import LLMInterviewer
from interview_platform.core.interviewer.problems import (
    Concept,
    Problem,
    ProblemBank,
    default_bank,
)
from interview_platform.core.models import (
    InterviewResponse,
    JSONDict,
    Message,
    ProblemBrief,
    ResumeData,
    Role,
    Session,
    TokenUsage,
    utc_now,
)
from interview_platform.core.ports.chat import (
    BUILTIN,
    STREAM_RESET,
    ChatProvider,
    ChatResult,
    ProviderLookup,
)
from interview_platform.core.ports.monitoring import AuditLog, UsageRecorder
from interview_platform.errors import (
    AIProviderError,
    ConfigurationError,
    InterviewPlatformError,
    ValidationError,
)

TokenSink = Callable[[str], None]
FALLBACK_FROM = "fallback_from"
"""Reply metadata: the providers that failed before this reply, in order, each with its model,
whether it failed mid-stream (after text was shown, then withdrawn) and how much it streamed."""


class ProviderEvents(Protocol):
    """Who is told of provider calls and failures (e.g. MetricsCollector)."""

    def provider_call(self, provider: str, seconds: float) -> None: ...

    def error(self, component: str) -> None: ...


class AIInterviewer:
    def __init__(
        self,
        *,
        bank: ProblemBank | None = None,
        clock: Callable[[], datetime] = utc_now,
        providers: ProviderLookup | None = None,
        fallback_provider: str | None = None,
        tracker: UsageRecorder | None = None,
        logger: AuditLog | None = None,
        events: ProviderEvents | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._rng = rng if rng is not None else random.Random()
        self._events = events
        self._given_bank = bank
        self._builtin = BuiltinInterviewer(bank)
        self._clock = clock
        self._providers = providers
        self._fallback = fallback_provider
        self._tracker = tracker
        self._logger = logger

    @property
    def _bank(self) -> ProblemBank:
        return self._given_bank or default_bank()

    def generate_problem(
        self,
        resume_data: ResumeData | None,
        request: ProblemRequest = FITTED,
        *,
        recent: Sequence[ProblemBrief] = (),
        session: Session | None = None,
    ) -> ProblemBrief:
        """The problem the candidate asked for (`choice` states the rules); `recent` are the
        problems of the user's recent sessions, which the fitted and surprise choices avoid.

        The fitted problem on an AI provider with a resume is written by the model (the
        design's prompt, told the recent titles); otherwise, or if that fails, it comes from
        the bank.
        """
        match request:
            case FittedProblem():
                return self._fitted(resume_data, recent, session)
            case BankProblem():
                return bank_problem(self._bank, request, resume_data)
            case SurpriseProblem():
                return surprise_problem(self._bank, resume_data, recent, self._rng)
            case CustomProblem():
                return custom_problem(self._bank, request, resume_data)

    def problem_catalogue(self, domains: Sequence[str] = ()) -> list[Problem]:
        """The bank problems sharing one of `domains` (all of them for none), in bank order."""
        return fitting_problems(self._bank, domains)

    def _fitted(
        self,
        resume_data: ResumeData | None,
        recent: Sequence[ProblemBrief],
        session: Session | None,
    ) -> ProblemBrief:
        if session is not None and resume_data is not None:
            titles = [brief.title for brief in recent]
            for engine in self._engines(session):
                try:
                    return engine.generate_problem(resume_data, titles)
                except AIProviderError as exc:
                    self._log_failure(session, exc)
        return fitted_problem(self._bank, resume_data, recent)

    def analyze_whiteboard(
        self, session: Session, png: bytes | None, canvas: Mapping[str, Any] | None
    ) -> WhiteboardAnalysis:
        """What the whiteboard shows: read by a vision model when the session's provider has
        one (tokens recorded as whiteboard_analysis), otherwise from the canvas JSON."""
        checklist = self._whiteboard_checklist(_problem_of(session))
        if png:
            for provider in self._providers_for(session):
                if not provider.supports_vision:
                    continue
                try:
                    analysis, result = analyze_image(
                        png, provider, checklist, _problem_of(session).title
                    )
                except AIProviderError as exc:
                    self._log_failure(session, exc)
                    continue
                self._recorder(session)(WHITEBOARD_OPERATION, result)
                return analysis
        return analyze_canvas(canvas or {}, checklist)

    def _whiteboard_checklist(self, brief: ProblemBrief) -> list[Concept]:
        if brief.slug:
            return checklist_for(self._bank.get(brief.slug))
        return [c for phase in WHITEBOARD_PHASES for c in self._bank.generic.get(phase, [])]

    def check_provider(self, provider: str, model: str | None) -> None:
        """Raise ConfigurationError if a new session could not use `provider` (e.g. no key)."""
        if provider == BUILTIN:
            return
        if self._providers is None:
            raise ConfigurationError(
                f"The AI provider '{provider}' is not available in this app; "
                "choose the built-in interviewer."
            )
        self._providers(provider, model).validate()

    def start_interview(self, session: Session) -> InterviewResponse:
        brief = _problem_of(session)
        for engine in self._engines(session):
            try:
                return engine.opening(brief)
            except AIProviderError as exc:
                self._log_failure(session, exc)
        return self._builtin.opening(brief, session.config.duration_minutes)

    def process_response(
        self, session: Session, history: Sequence[Message], on_token: TokenSink | None = None
    ) -> InterviewResponse:
        """The interviewer's next message, given the conversation so far."""
        brief = _problem_of(session)
        failed: list[JSONDict] = []
        for engine in self._engines(session):
            note = _engine_note(history, engine.provider.name)
            attempt = _Attempt(on_token, f"{note}\n\n" if note else "")
            try:
                response = engine.reply(brief, history, attempt.send)
            except AIProviderError as exc:
                self._log_failure(session, exc)
                failed.append(attempt.failure(engine.provider))
                attempt.discard()
                continue
            return _after_failures(self._announce(history, response), failed)
        elapsed = session.elapsed_seconds(self._clock()) / 60
        duration = session.config.duration_minutes
        reply = self._builtin.reply(brief, history, elapsed, duration)
        response = _after_failures(self._announce(history, reply), failed)
        if on_token is not None:
            on_token(response.content)
        return response

    def evaluator_for(self, session: Session) -> LLMEvaluator | None:
        """An LLM evaluator on the session's provider, or None to use the built-in one."""
        providers = self._providers_for(session)
        return LLMEvaluator(providers[0], self._recorder(session)) if providers else None

    def _engines(self, session: Session) -> list[LLMInterviewer]:
        return [LLMInterviewer(p, self._recorder(session)) for p in self._providers_for(session)]

    def _providers_for(self, session: Session) -> list[ChatProvider]:
        """The providers to try in order; none for built-in sessions or a spent budget."""
        chosen = session.config.ai_provider
        if chosen == BUILTIN or self._providers is None or self._budget_spent(session):
            return []
        names = [chosen] + ([self._fallback] if self._fallback not in (None, chosen) else [])
        providers = []
        for index, name in enumerate(names):
            model = session.config.ai_model if index == 0 else None
            try:
                provider = self._providers(name or "", model)
                provider.validate()
            except InterviewPlatformError as exc:
                self._log_failure(session, exc)
                continue
            providers.append(provider)
        return providers

    def _budget_spent(self, session: Session) -> bool:
        return self._tracker is not None and self._tracker.get_budget(session.id).exhausted

    def _recorder(self, session: Session) -> Callable[[str, ChatResult], TokenUsage]:
        def record(operation: str, result: ChatResult) -> TokenUsage:
            if self._events is not None:
                self._events.provider_call(result.provider, result.duration_ms / 1000)
            if self._tracker is None:
                return TokenUsage(
                    result.input_tokens,
                    result.output_tokens,
                    result.input_tokens + result.output_tokens,
                    0.0,
                    result.provider,
                    result.model,
                    result.usage_estimated,
                    round(result.duration_ms),
                )
            return self._tracker.record_usage(
                session.id,
                operation,
                result.provider,
                result.model,
                result.input_tokens,
                result.output_tokens,
                estimated=result.usage_estimated,
                duration_ms=result.duration_ms,
            )

        return record

    @staticmethod
    def _announce(history: Sequence[Message], response: InterviewResponse) -> InterviewResponse:
        """Prefix one line when the engine differs from the one that spoke last."""
        note = _engine_note(history, response.metadata.get("engine"))
        if not note:
            return response
        return InterviewResponse(
            f"{note}\n\n{response.content}", response.token_usage, response.metadata
        )

    def _log_failure(self, session: Session, exc: InterviewPlatformError) -> None:
        if self._events is not None:
            self._events.error("provider")  # a failure after retries, rate limits included
        if self._logger is not None:
            self._logger.log_error("AIInterviewer", "process_response", exc, session_id=session.id)


class _Attempt:
    """One engine's try at a streamed reply: its text goes on to `sink`, after `prefix` (the
    engine-change note) once the first piece arrives; if the engine fails after streaming,
    `discard` tells the sink to drop what it was shown, since the next engine starts over."""

    def __init__(self, sink: TokenSink | None, prefix: str) -> None:
        self._sink = sink
        self._prefix = prefix
        self._started = False
        self.streamed_chars = 0

    def send(self, token: str) -> None:
        if self._sink is not None and not self._started and self._prefix:
            self._sink(self._prefix)
        self._started = True
        self.streamed_chars += len(token)
        if self._sink is not None:
            self._sink(token)

    def discard(self) -> None:
        if self._started and self._sink is not None:
            self._sink(STREAM_RESET)

    def failure(self, provider: ChatProvider) -> JSONDict:
        """What the reply's metadata keeps of this failed try."""
        return {
            "provider": provider.name,
            "model": provider.model,
            "mid_stream": self._started,
            "streamed_chars": self.streamed_chars,
        }


def _after_failures(response: InterviewResponse, failed: list[JSONDict]) -> InterviewResponse:
    """The reply, its metadata naming the engines that failed first (FALLBACK_FROM), if any."""
    if not failed:
        return response
    metadata = {**response.metadata, FALLBACK_FROM: failed}
    return InterviewResponse(response.content, response.token_usage, metadata)


def _engine_note(history: Sequence[Message], engine: object) -> str:
    """The one line that says the engine changed since the interviewer last spoke, or ""."""
    previous = next(
        (m.metadata.get("engine") for m in reversed(history) if m.role is Role.INTERVIEWER),
        None,
    )
    if previous is None or previous == engine:
        return ""
    if engine == BUILTIN:
        return (
            "(The AI provider is unavailable or the token budget is spent, so the built-in "
            "interviewer continues from here.)"
        )
    return f"(Continuing with {engine}.)"


def _problem_of(session: Session) -> ProblemBrief:
    if session.problem is None:
        raise ValidationError("The session has no problem yet; start the interview first.")
    return session.problem

"""What the core asks of monitoring: an audit log and a token-usage recorder.

The implementations (LoggingManager, TokenTracker) live in `interview_platform.monitoring`;
the core sees only these protocols, so it never imports them.
"""

from __future__ import annotations

from typing import Any, Protocol

from interview_platform.core.models import TokenUsage


class AuditLog(Protocol):
    """Structured operation logs (LoggingManager)."""

    def info(self, component: str, operation: str, message: str, **fields: Any) -> None: ...

    def warning(self, component: str, operation: str, message: str, **fields: Any) -> None: ...

    def log_error(
        self,
        component: str,
        operation: str,
        error: BaseException,
        session_id: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> None: ...


class Budget(Protocol):
    """A session's token budget as the interviewer needs it."""

    @property
    def exhausted(self) -> bool: ...


class UsageRecorder(Protocol):
    """Records every AI call's tokens (TokenTracker) and knows each session's budget."""

    def get_budget(self, session_id: str) -> Budget: ...

    def record_usage(
        self,
        session_id: str,
        operation: str,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        *,
        estimated: bool = False,
        duration_ms: float | None = None,
    ) -> TokenUsage: ...

    def record_user_usage(
        self,
        user_id: str,
        operation: str,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        *,
        estimated: bool = False,
        duration_ms: float | None = None,
    ) -> TokenUsage: ...

"""The domain model: plain dataclasses that know nothing of databases, LLMs or the UI."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID, uuid4

from interview_platform.errors import InvalidTransitionError, ValidationError

JSONDict = dict[str, Any]


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def levels_at_or_above(level: str) -> list[str]:
    """The log levels at `level` or more severe."""
    if level.upper() not in LOG_LEVELS:
        raise ValidationError(f"Unknown log level '{level}'; use one of {', '.join(LOG_LEVELS)}.")
    return list(LOG_LEVELS[LOG_LEVELS.index(level.upper()) :])


def new_session_id() -> str:
    return str(uuid4())


def validate_session_id(session_id: str) -> str:
    """Return the canonical form of a session id, refusing anything that is not a UUID."""
    try:
        return str(UUID(str(session_id)))
    except ValueError:
        shown = str(session_id)[:40]
        raise ValidationError(
            f"'{shown}' is not a session id; session ids are UUIDs such as "
            "'550e8400-e29b-41d4-a716-446655440000'."
        ) from None


Choice = TypeVar("Choice", bound=StrEnum)


def parse_choice(kind: type[Choice], value: str, noun: str) -> Choice:
    """`value` as a member of the enum `kind`, or ValidationError naming the choices."""
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise ValidationError(f"'{str(value)[:30]}' is not a {noun}; use one of {known}.") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` as it can be stored, logged and written: a lone UTF-16 surrogate (which no
    encoder accepts; a browser or a JSON escape can send one) becomes U+FFFD, a split pair is
    joined. Every text a person gives passes through here where it enters a service."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def validate_user_id(user_id: str) -> str:
    """Return the user id without surrounding spaces, refusing an empty or overlong one."""
    owner = clean_text(user_id).strip()
    if not owner or len(owner) > 100:
        raise ValidationError("A user id must be 1 to 100 characters.")
    return owner


class CommunicationMode(StrEnum):
    AUDIO = "audio"
    VIDEO = "video"
    WHITEBOARD = "whiteboard"
    SCREEN_SHARE = "screen_share"
    TEXT = "text"


class SessionStatus(StrEnum):
    """Where a session is in its life; `created` is the state before `start`."""

    CREATED = "created"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"


class ExperienceLevel(StrEnum):
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"


class MediaType(StrEnum):
    AUDIO = "audio"
    VIDEO = "video"
    WHITEBOARD = "whiteboard"
    SCREEN = "screen"


@dataclass(frozen=True)
class WorkExperience:
    company: str
    title: str
    duration: str
    description: str = ""


@dataclass(frozen=True)
class Education:
    institution: str
    degree: str
    field: str = ""
    year: str = ""


@dataclass
class ResumeData:
    user_id: str
    name: str
    email: str
    experience_level: ExperienceLevel
    years_of_experience: int
    domain_expertise: list[str]
    work_experience: list[WorkExperience] = field(default_factory=list)
    education: list[Education] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    raw_text: str = ""

    def __post_init__(self) -> None:
        if not self.user_id.strip():
            raise ValidationError("A resume needs a user id.")
        if not 0 <= self.years_of_experience <= 70:
            raise ValidationError(
                f"Years of experience must be between 0 and 70, got {self.years_of_experience}."
            )


@dataclass
class SessionConfig:
    enabled_modes: list[CommunicationMode]
    ai_provider: str
    ai_model: str
    resume_data: ResumeData | None = None
    duration_minutes: int | None = None

    def __post_init__(self) -> None:
        if not self.ai_provider.strip() or not self.ai_model.strip():
            raise ValidationError("Choose an AI provider and a model for the session.")
        if self.duration_minutes is not None and not 5 <= self.duration_minutes <= 180:
            raise ValidationError(
                "The interview duration must be between 5 and 180 minutes, "
                f"got {self.duration_minutes}."
            )
        if CommunicationMode.TEXT not in self.enabled_modes:
            self.enabled_modes = [CommunicationMode.TEXT, *self.enabled_modes]
        self.enabled_modes = list(dict.fromkeys(self.enabled_modes))


_TRANSITIONS: dict[SessionStatus, frozenset[SessionStatus]] = {
    SessionStatus.CREATED: frozenset({SessionStatus.ACTIVE, SessionStatus.COMPLETED}),
    SessionStatus.ACTIVE: frozenset({SessionStatus.PAUSED, SessionStatus.COMPLETED}),
    SessionStatus.PAUSED: frozenset({SessionStatus.ACTIVE, SessionStatus.COMPLETED}),
    SessionStatus.COMPLETED: frozenset(),
}


@dataclass
class Session:
    id: str
    user_id: str
    created_at: datetime
    status: SessionStatus
    config: SessionConfig
    ended_at: datetime | None = None
    started_at: datetime | None = None
    paused_at: datetime | None = None
    paused_seconds: float = 0.0
    problem: ProblemBrief | None = None
    # How many writes the store has committed to this session; the store sets it, and a
    # compare-and-set writes only over the version it was read at (two tabs, one winner).
    version: int = field(default=0, compare=False)

    def can_move_to(self, target: SessionStatus) -> bool:
        return target in _TRANSITIONS[self.status]

    def move_to(self, target: SessionStatus, now: datetime) -> None:
        """Apply a state transition, keeping the timing fields consistent."""
        if not self.can_move_to(target):
            allowed = sorted(s.value for s in _TRANSITIONS[self.status])
            hint = f"it can become: {', '.join(allowed)}" if allowed else "start a new session"
            raise InvalidTransitionError(
                f"Session {self.id} is {self.status.value} and cannot become "
                f"{target.value}; {hint}."
            )
        if self.status is SessionStatus.PAUSED and self.paused_at is not None:
            self.paused_seconds += (now - self.paused_at).total_seconds()
            self.paused_at = None
        if target is SessionStatus.ACTIVE and self.started_at is None:
            self.started_at = now
        if target is SessionStatus.PAUSED:
            self.paused_at = now
        if target is SessionStatus.COMPLETED:
            self.ended_at = now
        self.status = target

    def elapsed_seconds(self, now: datetime) -> float:
        """Interview time so far, not counting pauses."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at or self.paused_at or now
        return max(0.0, (end - self.started_at).total_seconds() - self.paused_seconds)

    @property
    def is_open(self) -> bool:
        """Active or paused: the session can still be continued."""
        return self.status in (SessionStatus.ACTIVE, SessionStatus.PAUSED)


@dataclass(frozen=True)
class SessionSummary:
    id: str
    user_id: str
    status: SessionStatus
    created_at: datetime
    ended_at: datetime | None
    ai_provider: str
    ai_model: str
    message_count: int
    overall_score: float | None


@dataclass
class Message:
    role: Role
    content: str
    timestamp: datetime = field(default_factory=utc_now)
    metadata: JSONDict = field(default_factory=dict)


@dataclass
class MediaFile:
    file_type: MediaType
    file_path: str
    file_size_bytes: int
    timestamp: datetime = field(default_factory=utc_now)
    metadata: JSONDict = field(default_factory=dict)


@dataclass(frozen=True)
class TokenUsage:
    """One AI call's usage (or a sum of calls). `estimated_cost` is USD at the price in force
    when the call was made, filled in by TokenTracker when usage is read: the stores keep no
    cost, so usage read straight from a store has 0 there."""

    input_tokens: int
    output_tokens: int
    total_tokens: int
    estimated_cost: float
    provider: str = ""
    model: str = ""
    estimated: bool = False
    """The token counts are an estimate (about four characters a token): the provider reported
    none for the call. A sum is estimated when any of its calls is."""
    duration_ms: int | None = None
    """How long the call took; None when unknown (calls recorded before it was kept)."""

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            estimated_cost=self.estimated_cost + other.estimated_cost,
            provider=_merged_label(self.provider, other.provider),
            model=_merged_label(self.model, other.model),
            estimated=self.estimated or other.estimated,
            duration_ms=_known_sum(self.duration_ms, other.duration_ms),
        )


def _known_sum(first: int | None, second: int | None) -> int | None:
    """The sum of the known durations; None when neither is known."""
    if first is None or second is None:
        return second if first is None else first
    return first + second


def _merged_label(first: str, second: str) -> str:
    """The common label of two usages; "mixed" when they differ and neither is blank."""
    if not first or not second or first == second:
        return first or second
    return "mixed"


ZERO_USAGE = TokenUsage(0, 0, 0, 0.0)


@dataclass(frozen=True)
class InterviewResponse:
    """What the interviewer says next, what it cost, and notes kept with the message."""

    content: str
    token_usage: TokenUsage = ZERO_USAGE
    metadata: JSONDict = field(default_factory=dict)


@dataclass(frozen=True)
class ProblemBrief:
    """The problem a session is about; `slug` is None for a problem outside the bank."""

    title: str
    statement: str
    level: ExperienceLevel
    slug: str | None = None


@dataclass(frozen=True)
class TokenUsageRecord:
    """One AI call's usage, as stored in `token_usage`: a session's, or (for calls made
    before a session exists, such as resume parsing) a user's."""

    session_id: str | None
    operation: str
    usage: TokenUsage
    timestamp: datetime = field(default_factory=utc_now)
    user_id: str | None = None

    def __post_init__(self) -> None:
        if self.session_id is None and not (self.user_id or "").strip():
            raise ValidationError("Token usage belongs to a session or a user; give one.")


@dataclass(frozen=True)
class SessionTokenUsage:
    total_input_tokens: int
    total_output_tokens: int
    total_tokens: int
    total_cost: float
    breakdown_by_operation: dict[str, TokenUsage]
    estimated: bool = False
    """Some of the tokens (and so the cost) are estimates: a provider reported none for a call."""


@dataclass(frozen=True)
class LogEntry:
    timestamp: datetime
    level: str
    component: str
    operation: str
    message: str
    session_id: str | None = None
    metadata: JSONDict = field(default_factory=dict)
    stack_trace: str | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class Account:
    """A user who signs in with a password (password mode); only the argon2 hash is kept."""

    user_id: str
    password_hash: str = field(repr=False)
    created_at: datetime = field(default_factory=utc_now)

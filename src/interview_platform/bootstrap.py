"""The composition root: the only place that builds the object graph.

Entry points (the CLI, the Streamlit app) call `bootstrap()`; tests call it with fakes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from interview_platform.communication.audio import AudioHandler
from interview_platform.communication.manager import CommunicationManager
from interview_platform.communication.media import MediaHandler
from interview_platform.communication.term_correction import CorrectingTranscriber
from interview_platform.communication.transcribers import choose_transcriber
from interview_platform.communication.whiteboard import WhiteboardHandler
from interview_platform.config import Settings, load_settings, secret_looking_values
from interview_platform.core.accounts import AccountService, SignedTokens, kept_secret
from interview_platform.core.ai_interviewer import AIInterviewer
from interview_platform.core.evaluation.builtin import BuiltinEvaluator
from interview_platform.core.evaluation.manager import EvaluationManager
from interview_platform.core.models import utc_now
from interview_platform.core.ownership import UserScope
from interview_platform.core.ports.chat import BUILTIN, ProviderLookup
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.files import MB
from interview_platform.core.pricing import PriceTable
from interview_platform.core.resume.reading import ResumeLimits
from interview_platform.core.resume_manager import ResumeManager
from interview_platform.core.session_manager import Interviewer, SessionManager
from interview_platform.core.work_queue import JobKind, WorkQueue
from interview_platform.monitoring.alerts import AlertMonitor
from interview_platform.monitoring.health import HealthChecker, HealthSnapshot
from interview_platform.monitoring.logging_manager import LoggingConfig, LoggingManager
from interview_platform.monitoring.metrics import MetricsCollector
from interview_platform.monitoring.token_tracker import TokenTracker
from interview_platform.providers.pool import ProviderPool
from interview_platform.providers.registry import ProviderRegistry, default_registry
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.file_storage import FileStorage, StorageLimits
from interview_platform.storage.sql_store import SQLDataStore

SHUTDOWN_GRACE_SECONDS = 30.0  # for queued transcriptions, evaluations and snapshots to finish


@dataclass
class Services:
    settings: Settings
    data_store: DataStore
    logger: LoggingManager
    file_storage: FileStorage
    token_tracker: TokenTracker
    ai_interviewer: AIInterviewer
    whiteboard: WhiteboardHandler
    audio: AudioHandler
    media: MediaHandler
    communication: CommunicationManager
    resume_manager: ResumeManager
    evaluation_manager: EvaluationManager
    session_manager: SessionManager
    health: HealthChecker
    health_snapshot: HealthSnapshot
    metrics: MetricsCollector
    alerts: AlertMonitor
    work_queue: WorkQueue
    accounts: AccountService
    provider_registry: ProviderRegistry

    def close(self) -> None:
        left = self.work_queue.shutdown(timeout=SHUTDOWN_GRACE_SECONDS)
        if left:
            self.logger.warning(
                "work_queue", "shutdown", f"{left} queued jobs were dropped unrun at shutdown"
            )
        self.logger.close()
        self.data_store.close()

    def scope(self, user_id: str) -> UserScope:
        """What `user_id` may reach: their sessions, evaluations and files."""
        return UserScope(
            user_id,
            self.session_manager,
            self.evaluation_manager,
            self.data_store,
            self.file_storage,
            self.work_queue,
        )

    def provider_options(self) -> dict[str, str]:
        """The providers a new session may use, each with its default model."""
        registry = self.provider_registry
        configured = registry.available(self.settings)
        return {
            BUILTIN: "rubric",
            **{name: registry.model_for(name, self.settings) for name in configured},
        }


def logging_config(
    settings: Settings, *, console: bool = True, registry: ProviderRegistry | None = None
) -> LoggingConfig:
    return LoggingConfig(
        level=settings.log_level,
        console=console,
        to_file=settings.log_to_file,
        file_path=settings.log_file_path,
        file_format=settings.log_format,
        max_bytes=settings.log_max_bytes,
        backup_count=settings.log_backup_count,
        to_db=settings.log_to_db,
        db_level=settings.log_db_level,
        secrets=secrets_of(settings, registry),
    )


def resume_limits(settings: Settings) -> ResumeLimits:
    storage = settings.storage
    return ResumeLimits(
        max_bytes=int(storage.resume_max_size_mb * MB),
        max_pages=storage.resume_max_pages,
        max_content_bytes=int(storage.resume_pdf_max_content_mb * MB),
        max_seconds=storage.resume_pdf_max_seconds,
        max_memory_bytes=storage.resume_pdf_max_memory_mb * MB,
        max_parallel=storage.resume_pdf_max_parallel,
    )


def secrets_of(settings: Settings, registry: ProviderRegistry | None = None) -> tuple[str, ...]:
    """What the logs must never show: every provider plug-in's keys, the sign-in secret,
    the database password (so a logged database URL reads `user:***@host`) and any value set
    under a secret-looking name (`*_TOKEN`, `*_KEY`, ...) or as a URL's password."""
    found = list((registry or default_registry()).secrets(settings))
    found += secret_looking_values()
    if settings.auth.secret is not None:
        found.append(settings.auth.secret.get_secret_value())
    password = database_password(settings.database_url)
    if password:
        found += [password, quote(password, safe="")]
    return tuple(found)


def database_password(url: str) -> str | None:
    """The password in a database URL; None without one, or when it is no URL (the engine
    refuses that one with the reason)."""
    try:
        password = make_url(url).password if url else None
    except ArgumentError:
        return None
    return str(password) if password else None


def build_accounts(
    settings: Settings,
    store: DataStore,
    clock: Callable[[], datetime],
    logger: LoggingManager | None = None,
) -> AccountService:
    """Password mode's accounts and sign-in tokens (signed with AUTH__SECRET, or the secret
    kept in the data directory)."""
    tokens = SignedTokens(auth_secret(settings), timedelta(hours=settings.auth.session_hours))
    return AccountService(
        store,
        tokens,
        min_password_length=settings.auth.min_password_length,
        clock=clock,
        logger=logger,
    )


def auth_secret(settings: Settings) -> bytes:
    """AUTH__SECRET; in password mode without it, the one kept in DATA_DIR/auth_secret (made
    on first use, shared by the processes on that directory); else a per-process one."""
    if settings.auth.secret is not None:
        return settings.auth.secret.get_secret_value().encode()
    if settings.auth.mode == "password":
        return kept_secret(settings.data_dir / "auth_secret")
    return secrets.token_bytes(32)


def build_work_queue(settings: Settings, logger: LoggingManager) -> WorkQueue:
    """The process's worker pool; the offline speech model transcribes one recording at a time."""
    return WorkQueue(
        settings.worker_pool_size,
        settings.worker_queue_limit,
        kind_limits={JobKind.TRANSCRIPTION: 1},
        on_unexpected=lambda kind, exc: logger.log_error("work_queue", kind.value, exc),
    )


def build_data_store(
    settings: Settings, on_query: Callable[[float], None] | None = None
) -> SQLDataStore:
    engine = create_database_engine(settings.effective_database_url, settings.database)
    return SQLDataStore(engine, on_query=on_query)


def bootstrap(
    settings: Settings | None = None,
    *,
    data_store: DataStore | None = None,
    interviewer: Interviewer | None = None,
    provider_factory: ProviderLookup | None = None,
    migrate: bool = True,
    console_logs: bool = True,
    clock: Callable[[], datetime] | None = None,
) -> Services:
    """Build every service from settings; pass fakes to replace the real parts.

    `clock` is the interview's time (session and message timestamps, the interviewer's pacing);
    the real UTC clock unless given, e.g. a simulated one for a headless interview.
    """
    settings = settings or load_settings()
    now = clock if clock is not None else utc_now
    metrics = MetricsCollector()
    store = data_store if data_store is not None else build_data_store(settings, metrics.db_query)
    if migrate:
        store.initialize_schema()
    registry = default_registry()
    logger = LoggingManager(
        logging_config(settings, console=console_logs, registry=registry), store
    )
    metrics.logger = logger
    limits = StorageLimits(
        audio_max_bytes=settings.communication.audio_max_size_mb * MB,
        video_max_bytes=settings.communication.video_max_size_mb * MB,
        session_max_bytes=settings.storage.max_session_size_mb * MB,
    )
    tracker = TokenTracker(
        store,
        PriceTable(registry.prices(), settings.ai.pricing),
        max_tokens_per_session=settings.max_tokens_per_session,
        warning_threshold=settings.token_budget_warning_threshold,
        logger=logger,
        on_usage=metrics.record_usage,
    )
    providers = (
        provider_factory if provider_factory is not None else ProviderPool(settings, registry)
    )
    ai = AIInterviewer(
        providers=providers,
        fallback_provider=settings.ai.fallback_provider,
        tracker=tracker,
        logger=logger,
        events=metrics,
        clock=now,
    )
    evaluations = EvaluationManager(
        store, BuiltinEvaluator(), logger, llm_evaluator_for=ai.evaluator_for
    )
    files = FileStorage(settings.data_dir, store, limits)
    sessions = SessionManager(
        store,
        logger,
        interviewer=interviewer if interviewer is not None else ai,
        evaluations=evaluations,
        default_user_id=settings.default_user_id,
        file_storage=files,
        events=metrics,
        clock=now,
    )
    work_queue = build_work_queue(settings, logger)
    whiteboard = WhiteboardHandler(files, sessions, ai, store, work_queue)
    resumes = ResumeManager(
        store,
        logger,
        limits=resume_limits(settings),
        providers=providers,
        tracker=tracker,
    )
    health = HealthChecker(settings, store, registry)
    snapshot = HealthSnapshot(health, ttl=settings.monitoring.health_check_interval_seconds)
    return Services(
        settings=settings,
        data_store=store,
        logger=logger,
        file_storage=files,
        whiteboard=whiteboard,
        audio=AudioHandler(
            files,
            sessions,
            CorrectingTranscriber(choose_transcriber(settings)),
            work_queue,
            on_transcribed=metrics.transcription,
            max_seconds=settings.communication.audio_max_minutes * 60,
        ),
        media=MediaHandler(files, settings.communication),
        communication=CommunicationManager(store, whiteboard, logger),
        token_tracker=tracker,
        ai_interviewer=ai,
        resume_manager=resumes,
        evaluation_manager=evaluations,
        session_manager=sessions,
        health=health,
        health_snapshot=snapshot,
        metrics=metrics,
        alerts=AlertMonitor(
            logger,
            metrics,
            snapshot,
            settings,
            tracker=tracker,
            breaker_states=providers.breaker_states
            if isinstance(providers, ProviderPool)
            else None,
        ),
        work_queue=work_queue,
        accounts=build_accounts(settings, store, utc_now, logger),
        provider_registry=registry,
    )

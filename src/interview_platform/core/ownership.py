"""UserScope: one user's sessions, evaluations and files, and nobody else's.

The app reaches a session's data only through this scope, so a session id or file name typed
into a URL, or kept from another account, leads nowhere: another user's session reads as
not found, with the same message as one that never existed (which says nothing about it).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Protocol

from interview_platform.core.evaluation.manager import EvaluationManager
from interview_platform.core.evaluation.report import EvaluationReport
from interview_platform.core.models import MediaFile, MediaType, Message, ResumeData, Session
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.session_manager import SessionManager
from interview_platform.core.work_queue import Job, JobKind, WorkQueue
from interview_platform.errors import InterviewPlatformError, NotFoundError, ValidationError

NOT_YOURS = (
    "That interview is not one of yours, or it no longer exists. "
    "Open one of your interviews from History."
)


class StoredFiles(Protocol):
    """Where media files live (FileStorage)."""

    def get_file_path(self, session_id: str, file_type: str, filename: str) -> str: ...

    def resolve(self, media: MediaFile) -> Path: ...


class UserScope:
    """What `user_id` may read, change and delete; anything else raises NotFoundError."""

    def __init__(
        self,
        user_id: str,
        sessions: SessionManager,
        evaluations: EvaluationManager,
        store: DataStore,
        files: StoredFiles,
        queue: WorkQueue | None = None,
    ) -> None:
        self.user_id = user_id
        self._sessions = sessions
        self._evaluations = evaluations
        self._store = store
        self._files = files
        self._queue = queue

    def session(self, session_id: str) -> Session:
        """The session, if it is this user's; NotFoundError (NOT_YOURS) otherwise."""
        try:
            session = self._sessions.get_session(session_id)
        except (NotFoundError, ValidationError):
            raise NotFoundError(NOT_YOURS) from None
        if session.user_id != self.user_id:
            raise NotFoundError(NOT_YOURS)
        return session

    def owns(self, session_id: str) -> bool:
        try:
            self.session(session_id)
        except InterviewPlatformError:
            return False
        return True

    def conversation(self, session_id: str) -> list[Message]:
        return self._sessions.get_conversation(self.session(session_id).id)

    def evaluation(self, session_id: str) -> EvaluationReport | None:
        return self._evaluations.get_evaluation(self.session(session_id).id)

    def evaluate(self, session_id: str) -> EvaluationReport:
        return self._sessions.evaluate_session(self.session(session_id).id)

    def queue_evaluation(self, session_id: str) -> Job[EvaluationReport]:
        """Evaluate the session on the worker pool; the job says when the report is ready."""
        sid = self.session(session_id).id
        if self._queue is None:
            raise ValidationError("This app has no worker pool to evaluate on.")
        return self._queue.submit(JobKind.EVALUATION, sid, partial(self.evaluate, sid))

    def end(self, session_id: str, *, expected_version: int | None = None) -> Session:
        sid = self.session(session_id).id
        return self._sessions.end_session(sid, expected_version=expected_version)

    def delete(self, session_id: str) -> None:
        """Delete the session with its transcript, evaluation, recordings and snapshots."""
        self._sessions.delete_session(self.session(session_id).id)

    def media(self, session_id: str, file_type: MediaType | None = None) -> list[MediaFile]:
        return self._store.list_media(self.session(session_id).id, file_type)

    def media_path(self, media: MediaFile, session_id: str) -> Path:
        """Where a media row of this user's session is on disk."""
        if media not in self.media(session_id, media.file_type):
            raise NotFoundError(NOT_YOURS)
        return self._files.resolve(media)

    def media_file(self, session_id: str, file_type: MediaType, filename: str) -> Path:
        """A stored file of this user's session, by name; names of other folders are refused."""
        sid = self.session(session_id).id
        return Path(self._files.get_file_path(sid, file_type.value, filename))

    def resume(self) -> ResumeData | None:
        return self._store.get_resume(self.user_id)

"""Whiteboard snapshots: the PNG and its canvas JSON stored at once, then analysed and put to
the interviewer as part of the candidate's answer on the worker pool, so the interview builds
on the drawing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from interview_platform.core.drawing.analysis import WhiteboardAnalysis
from interview_platform.core.drawing.findings import describe
from interview_platform.core.interviewer.phrasing import DRAWING_MARKER
from interview_platform.core.models import MediaType, Message, Session, SessionStatus
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.files import FileStore
from interview_platform.core.session_manager import SessionManager
from interview_platform.core.work_queue import Job, JobKind, WorkQueue
from interview_platform.errors import InvalidTransitionError, ServerBusyError, ValidationError

MAX_CANVAS_JSON_CHARS = 2_000_000
SOURCE = "whiteboard"


class WhiteboardAnalyzer(Protocol):
    def analyze_whiteboard(
        self, session: Session, png: bytes | None, canvas: Mapping[str, Any] | None
    ) -> WhiteboardAnalysis: ...


@dataclass(frozen=True)
class Snapshot:
    filename: str
    analysis: WhiteboardAnalysis
    note: str  # what the interviewer sees on the board, in a sentence or two
    answer: Message | None  # None for an empty board: nothing to discuss yet
    reply: Message | None


@dataclass(frozen=True)
class SavedDrawing:
    """The drawing of a session's last snapshot: the canvas JSON to draw the board again."""

    canvas: dict[str, Any]
    saved_at: datetime
    filename: str


class WhiteboardHandler:
    def __init__(
        self,
        file_storage: FileStore,
        sessions: SessionManager,
        analyzer: WhiteboardAnalyzer,
        data_store: DataStore,
        work_queue: WorkQueue,
    ) -> None:
        self._queue = work_queue
        self._files = file_storage
        self._sessions = sessions
        self._analyzer = analyzer
        self._store = data_store

    def last_drawing(self, session_id: str) -> SavedDrawing | None:
        """The canvas of the session's last snapshot, or None if there is none or it was
        blank (a board cleared, then saved, stays clear)."""
        snapshots = self._store.list_media(session_id, MediaType.WHITEBOARD)
        if not snapshots:
            return None
        last = snapshots[-1]
        canvas = last.metadata.get("canvas")
        if not isinstance(canvas, dict) or not canvas.get("objects"):
            return None
        return SavedDrawing(canvas, last.timestamp, Path(last.file_path).name)

    def save_snapshot(
        self, session_id: str, png: bytes, canvas: Mapping[str, Any] | None = None
    ) -> Snapshot:
        """`submit_snapshot`, waiting for the interviewer's reaction."""
        return self.submit_snapshot(session_id, png, canvas).result()

    def submit_snapshot(
        self, session_id: str, png: bytes, canvas: Mapping[str, Any] | None = None
    ) -> Job[Snapshot]:
        """Store `whiteboard/snapshot_NNN.png` with its canvas JSON now; analyse it and let
        the interviewer react to what it shows on the worker pool (the drawing joins the
        candidate's answers)."""
        session = self._sessions.get_session(session_id)
        if session.status is not SessionStatus.ACTIVE:
            raise InvalidTransitionError(
                f"Session {session.id} is {session.status.value}; resume it to save snapshots."
            )
        canvas_json = _canvas_json(canvas)
        path = self._files.save_whiteboard(session.id, png, {"canvas": canvas_json})
        filename = Path(path).name
        try:
            return self._queue.submit(
                JobKind.WHITEBOARD,
                session.id,
                lambda: self._discuss(session.id, filename, png, canvas_json),
            )
        except ServerBusyError as exc:
            raise ServerBusyError(f"{exc} The snapshot is saved; save it again then.") from exc

    def _discuss(
        self, session_id: str, filename: str, png: bytes, canvas: dict[str, Any]
    ) -> Snapshot:
        session = self._sessions.get_session(session_id)  # as it is now, after the wait
        analysis = self._analyzer.analyze_whiteboard(session, png, canvas)
        note = describe(analysis)
        if analysis.is_empty:
            return Snapshot(filename, analysis, note, None, None)
        answer, reply = self._sessions.submit_answer(
            session.id,
            drawing_as_answer(analysis),
            metadata={"source": SOURCE, "media": filename, "analysis": analysis.to_dict()},
        )
        return Snapshot(filename, analysis, note, answer, reply)


def drawing_as_answer(analysis: WhiteboardAnalysis) -> str:
    """The drawing in words, as the candidate's turn: what is on the board and how it connects."""
    parts = [f"{DRAWING_MARKER} Components: {', '.join(analysis.components_identified)}."]
    if analysis.relationships:
        parts.append(f"Connections: {'; '.join(analysis.relationships)}.")
    return " ".join(parts)


def _canvas_json(canvas: Mapping[str, Any] | None) -> dict[str, Any]:
    if canvas is None:
        return {}
    if not isinstance(canvas, Mapping):
        raise ValidationError("The whiteboard's canvas data must be a JSON object.")
    try:
        text = json.dumps(canvas)
    except (TypeError, ValueError) as exc:
        raise ValidationError("The whiteboard's canvas data is not valid JSON.") from exc
    if len(text) > MAX_CANVAS_JSON_CHARS:
        raise ValidationError("The whiteboard drawing is too large to save; clear some of it.")
    loaded: dict[str, Any] = json.loads(text)
    return loaded

"""How the candidate's answers were given (typed, spoken, drawn), counted from the stored
session: the report's communication-mode analysis and the interview page's mode counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath

from interview_platform.core.evaluation.report import ModeAnalysis
from interview_platform.core.models import Message, Role
from interview_platform.core.ports.data_store import DataStore


def stored_mode_analysis(store: DataStore, session_id: str) -> ModeAnalysis:
    """`mode_analysis` of a stored session: each answer once, whether typed, spoken or drawn;
    a stored file counts only when no answer came from it (say a recording with no words)."""
    history = store.get_conversation_history(session_id)
    answered = {_answer_file(m) for m in history if m.role is Role.CANDIDATE}
    files = Counter(
        m.file_type.value
        for m in store.list_media(session_id)
        if (m.file_type.value, PurePath(m.file_path).name) not in answered
    )
    return mode_analysis(history, dict(files))


def _answer_file(message: Message) -> tuple[str, str] | None:
    """(mode, file name) of the stored file an answer came from, if any."""
    media = message.metadata.get("media")
    return (_source(message), str(media)) if media else None


def _source(message: Message) -> str:
    return str(message.metadata.get("source", "text"))


def mode_analysis(history: Sequence[Message], files: dict[str, int]) -> ModeAnalysis:
    """How many answers each mode carried (`files`: stored files no answer came from), and
    what that suggests."""
    answers = [m for m in history if m.role is Role.CANDIDATE]
    usage = Counter(_source(m) for m in answers)
    usage.update(files)
    notes = []
    if not answers:
        notes.append("No answers were recorded.")
    if usage.get("whiteboard", 0) == 0:
        notes.append("No whiteboard snapshot was saved; a diagram makes a design easier to follow.")
    spoken = usage.get("audio", 0)
    if spoken:
        notes.append(
            f"{spoken} answer was spoken." if spoken == 1 else f"{spoken} answers were spoken."
        )
    return ModeAnalysis(dict(usage), notes)

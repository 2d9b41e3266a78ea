"""CommunicationManager: which modes a session uses, and the handlers that carry them."""

from __future__ import annotations

from interview_platform.communication.whiteboard import WhiteboardHandler
from interview_platform.core.evaluation.modes import stored_mode_analysis
from interview_platform.core.models import CommunicationMode, parse_choice
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import DataStoreError, ValidationError
from interview_platform.monitoring.logging_manager import LoggingManager

COMPONENT = "CommunicationManager"
WRITE_ATTEMPTS = 5


class CommunicationManager:
    def __init__(
        self, data_store: DataStore, whiteboard: WhiteboardHandler, logger: LoggingManager
    ) -> None:
        self._store = data_store
        self.whiteboard = whiteboard
        self._logger = logger

    def get_enabled_modes(self, session_id: str) -> list[CommunicationMode]:
        return list(self._store.get_session(session_id).config.enabled_modes)

    def enable_mode(
        self, session_id: str, mode: CommunicationMode | str
    ) -> list[CommunicationMode]:
        """Turn a mode on for the session (saved with it); returns the modes now enabled."""
        return self._set(session_id, parse_choice(CommunicationMode, mode, "mode"), enabled=True)

    def disable_mode(
        self, session_id: str, mode: CommunicationMode | str
    ) -> list[CommunicationMode]:
        chosen = parse_choice(CommunicationMode, mode, "mode")
        if chosen is CommunicationMode.TEXT:
            raise ValidationError("Text stays on: it is how you can always answer.")
        return self._set(session_id, chosen, enabled=False)

    def mode_usage(self, session_id: str) -> dict[str, int]:
        """How many answers each mode carried, each counted once (see stored_mode_analysis)."""
        return stored_mode_analysis(self._store, session_id).mode_usage

    def _set(
        self, session_id: str, mode: CommunicationMode, *, enabled: bool
    ) -> list[CommunicationMode]:
        modes = self._write_modes(session_id, mode, enabled=enabled)
        self._logger.info(
            COMPONENT,
            "enable_mode" if enabled else "disable_mode",
            f"{mode.value} {'on' if enabled else 'off'}",
            session_id=session_id,
        )
        return list(modes)

    def _write_modes(
        self, session_id: str, mode: CommunicationMode, *, enabled: bool
    ) -> list[CommunicationMode]:
        """Compare-and-set, re-read on a conflict: a Pause or End from another tab between the
        read and the write is kept, not overwritten with the status read before it."""
        for _ in range(WRITE_ATTEMPTS):
            session = self._store.get_session(session_id)
            modes = [m for m in session.config.enabled_modes if m is not mode]
            if enabled:
                modes.append(mode)
            session.config.enabled_modes = modes
            if self._store.compare_and_set_session(session):
                return modes
        raise DataStoreError(
            f"Session {session_id} kept changing while its modes were saved; try again."
        )

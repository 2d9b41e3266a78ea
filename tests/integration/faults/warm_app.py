"""Preloaded by the kill test's fork server: the app's modules imported and one built-in
interview turn taken in memory (which loads the sentence encoder and encodes the problem
catalogue), once, so that each app process forked from it starts in a fraction of a second.
No database is opened here: every forked process builds its own services on the real one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from interview_platform.bootstrap import bootstrap
from interview_platform.config import Settings
from interview_platform.core.models import CommunicationMode, SessionConfig
from interview_platform.storage.memory_store import InMemoryDataStore

CONFIG = SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")


def take_a_turn_in_memory() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, data_dir=Path(folder), log_to_file=False)
        app = bootstrap(settings, data_store=InMemoryDataStore(), console_logs=False)
        manager = app.session_manager
        session = manager.create_session(
            SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")
        )
        manager.start_session(session.id)
        manager.submit_answer(session.id, "A load balancer in front of stateless servers.")
        app.close()


take_a_turn_in_memory()

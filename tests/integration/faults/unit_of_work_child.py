"""A child app process that is killed (SIGKILL, as by `kill -9` or the OOM killer) inside a
unit of work: between the writes of a session's start, or after a session's rows are deleted
and before the deletion is committed.

    python unit_of_work_child.py DATABASE_URL DATA_DIR SESSION_ID start|delete
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from interview_platform.bootstrap import bootstrap
from interview_platform.config import Settings
from interview_platform.storage.sql_store import BoundSQLDataStore, SQLUnitOfWork


def die(*_: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(url: str, data_dir: str, session_id: str, operation: str) -> None:
    settings = Settings(_env_file=None, database_url=url, data_dir=Path(data_dir))
    app = bootstrap(settings, migrate=False, console_logs=False)
    if operation == "start":
        # The session is already written ACTIVE with its problem in the unit; the opening is not.
        setattr(BoundSQLDataStore, "save_conversation", die)  # noqa: B010 (mypy: no method assignment)
        app.session_manager.start_session(session_id)
    else:
        # The rows are deleted in the unit; the commit never comes.
        setattr(SQLUnitOfWork, "_commit", die)  # noqa: B010 (mypy: no method assignment)
        app.session_manager.delete_session(session_id)


if __name__ == "__main__":
    main(*sys.argv[1:5])

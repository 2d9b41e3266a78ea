"""The data directory full or read-only, for real: a 1 MB tmpfs mounted on it (filled up, or
remounted read-only), with the database on a SQLite file elsewhere or on PostgreSQL.

Saving a snapshot or a recording gives a clear message, leaves no file or temporary file
and no `media_files` row behind, and text answers go on; once there is room again (or the
directory is writable), saving works with the same services. A SQLite database inside the
full directory refuses the answer whole, saying so, and works again once there is room.

Mounting needs root with CAP_SYS_ADMIN (as in CI); elsewhere these tests skip, saying why.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.communication.video import write_h264_mp4
from interview_platform.config import Settings
from interview_platform.core.models import CommunicationMode, MediaType, SessionConfig
from interview_platform.core.ports.files import MB
from interview_platform.errors import (
    AnswerNotSavedError,
    CommunicationError,
    InterviewPlatformError,
    StorageFullError,
    ValidationError,
)
from tests.integration.faults.test_database_outage import delete_sessions
from tests.unit.storage.test_file_storage import make_png, make_wav

CONFIG = SessionConfig(
    [CommunicationMode.TEXT, CommunicationMode.WHITEBOARD, CommunicationMode.AUDIO],
    "builtin",
    "rubric",
)
CANVAS = {"objects": [{"type": "rect", "left": 10, "top": 10, "width": 80, "height": 40}]}
FILLER = "filler.bin"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs as the data directory."""
    folder = tmp_path / "data"
    folder.mkdir()
    mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(
            "Cannot mount a small tmpfs as the data directory "
            f"({mounted.stderr.strip() or mounted.returncode}); these tests need root with "
            "CAP_SYS_ADMIN, as CI has."
        )
    yield folder
    run("umount", "--lazy", str(folder))


def fill(folder: Path) -> None:
    """Write zeros until the file system says it is full."""
    with (folder / FILLER).open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass


def remount(folder: Path, mode: str) -> None:
    result = run("mount", "-o", f"remount,{mode}", str(folder))
    assert result.returncode == 0, result.stderr


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database, outside the data directory."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'app.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def services_on(database_url: str, data_dir: Path) -> Services:
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        data_dir=data_dir,
        log_to_file=False,
        default_user_id=f"disk-{uuid.uuid4().hex[:8]}",  # apart from other tests' sessions
    )
    return bootstrap(settings, console_logs=False)


@pytest.fixture
def app(database_url: str, small_disk: Path) -> Iterator[Services]:
    services = services_on(database_url, small_disk)
    yield services
    delete_sessions(services)
    services.close()


def started(app: Services) -> str:
    session = app.session_manager.create_session(CONFIG)
    app.session_manager.start_session(session.id)
    return session.id


def files_in(app: Services, session_id: str) -> list[str]:
    folder = app.file_storage.session_dir(session_id)
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def assert_nothing_saved(app: Services, session_id: str) -> None:
    assert files_in(app, session_id) == [], "no file, complete or partial, is left"
    assert app.data_store.list_media(session_id) == [], "no row points at a missing file"


def assert_text_answers_go_on(app: Services, session_id: str) -> None:
    answer, reply = app.session_manager.submit_answer(session_id, "A CDN serves the images.")
    assert reply is not None
    history = app.session_manager.get_conversation(session_id)
    assert [m.content for m in history[-2:]] == [answer.content, reply.content]


def try_snapshot_and_audio(
    app: Services, session_id: str, reason: str, error: type[InterviewPlatformError], advice: str
) -> None:
    with pytest.raises(error, match=reason) as snapshot:
        app.whiteboard.save_snapshot(session_id, make_png(200, 200), CANVAS)
    assert advice in str(snapshot.value), str(snapshot.value)
    with pytest.raises(error, match=reason) as audio:
        app.file_storage.save_audio(session_id, make_wav(16000))
    assert advice in str(audio.value), str(audio.value)


def record_while_the_disk_fills(app: Services, session_id: str, video: bytes, folder: Path) -> Path:
    """What the camera recorder does, streaming the video into its recording file, while
    something else fills the disk up."""
    path = app.file_storage.video_recording_path(session_id)
    with path.open("wb", buffering=0) as handle:
        handle.write(video[:65536])
        fill(folder)
        for start in range(65536, len(video), 4096):
            try:
                handle.write(video[start : start + 4096])
            except OSError:
                break
    return path


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real H.264 MP4 larger than the whole small disk (its moov box comes last)."""
    path = tmp_path_factory.mktemp("video") / "noise.mp4"
    noise = np.random.default_rng(7).integers(0, 256, (30, 240, 320, 3), dtype=np.uint8)
    write_h264_mp4(iter(noise), path, fps=10)
    data = path.read_bytes()
    assert len(data) > MB
    return data


def test_a_full_data_directory_refuses_media_clearly_and_text_answers_go_on(
    app: Services, small_disk: Path, video: bytes
) -> None:
    session_id = started(app)
    cut_short = record_while_the_disk_fills(app, session_id, video, small_disk)

    full = f"The disk holding {small_disk} is full"
    try_snapshot_and_audio(app, session_id, "No space left on device", StorageFullError, full)
    with pytest.raises(ValidationError, match="incomplete"):
        app.file_storage.adopt_video(session_id, cut_short)
    assert_nothing_saved(app, session_id)
    assert_text_answers_go_on(app, session_id)

    (small_disk / FILLER).unlink()
    saved = app.whiteboard.save_snapshot(session_id, make_png(200, 200), CANVAS)
    assert files_in(app, session_id) == [saved.filename]
    [media] = app.data_store.list_media(session_id, MediaType.WHITEBOARD)
    assert app.file_storage.resolve(media).read_bytes() == make_png(200, 200)


def test_a_read_only_data_directory_refuses_media_clearly_and_text_answers_go_on(
    app: Services, small_disk: Path
) -> None:
    session_id = started(app)
    app.file_storage.session_dir(session_id).mkdir(parents=True)
    remount(small_disk, "ro")
    try:
        try_snapshot_and_audio(
            app,
            session_id,
            "Read-only file system",
            CommunicationError,
            "data directory is writable and the disk is not full",
        )
        with pytest.raises(CommunicationError, match="Read-only file system"):
            app.file_storage.video_recording_path(session_id)
        assert_nothing_saved(app, session_id)
        assert_text_answers_go_on(app, session_id)
    finally:
        remount(small_disk, "rw")

    path = app.file_storage.save_audio(session_id, make_wav(16000))
    assert files_in(app, session_id) == [Path(path).name]


def test_a_sqlite_database_in_a_full_data_directory_refuses_the_answer_whole(
    small_disk: Path,
) -> None:
    app = services_on(f"sqlite:///{small_disk / 'interview_platform.db'}", small_disk)
    try:
        session_id = started(app)
        before = app.session_manager.get_conversation(session_id)
        fill(small_disk)
        with pytest.raises(AnswerNotSavedError, match=r"not saved.*(full|disk)"):
            app.session_manager.submit_answer(session_id, "x" * 15_000)
        (small_disk / FILLER).unlink()

        assert app.session_manager.get_conversation(session_id) == before
        assert_text_answers_go_on(app, session_id)
    finally:
        app.close()


FILE_SIZE_LIMIT = 256 * 1024  # bytes any one file of the child may reach (RLIMIT_FSIZE)
CHILD = """
import json, resource, signal, sys
from pathlib import Path
from interview_platform.bootstrap import bootstrap
from interview_platform.config import Settings
from tests.unit.storage.test_file_storage import make_wav

database_url, data_dir, session_id, limit = sys.argv[1:5]
settings = Settings(_env_file=None, database_url=database_url, data_dir=Path(data_dir),
                    log_to_file=False)
app = bootstrap(settings, migrate=False, console_logs=False)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
try:
    app.file_storage.save_audio(session_id, make_wav(4 * int(limit)))
    print(json.dumps({"error": None}))
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
"""


def test_a_file_over_the_process_file_size_limit_is_refused_whole(tmp_path: Path) -> None:
    """RLIMIT_FSIZE in a child process (EFBIG on the write that passes it): the same clear
    error as a full disk, and no file or `.incoming-*.part` left behind."""
    database_url = f"sqlite:///{tmp_path / 'db' / 'app.db'}"
    app = services_on(database_url, tmp_path / "data")
    try:
        session_id = started(app)
        arguments = [database_url, str(tmp_path / "data"), session_id, str(FILE_SIZE_LIMIT)]
        child = subprocess.run(
            [sys.executable, "-c", CHILD, *arguments],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=Path(__file__).parents[3],
        )
        assert child.returncode == 0, child.stderr[-2000:]
        result = json.loads(child.stdout.strip().splitlines()[-1])
        assert result["error"] == "StorageFullError", result
        assert f"The disk holding {(tmp_path / 'data').resolve()} is full" in result["message"]
        assert "File too large" in result["message"]
        assert_nothing_saved(app, session_id)
    finally:
        app.close()

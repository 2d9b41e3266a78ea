"""Operations: the Docker files, .env.template, the scripts, `cleanup` and the doctor's checks.

Docker is not needed: the compose file and the Dockerfile are checked as files, the scripts
with `bash -n`, and backup/restore run for real on SQLite.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from interview_platform.config import AISettings, Settings
from interview_platform.core.models import utc_now
from interview_platform.errors import NotFoundError
from interview_platform.monitoring.health import HealthChecker, HealthState
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.file_storage import FileStorage, StorageLimits
from interview_platform.storage.sql_store import SQLDataStore
from tests.conftest import make_session
from tests.unit.storage.test_file_storage import make_png

ROOT = Path(__file__).parents[2]
SCRIPTS = ROOT / "scripts"
CLI = str(Path(sys.executable).parent / "interview-platform")
PNG = make_png(24, 28)  # about 2 KB, stored uncompressed
KEY = "sk-test-operations-0123456789abcdef"
# Lines of .env.template that name a variable, set (NAME=...) or commented out (# NAME=...).
TEMPLATE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")
DOCKER_ONLY = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def template_names() -> set[str]:
    lines = (ROOT / ".env.template").read_text(encoding="utf-8").splitlines()
    return {m.group(1) for line in lines if (m := TEMPLATE_LINE.match(line))}


def setting_env_names() -> set[str]:
    """Every variable Settings reads: flat fields, and SECTION__FIELD for nested sections."""
    names = {"CONFIG_FILE"}  # read from the environment by config_file_path()
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= {f"{name}__{sub}".upper() for sub in annotation.model_fields}
        else:
            names.add((field.alias or name).upper())
    return names


def environment(cwd: Path, **extra: str) -> dict[str, str]:
    coverage = {k: v for k, v in os.environ.items() if k.startswith("COVERAGE_")}
    return {"PATH": os.environ["PATH"], "HOME": str(cwd), **coverage, **extra}


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args],
        cwd=cwd,
        env=environment(cwd, **env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_script(
    name: str, *args: str, cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPTS / name), *args],
        cwd=cwd,
        env=environment(cwd, PYTHON=sys.executable),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- docker-compose.yml, Dockerfile, .env.template ---------------------------------------------


def test_compose_has_postgres_with_health_check_and_named_volume() -> None:
    spec = compose()
    postgres = spec["services"]["postgres"]
    assert postgres["image"] == "postgres:15-alpine"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert set(postgres["environment"]) == DOCKER_ONLY
    volume = postgres["volumes"][0].split(":")[0]
    assert volume == "pgdata" and volume in spec["volumes"]


def test_compose_app_is_built_here_healthy_and_waits_for_postgres() -> None:
    spec = compose()
    app = spec["services"]["app"]
    assert app["build"] == "."
    assert app["env_file"] == ".env"
    assert "/_stcore/health" in " ".join(app["healthcheck"]["test"])
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert any(str(port).endswith("8501:8501") for port in app["ports"])
    assert "appdata:/app/data" in app["volumes"] and "appdata" in spec["volumes"]
    url = app["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@postgres:5432/" in url


def test_every_variable_compose_uses_is_in_the_template() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    # ${VAR}, ${VAR:-default}, ${VAR:?error}; $${VAR} is left to the container's shell.
    used = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    assert used == DOCKER_ONLY
    assert used <= template_names()


def test_the_apps_database_url_interpolated_as_compose_does_is_accepted() -> None:
    values = {"POSTGRES_USER": "interview_user", "POSTGRES_PASSWORD": "4f0c9a7e1d2b44c6a8e3"}

    def interpolate(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        value = values.get(name, "")
        if not value and operator == ":?":
            raise AssertionError(argument)
        return value or argument or ""

    raw = compose()["services"]["app"]["environment"]["DATABASE_URL"]
    url = re.sub(r"\$\{([A-Za-z_]\w*)(?:(:[-?])([^}]*))?\}", interpolate, raw)
    assert url == (
        "postgresql+psycopg://interview_user:4f0c9a7e1d2b44c6a8e3@postgres:5432/interview_platform"
    )
    assert Settings(_env_file=None, database_url=url).database_url == url


def test_every_setting_is_documented_in_the_template() -> None:
    documented = template_names()
    settings = setting_env_names()
    assert "AI__FALLBACK_PROVIDER" in settings and "STORAGE__RESUME_MAX_SIZE_MB" in settings
    missing = {
        name
        for name in settings
        if name not in documented and not any(d.startswith(f"{name}__") for d in documented)
    }
    assert not missing, f"not in .env.template: {sorted(missing)}"
    # ... and nothing in it is stale: a dict setting may be given per key (AI__MODELS__OPENAI).
    unknown = {
        name
        for name in documented - DOCKER_ONLY
        if name not in settings and not any(name.startswith(f"{s}__") for s in settings)
    }
    assert not unknown, f".env.template names settings that do not exist: {sorted(unknown)}"


def test_template_sets_only_the_docker_variables_so_optional_keys_stay_unset() -> None:
    lines = (ROOT / ".env.template").read_text(encoding="utf-8").splitlines()
    active = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert active == DOCKER_ONLY


def test_the_template_copied_as_is_gives_a_working_app(tmp_path: Path) -> None:
    shutil.copy(ROOT / ".env.template", tmp_path / ".env")
    result = run_cli("doctor", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[PASS] Configuration: loaded" in result.stdout
    assert "The app can run." in result.stdout


def test_uncommenting_the_templates_example_values_keeps_the_app_valid(tmp_path: Path) -> None:
    """The commented values are valid defaults; only the placeholder keys are refused."""
    lines = []
    for line in (ROOT / ".env.template").read_text(encoding="utf-8").splitlines():
        match = TEMPLATE_LINE.match(line)
        if match and line.startswith("#") and match.group(2) and "-here" not in match.group(2):
            line = line.lstrip("# ")
        lines.append(line)
    (tmp_path / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("doctor", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[PASS] AI provider ollama: AI__OLLAMA_BASE_URL is set" in result.stdout


def test_a_template_placeholder_key_is_refused_with_its_name(tmp_path: Path) -> None:
    text = (ROOT / ".env.template").read_text(encoding="utf-8")
    placeholder = re.search(r"^# (OPENAI_API_KEY=.*-here)$", text, re.MULTILINE)
    assert placeholder is not None
    (tmp_path / ".env").write_text(placeholder.group(1) + "\n", encoding="utf-8")
    result = run_cli("doctor", cwd=tmp_path)
    assert result.returncode == 1
    assert "OPENAI_API_KEY is still the template's placeholder" in result.stdout


def test_dockerfile_runs_the_cli_as_a_non_root_user_with_a_health_check() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^RUN pip install \.(\s|$)", text, re.MULTILINE)  # not editable
    assert re.search(r"^HEALTHCHECK .*", text, re.MULTILINE)
    assert "http://127.0.0.1:8501/_stcore/health" in text
    cmd = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert cmd is not None
    assert yaml.safe_load(cmd.group(1)) == [
        "interview-platform",
        "run",
        "--host",
        "0.0.0.0",
        "--port",
        "8501",
    ]
    for copied in ("pyproject.toml", "README.md", "src", "config"):
        assert re.search(rf"^COPY .*\b{re.escape(copied)}\b", text, re.MULTILINE), copied


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".venv", ".env", ".git", "data", "logs", "tests", "**/__pycache__"} <= ignored


def test_the_repository_root_holds_at_most_ten_files() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and not line.strip().endswith("/")
    ]
    files = sorted(
        entry.name
        for entry in ROOT.iterdir()
        if entry.is_file() and not any(fnmatch.fnmatch(entry.name, p) for p in ignored)
    )
    assert len(files) <= 10, files


@pytest.mark.parametrize("script", ["startup.sh", "backup.sh", "restore.sh"])
def test_scripts_are_valid_bash(script: str) -> None:
    path = SCRIPTS / script
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in path.read_text(encoding="utf-8")
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


# --- cleanup, backup and restore on a SQLite data directory -------------------------------------


def open_store(project: Path) -> tuple[SQLDataStore, FileStorage]:
    data = project / "data"
    data.mkdir(exist_ok=True)
    engine = create_database_engine(f"sqlite:///{data / 'interview_platform.db'}")
    store = SQLDataStore(engine, retry_wait=0)
    store.initialize_schema()
    return store, FileStorage(data, store, StorageLimits())


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Path, str, str]]:
    """A data directory with an interview of 100 days ago and one of today, each with a file."""
    store, files = open_store(tmp_path)
    old, new = make_session(), make_session()
    store.save_session(new)
    store.save_session(old)
    old.created_at = utc_now() - timedelta(days=100)
    store.save_session(old)
    files.save_whiteboard(old.id, PNG)
    files.save_whiteboard(new.id, PNG)
    store.close()
    yield tmp_path, old.id, new.id


def exists(project: Path, session_id: str) -> bool:
    store, files = open_store(project)
    try:
        store.get_session(session_id)
    except NotFoundError:
        assert not files.session_dir(session_id).exists(), "files left behind"
        return False
    finally:
        store.close()
    assert files.session_dir(session_id).is_dir()
    return True


def test_cleanup_dry_run_lists_without_deleting(project: tuple[Path, str, str]) -> None:
    folder, old, new = project
    result = run_cli("cleanup", "--days", "30", "--dry-run", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert f"Would delete {old}" in result.stdout and new not in result.stdout
    freed = f"would free {len(PNG) / 1024:.1f} KB"
    assert "Would delete 1 interview(s)" in result.stdout and freed in result.stdout
    assert exists(folder, old) and exists(folder, new)


def test_cleanup_deletes_only_old_interviews_rows_and_files(
    project: tuple[Path, str, str],
) -> None:
    folder, old, new = project
    kept = run_cli("cleanup", cwd=folder)  # the default retention, 90 days
    assert kept.returncode == 0, kept.stderr
    assert "Deleted 1 interview(s)" in kept.stdout and "older than 90 days" in kept.stdout
    assert not exists(folder, old) and exists(folder, new)

    again = run_cli("cleanup", "--days", "30", cwd=folder)
    assert "Deleted 0 interview(s)" in again.stdout and exists(folder, new)

    everything = run_cli("cleanup", "--days", "0", cwd=folder)
    assert f"Deleted {new}" in everything.stdout and not exists(folder, new)


def test_cleanup_removes_files_a_stopped_deletion_left_behind(
    project: tuple[Path, str, str],
) -> None:
    """A deletion commits the rows, then removes the files; killed in between, the files stay
    without rows until the next cleanup."""
    folder, _, new = project
    store, files = open_store(folder)
    store.delete_session(new)
    store.close()
    assert files.session_dir(new).is_dir()

    result = run_cli("cleanup", cwd=folder)

    assert result.returncode == 0, result.stderr
    assert "Removed the files of 1 interview(s) already deleted" in result.stdout
    assert not files.session_dir(new).exists()


def test_cleanup_days_default_comes_from_the_settings(project: tuple[Path, str, str]) -> None:
    folder, old, _ = project
    result = run_cli("cleanup", "--dry-run", cwd=folder, STORAGE__CLEANUP_OLD_SESSIONS_DAYS="120")
    assert "older than 120 days" in result.stdout and old not in result.stdout


def test_backup_and_restore_round_trip_on_sqlite(project: tuple[Path, str, str]) -> None:
    folder, old, new = project
    backup = run_script("backup.sh", "--project-dir", str(folder), cwd=folder)
    assert backup.returncode == 0, backup.stdout + backup.stderr
    [made] = [p for p in (folder / "backups").iterdir() if p.is_dir()]
    assert {p.name for p in made.iterdir()} == {"db.sqlite3", "sessions.tar.gz", "MANIFEST"}
    assert "kind=sqlite" in (made / "MANIFEST").read_text(encoding="utf-8")
    assert f"scripts/restore.sh {made}" in backup.stdout
    assert (folder / "backups" / ".gitignore").read_text(encoding="utf-8") == "*\n"

    # Change the data: one interview deleted, one added.
    store, files = open_store(folder)
    store.delete_session(old)
    files.cleanup_session(old)
    added = make_session()
    store.save_session(added)
    store.close()

    refused = run_script("restore.sh", str(made), "--project-dir", str(folder), cwd=folder)
    assert refused.returncode != 0 and "nothing was changed" in refused.stderr
    assert not exists(folder, old)

    restored = run_script(
        "restore.sh", str(made), "--yes", "--project-dir", str(folder), cwd=folder
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert exists(folder, old) and exists(folder, new)
    store, files = open_store(folder)
    try:
        with pytest.raises(NotFoundError):
            store.get_session(added.id)
        [media] = store.list_media(old)
        assert files.resolve(media).read_bytes() == PNG
    finally:
        store.close()


def test_restore_asks_before_replacing_and_accepts_yes(project: tuple[Path, str, str]) -> None:
    folder, _, _ = project
    assert run_script("backup.sh", "--project-dir", str(folder), cwd=folder).returncode == 0
    [made] = [p for p in (folder / "backups").iterdir() if p.is_dir()]
    answered = run_script(
        "restore.sh", str(made), "--project-dir", str(folder), cwd=folder, stdin="yes\n"
    )
    assert answered.returncode == 0, answered.stderr
    assert "This REPLACES the SQLite database" in answered.stdout


def test_backup_without_a_database_says_so(tmp_path: Path) -> None:
    result = run_script("backup.sh", "--project-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode != 0
    assert "nothing to back up" in result.stderr
    assert not any((tmp_path / "backups").glob("2*"))


# --- the doctor's disk space and provider reachability --------------------------------------------


@contextmanager
def checker(tmp_path: Path, **ai: Any) -> Iterator[HealthChecker]:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        openai_api_key=None,
        anthropic_api_key=None,
        ai=AISettings(**ai),
    )
    store, _ = open_store(tmp_path)
    try:
        yield HealthChecker(settings, store)
    finally:
        store.close()


def test_disk_space_reports_the_free_percentage(tmp_path: Path) -> None:
    with checker(tmp_path) as health:
        status = health.check_disk_space()
        assert status.name == "Disk space"
        assert 0 <= status.details["free_percent"] <= 100
        assert re.match(r"\d+\.\d% free \(", status.message)
        assert status.details["free_bytes"] <= status.details["total_bytes"]

        low = health.check_disk_space(degraded_below=100.1)
        assert low.status is HealthState.DEGRADED and "cleanup --days" in low.fix
        full = health.check_disk_space(unhealthy_below=100.1)
        assert full.status is HealthState.UNHEALTHY and not full.ok


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_provider_is_degraded_without_its_key(tmp_path: Path) -> None:
    port = closed_port()
    with checker(
        tmp_path,
        openai_compatible_base_url=f"http://127.0.0.1:{port}/v1",
        openai_compatible_api_key=KEY,
    ) as health:
        [status] = health.check_provider_reachability()
        assert status.status is HealthState.DEGRADED and status.ok
        assert status.name == "AI provider openai_compatible connection"
        assert f"cannot reach 127.0.0.1:{port}" in status.message
        assert "check your network or proxy" in status.message
        assert KEY not in status.message + status.fix
        assert status.name in [check.name for check in health.check_all()]


def test_a_reachable_provider_is_healthy(tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with checker(tmp_path, ollama_base_url=f"http://127.0.0.1:{port}") as health:
            [status] = health.check_provider_reachability()
            assert status.status is HealthState.HEALTHY
            assert f"127.0.0.1:{port} reachable" in status.message


def test_no_configured_provider_means_no_network_check(tmp_path: Path) -> None:
    with checker(tmp_path) as health:
        assert health.check_provider_reachability() == []
        names = [status.name for status in health.check_all()]
        assert "Disk space" in names
        assert not any(name.endswith(" connection") for name in names)

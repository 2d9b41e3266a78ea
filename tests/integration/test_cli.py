"""The `interview-platform` command, run as a user would, in a clean working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "interview-platform")


def coverage_env() -> dict[str, str]:
    """Coverage's own variables, so a measured test run also measures the subprocess."""
    return {k: v for k, v in os.environ.items() if k.startswith("COVERAGE_")}


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "HOME": str(cwd), **coverage_env(), **env}
    return subprocess.run(
        [CLI, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_doctor_passes_on_embedded_defaults_without_keys(tmp_path: Path) -> None:
    result = run_cli("doctor", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[PASS] Python" in result.stdout
    assert "[PASS] Database: SQLite reachable" in result.stdout
    assert "[PASS] Data directory" in result.stdout
    assert "[PASS] AI provider builtin" in result.stdout
    assert "[INFO] AI provider openai: not configured (set OPENAI_API_KEY" in result.stdout
    assert "The app can run." in result.stdout


def test_doctor_reports_a_configured_provider_without_printing_its_key(tmp_path: Path) -> None:
    key = "sk-test-abcdefghijklmnopqrstuvwxyz123456"
    result = run_cli("doctor", cwd=tmp_path, OPENAI_API_KEY=key)
    assert result.returncode == 0
    assert "[PASS] AI provider openai: OPENAI_API_KEY is set" in result.stdout
    assert key not in result.stdout + result.stderr


def test_doctor_fails_on_an_unreachable_database(tmp_path: Path) -> None:
    result = run_cli("doctor", cwd=tmp_path, DATABASE_URL="postgresql://postgres@127.0.0.1:1/none")
    assert result.returncode == 1
    assert "[FAIL] Database: PostgreSQL is not reachable" in result.stdout
    assert "Fix:" in result.stdout and "cannot run" in result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL uses the unsupported driver"),
        ({"DATABASE_URL": "::not a url::"}, "DATABASE_URL is not a database URL"),
        ({"OPENAI_API_KEY": "sk-your-openai-key-here"}, "OPENAI_API_KEY is still the template"),
        ({"MAX_TOKENS_PER_SESSION": "lots"}, "MAX_TOKENS_PER_SESSION"),
    ],
)
def test_bad_configuration_fails_fast_with_the_variable_named(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = run_cli("db", "upgrade", cwd=tmp_path, **env)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "sk-your-openai-key-here" not in result.stderr


def test_db_upgrade_migrates_the_default_sqlite_file(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "is at revision 0005" in result.stdout
    assert (tmp_path / "data" / "interview_platform.db").is_file()


@pytest.mark.postgres
def test_db_upgrade_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    result = run_cli("db", "upgrade", cwd=tmp_path, DATABASE_URL=postgres_url)
    assert result.returncode == 0, result.stderr
    assert "postgresql+psycopg://" in result.stdout and "revision 0005" in result.stdout


def test_resume_parse_prints_one_json_object(tmp_path: Path) -> None:
    from tests.support.resume_fixtures import RESUMES
    from tests.support.resume_pdf import write_pdf

    fixture = next(r for r in RESUMES if r.slug == "staff-infrastructure")
    (tmp_path / "resume.pdf").write_bytes(write_pdf(fixture))

    result = run_cli("resume", "parse", "resume.pdf", "--format", "json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["experience_level"] == "staff"
    assert abs(parsed["years_of_experience"] - fixture.years) <= 1
    assert set(parsed["domain_expertise"]) == set(fixture.domains)
    assert "user_id" not in parsed


def test_resume_parse_explains_a_bad_file(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "resume.docx", "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")

    result = run_cli("resume", "parse", "resume.docx", cwd=tmp_path)

    assert result.returncode == 1
    assert "Word documents are not supported" in result.stderr


def test_simulate_and_evaluate_print_reports(tmp_path: Path) -> None:
    simulated = run_cli(
        "simulate",
        "--problem",
        "rate-limiter",
        "--candidate",
        "strong",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert simulated.returncode == 0, simulated.stderr
    assert json.loads(simulated.stdout)["overall_score"] > 80

    transcript = tmp_path / "t.jsonl"
    transcript.write_text(
        '{"role": "interviewer", "content": "Design a rate limiter."}\n'
        '{"role": "candidate", "content": "A token bucket per API key in Redis, with a Lua '
        "script so the check and decrement are atomic; over the limit we return 429 with "
        'Retry-After."}\n',
        encoding="utf-8",
    )
    graded = run_cli(
        "evaluate",
        "t.jsonl",
        "--problem",
        "Design a rate limiter",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)
    assert 0 < report["overall_score"] < 80

"""A DATABASE_URL the storage cannot use stops a command before it does anything, with the
message of any invalid setting (the check lives in storage, the settings need no driver)."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import run_cli


def test_doctor_fails_at_once_on_a_database_url_it_cannot_use(tmp_path: Path) -> None:
    result = run_cli("doctor", cwd=tmp_path, DATABASE_URL="mysql://root@localhost/db")

    assert result.returncode == 1
    assert result.stdout.startswith(
        "[FAIL] Configuration: The configuration is invalid:\n"
        "- DATABASE_URL uses the unsupported driver 'mysql'"
    )
    assert "[PASS]" not in result.stdout


def test_db_upgrade_names_the_variable_and_creates_nothing(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", cwd=tmp_path, DATABASE_URL="::not a url::")

    assert result.returncode == 1
    assert "Error: The configuration is invalid:\n- DATABASE_URL is not a database URL" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()

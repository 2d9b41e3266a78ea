"""`interview-platform user add / passwd / list`, run as an operator would, on SQLite and on
PostgreSQL; the accounts they make sign in through the app's AccountService."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from interview_platform.bootstrap import build_accounts, build_data_store
from interview_platform.config import Settings
from interview_platform.core.models import utc_now
from interview_platform.errors import SignInError
from interview_platform.storage.sql_store import SQLDataStore
from tests.integration.test_cli import CLI, coverage_env

PASSWORD = "a long operator-chosen password"


def user_cli(
    *args: str, cwd: Path, password: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), **coverage_env(), **env}
    return subprocess.run(
        [CLI, "user", *args],
        cwd=cwd,
        env=environment,
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_an_account_made_on_the_command_line_signs_in(tmp_path: Path) -> None:
    made = user_cli("add", "alice", "--password-stdin", cwd=tmp_path, password=PASSWORD)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Created the account alice."
    assert PASSWORD not in made.stdout + made.stderr

    listed = user_cli("list", cwd=tmp_path)
    assert listed.stdout.startswith("alice\t")

    settings = Settings(_env_file=None, data_dir=tmp_path / "data", auth={"mode": "password"})
    store = build_data_store(settings)
    try:
        accounts = build_accounts(settings, store, utc_now)
        assert accounts.sign_in("alice", PASSWORD) == "alice"
        with pytest.raises(SignInError):
            accounts.sign_in("alice", "another long password")
    finally:
        store.close()


def test_refusals_say_what_to_do(tmp_path: Path) -> None:
    short = user_cli("add", "alice", "--password-stdin", cwd=tmp_path, password="short")
    assert short.returncode == 1
    assert "at least 10 characters" in short.stderr
    user_cli("add", "alice", "--password-stdin", cwd=tmp_path, password=PASSWORD)
    again = user_cli("add", "alice", "--password-stdin", cwd=tmp_path, password=PASSWORD)
    assert again.returncode == 1 and "already an account named alice" in again.stderr
    missing = user_cli("passwd", "bob", "--password-stdin", cwd=tmp_path, password=PASSWORD)
    assert missing.returncode == 1 and "no account named bob" in missing.stderr


def test_passwd_replaces_the_password(tmp_path: Path) -> None:
    user_cli("add", "alice", "--password-stdin", cwd=tmp_path, password=PASSWORD)
    changed = user_cli(
        "passwd", "alice", "--password-stdin", cwd=tmp_path, password="the new long password"
    )
    assert changed.returncode == 0, changed.stderr
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", auth={"mode": "password"})
    store = build_data_store(settings)
    try:
        accounts = build_accounts(settings, store, utc_now)
        assert accounts.sign_in("alice", "the new long password") == "alice"
        with pytest.raises(SignInError):
            accounts.sign_in("alice", PASSWORD)
    finally:
        store.close()


def test_the_prompt_asks_twice(tmp_path: Path) -> None:
    typed = user_cli("add", "alice", cwd=tmp_path, password=f"{PASSWORD}\n{PASSWORD}")
    assert typed.returncode == 0, typed.stderr
    differ = user_cli("add", "bob", cwd=tmp_path, password=f"{PASSWORD}\nsomething else\n")
    assert differ.returncode != 0


@pytest.mark.postgres
def test_accounts_on_postgres(tmp_path: Path, postgres_store: SQLDataStore) -> None:
    """`postgres_store` empties the tables afterwards, so the account does not outlive it."""
    url = postgres_store.engine.url.render_as_string(hide_password=False)
    made = user_cli(
        "add", "alice", "--password-stdin", cwd=tmp_path, password=PASSWORD, DATABASE_URL=url
    )
    assert made.returncode == 0, made.stderr
    listed = user_cli("list", cwd=tmp_path, DATABASE_URL=url)
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["alice"]
    account = postgres_store.get_account("alice")
    assert account is not None and account.password_hash.startswith("$argon2id$")

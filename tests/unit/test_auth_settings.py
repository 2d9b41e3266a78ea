"""AUTH__* settings: password mode is off unless asked for, and a weak secret is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interview_platform.bootstrap import auth_secret, secrets_of
from interview_platform.config import load_settings
from interview_platform.errors import ConfigurationError

STRONG_SECRET = "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name in list(os.environ):
        if name.upper().startswith("AUTH__"):
            monkeypatch.delenv(name)


def test_by_default_there_is_no_sign_in() -> None:
    auth = load_settings().auth
    assert auth.mode == "none" and auth.secret is None and not auth.allow_registration
    assert (auth.session_hours, auth.min_password_length) == (12, 10)


def test_password_mode_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH__MODE", "password")
    monkeypatch.setenv("AUTH__ALLOW_REGISTRATION", "true")
    monkeypatch.setenv("AUTH__SECRET", STRONG_SECRET)
    settings = load_settings()
    assert settings.auth.mode == "password" and settings.auth.allow_registration
    assert auth_secret(settings) == STRONG_SECRET.encode()
    assert STRONG_SECRET in secrets_of(settings)  # masked in every log
    assert STRONG_SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AUTH__MODE", "oauth", "AUTH__MODE: Input should be 'none' or 'password'"),
        ("AUTH__SECRET", "too-short", "AUTH__SECRET must be at least 32 random characters"),
        ("AUTH__SECRET", "changeme" * 5, "AUTH__SECRET must be at least 32 random characters"),
        ("AUTH__MIN_PASSWORD_LENGTH", "4", "AUTH__MIN_PASSWORD_LENGTH"),
        ("AUTH__SESSION_HOURS", "0", "AUTH__SESSION_HOURS"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert message in str(caught.value)
    if name == "AUTH__SECRET":
        assert value not in str(caught.value)


def test_without_a_secret_password_mode_keeps_one_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AUTH__MODE", "password")
    settings = load_settings()
    first = auth_secret(settings)
    assert (tmp_path / "data" / "auth_secret").read_bytes().strip() == first
    assert auth_secret(load_settings()) == first  # a restart keeps everyone signed in


def test_without_password_mode_no_secret_file_is_made(tmp_path: Path) -> None:
    assert len(auth_secret(load_settings())) == 32
    assert not (tmp_path / "data" / "auth_secret").exists()

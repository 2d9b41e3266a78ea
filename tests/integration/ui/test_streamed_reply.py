"""The Interview page's chat while the reply streams, under AppTest: a provider that fails
mid-reply has its partial text replaced in the bubble by the fallback's reply, not followed by it.

The page reruns from the stored history once the reply is in, so the streamed bubble is seen
here by running the page's exchange on its own: its answer bubble and its reply bubble.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.models import Role
from interview_platform.ui.context import services
from tests.conftest import make_config
from tests.integration.conftest import KEY
from tests.integration.providers.test_mid_stream_failure import (
    ANSWER,
    BRIEF,
    FALLBACK,
    PARTIAL,
    FailingOpenAI,
    failing_openai,
)
from tests.support.fake_provider_server import FakeProviderServer, text


@pytest.fixture
def openai() -> Iterator[FailingOpenAI]:
    with failing_openai("drop") as running:
        yield running


@pytest.fixture
def app(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    server: FakeProviderServer,
    openai: FailingOpenAI,
) -> Iterator[Services]:
    """The app's services on OpenAI (which fails mid-reply), falling back to Anthropic."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DEFAULT_USER_ID", raising=False)
    env = {
        "DATA_DIR": str(tmp_path / "data"),
        "LOG_TO_FILE": "false",
        "OPENAI_API_KEY": KEY,
        "ANTHROPIC_API_KEY": KEY,
        "AI__OPENAI_BASE_URL": openai.url,
        "AI__ANTHROPIC_BASE_URL": server.url,
        "AI__FALLBACK_PROVIDER": "anthropic",
        "AI__RETRY_DELAY_SECONDS": "0",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    services.clear()
    yield services()
    services().close()
    services.clear()


def exchange(session_id: str, answer: str) -> None:
    """The page's exchange: the answer's bubble, then the reply streamed into its own."""
    from interview_platform.ui.views.interview import _exchange

    _exchange(session_id, answer)


def test_the_bubble_shows_only_the_fallbacks_reply_after_a_mid_stream_failure(
    app: Services, server: FakeProviderServer
) -> None:
    server.script(text(FALLBACK))
    manager = app.session_manager
    session = manager.create_session(
        make_config(ai_provider="openai", ai_model="gpt-4o-mini"), problem=BRIEF
    )
    manager.start_session(session.id)
    at = AppTest.from_function(exchange, args=(session.id, ANSWER), default_timeout=60)

    at.run()

    assert not at.exception
    stored = manager.get_conversation(session.id)[-1]
    assert stored.role is Role.INTERVIEWER and stored.content.endswith(FALLBACK)
    answer, reply = at.chat_message
    assert [m.value for m in answer.markdown] == [ANSWER]
    assert [m.value for m in reply.markdown] == [stored.content]
    assert PARTIAL.strip() not in reply.markdown[0].value

"""DATABASE_URL is checked where the engine is built: PostgreSQL gets the psycopg 3 driver, and
a URL that is none, or names another driver, is refused like any invalid setting."""

from __future__ import annotations

import pytest

from interview_platform.errors import ConfigurationError
from interview_platform.storage.database import create_database_engine, database_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql+psycopg://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        (" sqlite:///x.db ", "sqlite:///x.db"),
    ],
)
def test_a_database_url_is_normalised(url: str, expected: str) -> None:
    assert database_url(url) == expected


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("mysql://u:p@h:3306/db", "DATABASE_URL uses the unsupported driver 'mysql'"),
        ("postgresql+psycopg2://u:p@h/db", "DATABASE_URL uses the unsupported driver"),
        ("not a url", "DATABASE_URL is not a database URL; use e.g. sqlite:///data/app.db"),
    ],
)
def test_a_bad_database_url_is_refused_as_invalid_configuration(url: str, hint: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        database_url(url)

    message = str(caught.value)
    assert message.startswith("The configuration is invalid:\n- ")
    assert hint in message
    assert message.endswith(
        "Set these in your environment, .env, or config/config.yaml, then try again."
    )


def test_no_engine_is_built_on_a_bad_url() -> None:
    with pytest.raises(ConfigurationError, match="unsupported driver 'mysql'"):
        create_database_engine("mysql://u:p@h:3306/db")


def test_the_engine_uses_the_psycopg_driver_for_a_plain_postgresql_url() -> None:
    engine = create_database_engine("postgresql://u:p@127.0.0.1:1/db")

    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()

"""Which Host headers the app answers: its loopback names, its address, ALLOWED_HOSTS."""

from __future__ import annotations

import pytest

from interview_platform.cli.host_guard import allowed_hosts, host_allowed, startup_notice
from interview_platform.config import Settings

ALLOWED = ("localhost", "127.0.0.1", "::1", "interview.example.org", "*.corp.example")


@pytest.mark.parametrize(
    "header",
    [
        "localhost",
        "LOCALHOST:8501",
        "127.0.0.1:8501",
        "[::1]:8501",
        "[::1]",
        "interview.example.org.",
        "a.b.corp.example:443",
    ],
)
def test_known_names_are_allowed(header: str) -> None:
    assert host_allowed(header, ALLOWED)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "evil.example",
        "evil.example:8501",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "corp.example",  # the wildcard names its subdomains, not the domain
        "evilcorp.example",
        "localhost@evil.example",
        "user:pw@localhost",
        "localhost:notaport",
        "localhost/path",
        "::1",  # IPv6 without brackets is no valid Host
        "[::2]:8501",
    ],
)
def test_other_names_are_refused(header: str) -> None:
    assert not host_allowed(header, ALLOWED)


def test_a_star_allows_any_well_formed_name() -> None:
    assert host_allowed("anything.example:1", ("*",))
    assert not host_allowed("a b", ("*",))


def test_the_allowed_names_follow_the_address_and_the_setting() -> None:
    settings = Settings(_env_file=None, allowed_hosts="Interview.Example.org, *.corp.example")
    extra = ("interview.example.org", "*.corp.example")
    assert allowed_hosts(settings, "0.0.0.0") == ("localhost", "127.0.0.1", "::1", *extra)
    assert allowed_hosts(settings, "192.168.1.5")[3] == "192.168.1.5"
    assert allowed_hosts(settings, "[::1]") == ("localhost", "127.0.0.1", "::1", *extra)
    assert startup_notice(allowed_hosts(settings, "0.0.0.0"), "0.0.0.0") is not None
    assert startup_notice(allowed_hosts(settings, "127.0.0.1"), "127.0.0.1") is None

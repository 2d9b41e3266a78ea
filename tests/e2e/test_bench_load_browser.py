"""`bench load`'s browser level on a small size, in Chromium: every tab starts an interview and
gets a reply to each answer, and the idle tabs' cost to the server is reported. Its figures
are not checked against targets here (speed is for the benchmark, not for tests)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks.load_browser import candidate_answers, server_cpu_seconds
from tests.support.bench_command import run_bench
from tests.support.browser import CHROMIUM

REPLIES = re.compile(
    r"^browser +2 tabs x 2 answers in [\d.]+ s +answer-to-reply p50 (?P<p50>[\d.]+) s +"
    r"p95 (?P<p95>[\d.]+) s \(whole run p95 [\d.]+ s\) +errors 0$",
    re.M,
)
BUSY = re.compile(r"^browser +the app server used \d+% of a core meanwhile", re.M)
IDLE = re.compile(
    r"^browser +idle: server [\d.]+% of a core with no tab, [\d.]+% with 2 idle interview "
    r"tabs = [\d.]+% a tab \(target <= 1%\) +(MET|MISSED)$",
    re.M,
)


@pytest.fixture(autouse=True)
def _chromium() -> None:
    if not CHROMIUM.is_file():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 makes the browser tests mandatory.")
        pytest.skip(reason)


def test_two_tabs_interview_at_once_and_their_idle_cost_is_reported(tmp_path: Path) -> None:
    result = run_bench(
        "load",
        "--sessions",
        "1",
        "--turns",
        "1",
        "--skip-postgres",
        "--browser-tabs",
        "2",
        "--browser-turns",
        "2",
        "--idle-seconds",
        "3",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    replies = REPLIES.search(result.stdout)
    assert replies is not None, result.stdout
    assert 0 < float(replies["p50"]) <= float(replies["p95"])
    assert BUSY.search(result.stdout), result.stdout
    assert IDLE.search(result.stdout), result.stdout


def test_each_tab_answers_in_its_own_words() -> None:
    first, second = (
        candidate_answers("Design a URL Shortener", 3, 0),
        candidate_answers("Design a URL Shortener", 3, 1),
    )
    assert len(set(first + second)) == 6
    assert all(answer.endswith("(candidate 0)") for answer in first)


def test_the_server_cpu_is_read_for_the_processes_in_its_folder(tmp_path: Path) -> None:
    assert server_cpu_seconds(tmp_path) == 0  # nothing runs there
    assert server_cpu_seconds(Path.cwd()) > 0  # this test's own process does

"""The help of the commands that take a problem lists the problem bank's slugs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from interview_platform.cli.main import main
from interview_platform.core.interviewer.problems import default_bank

SLUGS = [problem.slug for problem in default_bank().problems]


@pytest.mark.parametrize("command", ["simulate", "interview", "evaluate"])
def test_the_help_lists_every_problem_slug(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=120)

    assert result.exit_code == 0, result.output
    assert len(SLUGS) == 24
    assert f"Problems in the bank ({len(SLUGS)}):" in result.output
    listed = result.output.split("Problems in the bank")[1]
    missing = [slug for slug in SLUGS if f"  {slug}  " not in listed]
    assert not missing, f"{command} --help leaves out {missing}"
    assert "Design a URL Shortener" in listed


def test_simulate_names_the_slugs_when_given_one_that_is_not_in_the_bank() -> None:
    result = CliRunner().invoke(main, ["simulate", "--problem", "url-shortner"])

    assert result.exit_code == 2
    assert "'url-shortner' is not in the problem bank" in result.output
    assert all(slug in result.output for slug in SLUGS)


def test_simulate_accepts_a_slug_in_any_case() -> None:
    result = CliRunner().invoke(
        main, ["simulate", "--problem", "Rate-Limiter", "--candidate", "weak", "--format", "json"]
    )

    assert result.exit_code == 0, result.output
    assert '"overall_score"' in result.output

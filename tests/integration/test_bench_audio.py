"""`bench audio --spoken-only` reads hand-written answers aloud with two synthetic voices and
scores what the offline model hears, with and without biasing and correction (figures are
printed, not asserted; CI has espeak-ng, flite and sox, so this does not skip there)."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from benchmarks.cli import bench
from interview_platform.communication.local_whisper import LocalWhisperTranscriber

WAYS = ("none", "hotwords", "prompt")


@pytest.fixture(autouse=True)
def voices() -> None:
    missing = [tool for tool in ("espeak-ng", "flite", "sox") if shutil.which(tool) is None]
    reason = LocalWhisperTranscriber().available() or (
        f"{', '.join(missing)} not installed" if missing else None
    )
    if reason is None:
        return
    if os.environ.get("REQUIRE_SPEECH") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def test_spoken_answers_are_scored_each_way_with_and_without_correction() -> None:
    result = CliRunner().invoke(bench, ["audio", "--spoken-only", "--answers", "1"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "1 answers x 2 voices (espeak-ng en-us, flite slt)" in result.output
    for way in WAYS:
        for name in (way, f"{way} + correction"):
            row = next(line for line in lines if line[2:26].strip() == name)
            assert row.count("%") == 2 and " of " in row
    assert "goals with biasing: WER <= 8%, terms >= 90%" in result.output

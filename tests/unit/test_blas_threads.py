"""The package keeps NumPy's BLAS to one thread per caller (see interview_platform/__init__)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = "import interview_platform, os; print(os.environ['OPENBLAS_NUM_THREADS'])"


def blas_threads_after_import(preset: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize(("preset", "expected"), [(None, "1"), ("4", "4")])
def test_one_blas_thread_unless_the_user_chose(preset: str | None, expected: str) -> None:
    assert blas_threads_after_import(preset) == expected

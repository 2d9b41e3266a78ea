"""`python -m benchmarks ...` run as a developer would, from the repository's root, in a clean
environment whose working directory is elsewhere (the benchmarks write nothing there)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def run_bench(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m benchmarks *args` in `cwd`, with the checkout on PYTHONPATH and
    coverage's own variables kept, so a measured test run also measures the subprocess."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(cwd),
        "PYTHONPATH": str(ROOT),
        **{k: v for k, v in os.environ.items() if k.startswith("COVERAGE_")},
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

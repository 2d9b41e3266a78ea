"""`interview-platform run` starts a real Streamlit server on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.integration.test_cli import CLI


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode())


def test_run_serves_the_app_on_embedded_defaults(tmp_path: Path) -> None:
    port, metrics_port = _free_port(), _free_port()
    server = subprocess.Popen(
        [CLI, "run", "--port", str(port)],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "ENABLE_METRICS": "true",
            "METRICS_PORT": str(metrics_port),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        health = ""
        while time.monotonic() < deadline and not health:
            try:
                health = _get(f"http://127.0.0.1:{port}/_stcore/health")
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.5)
        assert health == "ok"
        assert "<title>" in _get(f"http://127.0.0.1:{port}/")
        assert (tmp_path / "data" / "interview_platform.db").is_file()
        metrics = _get(f"http://127.0.0.1:{metrics_port}/metrics")
        assert "interview_sessions_created_total 0.0" in metrics
        assert "interview_db_query_seconds_count" in metrics
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

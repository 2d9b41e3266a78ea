"""The app's metrics listen where the app does: `interview-platform run --host H` serves
/metrics on H, never on every interface."""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

from tests.support.browser import free_port, running_server
from tests.unit.monitoring.test_metrics import listening_addresses


def test_the_app_serves_its_metrics_on_its_own_host(tmp_path: Path) -> None:
    port, metrics_port = free_port(), free_port()
    cli = str(Path(sys.executable).parent / "interview-platform")
    command = [cli, "run", "--port", str(port), "--host", "127.0.0.1"]
    env = {"ENABLE_METRICS": "true", "METRICS_PORT": str(metrics_port)}

    with running_server(tmp_path, command, port, env=env):
        addresses = listening_addresses(metrics_port)
        url = f"http://127.0.0.1:{metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode()

    assert addresses == {"127.0.0.1"}
    assert "interview_" in body

"""MetricsCollector: every interview_* metric recorded, rendered and served over HTTP."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from interview_platform.core.models import TokenUsage
from interview_platform.monitoring.metrics import MetricsCollector


def samples(collector: MetricsCollector) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = collector.render().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(collector: MetricsCollector, name: str, **labels: str) -> float:
    return samples(collector)[(name, frozenset(labels.items()))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def collector() -> MetricsCollector:
    metrics = MetricsCollector()
    metrics.session_created()
    metrics.session_created()
    metrics.session_completed()
    metrics.turn("builtin", 0.4)
    metrics.turn("openai", 3.0)
    metrics.provider_call("openai", 2.5)
    metrics.record_usage("question_generation", TokenUsage(100, 50, 150, 0.002, "openai", "m"))
    metrics.record_usage("evaluation", TokenUsage(10, 5, 15, 0.0005, "openai", "m"))
    metrics.error("SessionManager")
    metrics.transcription(1.5)
    metrics.db_query(0.003)
    return metrics


def test_render_holds_every_metric_with_its_value(collector: MetricsCollector) -> None:
    assert value(collector, "interview_sessions_created_total") == 2
    assert value(collector, "interview_sessions_completed_total") == 1
    assert value(collector, "interview_turns_total", engine="builtin") == 1
    assert value(collector, "interview_turns_total", engine="openai") == 1
    assert value(collector, "interview_provider_latency_seconds_count", provider="openai") == 1
    assert value(collector, "interview_provider_latency_seconds_sum", provider="openai") == 2.5
    question = {"operation": "question_generation", "provider": "openai"}
    assert value(collector, "interview_tokens_total", **question) == 150
    assert value(collector, "interview_cost_usd_total", **question) == pytest.approx(0.002)
    assert value(collector, "interview_errors_total", component="SessionManager") == 1
    assert value(collector, "interview_transcription_seconds_sum") == 1.5
    assert value(collector, "interview_db_query_seconds_count") == 1
    assert value(collector, "interview_response_seconds_count") == 2
    assert value(collector, "interview_response_seconds_sum") == pytest.approx(3.4)
    names = {name for name, _labels in samples(collector)}
    assert all(name.startswith("interview_") for name in names)


def test_summary_for_the_app(collector: MetricsCollector) -> None:
    summary = collector.summary()
    assert summary["sessions_created"] == 2
    assert summary["sessions_completed"] == 1
    assert summary["turns"] == 2
    assert summary["tokens"] == 165
    assert summary["cost_usd"] == pytest.approx(0.0025)
    assert summary["errors"] == 1
    assert summary["error_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert summary["response_mean_seconds"] == pytest.approx(1.7)
    assert summary["response_p95_seconds"] == 5.0  # the bucket holding 3.0 s
    assert collector.recent_max_response() == 3.0
    assert collector.errors_by_component() == {"SessionManager": 1}


def test_an_empty_collector_summarises_to_zero() -> None:
    summary = MetricsCollector().summary()
    assert set(summary.values()) == {0.0}


def test_collectors_do_not_share_a_registry() -> None:
    first, second = MetricsCollector(), MetricsCollector()
    first.session_created()
    assert first.summary()["sessions_created"] == 1
    assert second.summary()["sessions_created"] == 0


def test_serve_answers_http_get_metrics_once_per_port(collector: MetricsCollector) -> None:
    port = free_port()
    assert collector.serve(port, addr="127.0.0.1")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        body = response.read().decode()
    assert response.status == 200
    assert 'interview_turns_total{engine="openai"} 1.0' in body
    assert "interview_sessions_created_total 2.0" in body
    assert collector.serve(port, addr="127.0.0.1")  # idempotent
    assert collector.serve_error is None

    other = MetricsCollector()
    assert not other.serve(port, addr="127.0.0.1")
    assert other.serve_error is not None and str(port) in other.serve_error


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses a socket of this machine listens on at `port` (/proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":  # LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_metrics_listen_on_loopback_unless_told_otherwise() -> None:
    port = free_port()
    assert MetricsCollector().serve(port)
    assert listening_addresses(port) == {"127.0.0.1"}


def test_a_port_in_use_is_a_warning_not_a_crash() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        metrics = MetricsCollector()
        assert not metrics.serve(port, addr="127.0.0.1")
    assert metrics.serve_error is not None
    assert f"port {port}" in metrics.serve_error
    assert "METRICS_PORT" in metrics.serve_error

"""HealthSnapshot: one health check per TTL, shared by the alerts and the sidebar."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from interview_platform.config import Settings
from interview_platform.monitoring.alerts import AlertMonitor
from interview_platform.monitoring.health import (
    DATABASE_CHECK,
    DISK_CHECK,
    HealthChecker,
    HealthSnapshot,
    HealthState,
    HealthStatus,
)
from interview_platform.monitoring.logging_manager import LoggingConfig, LoggingManager
from interview_platform.monitoring.metrics import MetricsCollector
from interview_platform.storage.memory_store import InMemoryDataStore


class CountingChecker(HealthChecker):
    """Counts the full checks it runs; the database is down and the disk nearly full."""

    def __init__(self, settings: Settings, *, pause: float = 0.0) -> None:
        super().__init__(settings, InMemoryDataStore())
        self.runs = 0
        self._pause = pause
        self._count_lock = threading.Lock()

    def check_all(self) -> list[HealthStatus]:
        with self._count_lock:
            self.runs += 1
        time.sleep(self._pause)
        return [
            HealthStatus(DATABASE_CHECK, HealthState.UNHEALTHY, "PostgreSQL is not reachable"),
            HealthStatus(
                DISK_CHECK, HealthState.DEGRADED, "3.0% free", details={"free_percent": 3.0}
            ),
        ]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def settings_in(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", log_to_file=False)


def test_reads_within_the_ttl_share_one_check_and_the_next_read_after_it_checks_again(
    tmp_path: Path,
) -> None:
    checker, clock = CountingChecker(settings_in(tmp_path)), FakeClock()
    snapshot = HealthSnapshot(checker, ttl=30, clock=clock)
    for _ in range(5):
        assert snapshot.status(DATABASE_CHECK) is not None
        clock.now += 5  # 20 s in all: still fresh
    assert checker.runs == 1
    clock.now += 10  # 30 s after the check: stale
    snapshot.statuses()
    snapshot.statuses()
    assert checker.runs == 2


def test_threads_reading_a_stale_snapshot_at_once_run_one_check(tmp_path: Path) -> None:
    checker = CountingChecker(settings_in(tmp_path), pause=0.2)
    snapshot = HealthSnapshot(checker, ttl=30)
    results: list[list[HealthStatus]] = []
    threads = [
        threading.Thread(target=lambda: results.append(snapshot.statuses())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert checker.runs == 1
    assert len(results) == 8 and all(len(statuses) == 2 for statuses in results)


def test_alert_checks_within_the_ttl_ping_and_read_the_disk_once(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    checker, clock = CountingChecker(settings), FakeClock()
    store = InMemoryDataStore()
    logger = LoggingManager(LoggingConfig(console=False, to_file=False), store)
    monitor = AlertMonitor(
        logger, MetricsCollector(), HealthSnapshot(checker, ttl=30, clock=clock), settings
    )
    for _ in range(4):
        keys = {alert.key for alert in monitor.check()}
        assert {"database", "disk_space"} <= keys  # both still raised from the snapshot
        clock.now += 7
    assert checker.runs == 1
    clock.now += 3  # 31 s
    monitor.check()
    assert checker.runs == 2
    logger.close()

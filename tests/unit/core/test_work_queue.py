"""The worker pool on real threads: order, positions, fairness, the bound, failures, kind
limits and shutdown. Waits use events and barriers with generous limits; nothing is timed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from interview_platform.core.work_queue import Job, JobKind, JobState, JobStatus, WorkQueue
from interview_platform.errors import (
    CommunicationError,
    InterviewPlatformError,
    ServerBusyError,
)

WAIT = 30.0  # seconds: only ever reached when something is broken
EVAL, TALK = JobKind.EVALUATION, JobKind.TRANSCRIPTION


class Gate:
    """A job body that says when it started and runs until it is let go."""

    def __init__(self, result: str = "", wait: float = WAIT) -> None:
        self.started = threading.Event()
        self.go = threading.Event()
        self.result = result
        self.wait = wait

    def __call__(self) -> str:
        self.started.set()
        assert self.go.wait(self.wait), "the test never let the job go"
        return self.result


@pytest.fixture
def queue() -> Iterator[WorkQueue]:
    pool = WorkQueue(workers=1, max_waiting=10)
    yield pool
    pool.shutdown(timeout=WAIT)


def busy(pool: WorkQueue, owner: str = "other") -> Gate:
    """Hold a worker with a job that runs until its gate opens."""
    gate = Gate()
    pool.submit(EVAL, owner, gate)
    assert gate.started.wait(WAIT)
    return gate


def recorder(log: list[str], name: str) -> Callable[[], str]:
    def run() -> str:
        log.append(name)
        return name

    return run


def ahead(job: Job[Any]) -> int:
    status = job.status()
    assert status.state is JobState.QUEUED
    return status.ahead


def test_a_job_returns_its_result_and_reports_done(queue: WorkQueue) -> None:
    job = queue.submit(EVAL, "s1", lambda: 42)

    assert job.result(WAIT) == 42
    assert job.status() == JobStatus(EVAL, JobState.DONE)


def test_a_platform_error_reaches_the_caller_as_it_was(queue: WorkQueue) -> None:
    error = CommunicationError("We could not hear any words.")

    def fail() -> None:
        raise error

    job = queue.submit(TALK, "s1", fail)

    with pytest.raises(CommunicationError) as raised:
        job.result(WAIT)
    assert raised.value is error
    assert job.status().state is JobState.FAILED


def test_an_unexpected_error_becomes_a_platform_error_and_is_reported() -> None:
    heard: list[tuple[JobKind, Exception]] = []
    pool = WorkQueue(1, 5, on_unexpected=lambda kind, exc: heard.append((kind, exc)))

    def crash() -> None:
        raise KeyError("boom")

    job = pool.submit(JobKind.WHITEBOARD, "s1", crash)

    with pytest.raises(InterviewPlatformError, match="whiteboard analysis failed unexpectedly"):
        job.result(WAIT)
    assert isinstance(job.future.exception(), InterviewPlatformError)
    assert isinstance(job.future.exception().__cause__, KeyError)  # type: ignore[union-attr]
    assert [(kind, type(exc)) for kind, exc in heard] == [(JobKind.WHITEBOARD, KeyError)]
    pool.shutdown(WAIT)


def test_one_sessions_jobs_run_in_the_order_submitted(queue: WorkQueue) -> None:
    gate = busy(queue)
    log: list[str] = []
    jobs = [queue.submit(EVAL, "s1", recorder(log, f"job{n}")) for n in range(5)]

    gate.go.set()

    assert [job.result(WAIT) for job in jobs] == [f"job{n}" for n in range(5)]
    assert log == [f"job{n}" for n in range(5)]


def test_positions_count_down_as_the_jobs_ahead_start(queue: WorkQueue) -> None:
    blocker = busy(queue)
    gates = [Gate(f"g{n}") for n in range(3)]
    jobs = [queue.submit(EVAL, "s1", gate) for gate in gates]

    assert [ahead(job) for job in jobs] == [0, 1, 2]
    blocker.go.set()
    assert gates[0].started.wait(WAIT)
    assert jobs[0].status().state is JobState.RUNNING
    assert [ahead(job) for job in jobs[1:]] == [0, 1]
    gates[0].go.set()
    assert gates[1].started.wait(WAIT)
    assert ahead(jobs[2]) == 0
    gates[1].go.set()
    gates[2].go.set()
    assert [job.result(WAIT) for job in jobs] == ["g0", "g1", "g2"]


def test_a_session_with_many_jobs_does_not_hold_up_another(queue: WorkQueue) -> None:
    gate = busy(queue)
    log: list[str] = []
    first = [queue.submit(EVAL, "greedy", recorder(log, f"greedy{n}")) for n in range(3)]
    other = queue.submit(EVAL, "polite", recorder(log, "polite"))

    assert ahead(other) == 1  # after the greedy session's first job, not its third
    assert [ahead(job) for job in first] == [0, 2, 3]
    gate.go.set()
    other.result(WAIT)
    for job in first:
        job.result(WAIT)
    assert log == ["greedy0", "polite", "greedy1", "greedy2"]


def test_a_full_queue_refuses_new_work_with_a_clear_message() -> None:
    pool = WorkQueue(workers=1, max_waiting=2)
    blocker = busy(pool)
    pool.submit(EVAL, "s1", lambda: 1)
    pool.submit(EVAL, "s2", lambda: 2)

    with pytest.raises(ServerBusyError, match=r"2 tasks are already waiting.*Try again"):
        pool.submit(EVAL, "s3", lambda: 3)
    assert pool.load().waiting == 2

    blocker.go.set()
    pool.shutdown(WAIT)


def test_room_frees_up_as_waiting_jobs_start() -> None:
    pool = WorkQueue(workers=1, max_waiting=1)
    blocker = busy(pool)
    gate = Gate("second")
    pool.submit(EVAL, "s1", gate)
    with pytest.raises(ServerBusyError):
        pool.submit(EVAL, "s2", lambda: "refused")

    blocker.go.set()
    assert gate.started.wait(WAIT)  # it left the queue for a worker
    third = pool.submit(EVAL, "s2", lambda: "third")
    gate.go.set()

    assert third.result(WAIT) == "third"
    pool.shutdown(WAIT)


def test_a_kind_at_its_limit_lets_other_work_use_the_free_worker() -> None:
    pool = WorkQueue(workers=2, max_waiting=10, kind_limits={TALK: 1})
    speaking = Gate("first recording")
    pool.submit(TALK, "s1", speaking)
    assert speaking.started.wait(WAIT)
    second_recording = pool.submit(TALK, "s2", lambda: "second recording")
    grading = Gate("evaluation")
    evaluation = pool.submit(EVAL, "s3", grading)

    assert grading.started.wait(WAIT)  # on the second worker, past the waiting recording
    assert second_recording.status() == JobStatus(TALK, JobState.QUEUED, 0)
    speaking.go.set()
    grading.go.set()
    assert second_recording.result(WAIT) == "second recording"
    assert evaluation.result(WAIT) == "evaluation"
    pool.shutdown(WAIT)


def test_the_workers_run_jobs_at_once_but_never_more_than_their_number() -> None:
    workers = 2
    pool = WorkQueue(workers=workers, max_waiting=20)
    together = threading.Barrier(workers, timeout=WAIT)  # broken unless both run at once
    lock = threading.Lock()
    running = [0]
    most = [0]

    def work(n: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        if n < workers:
            together.wait()
        with lock:
            running[0] -= 1
        return n

    jobs = [pool.submit(EVAL, f"s{n}", lambda n=n: work(n)) for n in range(10)]  # type: ignore[misc]

    assert [job.result(WAIT) for job in jobs] == list(range(10))
    assert most[0] == workers
    pool.shutdown(WAIT)


def test_many_threads_submitting_at_once_lose_nothing_and_keep_each_sessions_order() -> None:
    pool = WorkQueue(workers=2, max_waiting=1000)
    log: list[tuple[str, int]] = []
    lock = threading.Lock()
    start = threading.Barrier(8, timeout=WAIT)
    jobs: dict[str, list[Job[int]]] = {}

    def note(owner: str, n: int) -> int:
        with lock:
            log.append((owner, n))
        return n

    def submitter(owner: str) -> None:
        start.wait()
        jobs[owner] = [
            pool.submit(EVAL, owner, lambda n=n: note(owner, n))  # type: ignore[misc]
            for n in range(25)
        ]

    threads = [threading.Thread(target=submitter, args=(f"s{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)

    for owner, owned in jobs.items():
        assert [job.result(WAIT) for job in owned] == list(range(25))
        assert [n for who, n in log if who == owner] == list(range(25))
    assert len(log) == 8 * 25
    pool.shutdown(WAIT)


def test_shutdown_finishes_the_queued_work() -> None:
    pool = WorkQueue(workers=1, max_waiting=10)
    blocker = busy(pool)
    jobs = [pool.submit(EVAL, "s1", lambda n=n: n) for n in range(3)]  # type: ignore[misc]
    blocker.go.set()

    assert pool.shutdown(timeout=WAIT) == 0
    assert [job.result(0) for job in jobs] == [0, 1, 2]
    with pytest.raises(ServerBusyError, match="restarting"):
        pool.submit(EVAL, "s1", lambda: 4)


def test_shutdown_out_of_time_fails_the_waiting_jobs_with_a_message() -> None:
    pool = WorkQueue(workers=1, max_waiting=10)
    blocker = busy(pool)
    waiting = [pool.submit(TALK, f"s{n}", lambda: "never") for n in range(2)]

    assert pool.shutdown(timeout=0) == 2
    for job in waiting:
        assert job.status().state is JobState.FAILED
        with pytest.raises(ServerBusyError, match="stopped before your transcription"):
            job.result(0)
    blocker.go.set()

"""The bounded worker pool for the slow work a candidate waits for: transcribing a voice
answer, evaluating an interview, looking at a whiteboard snapshot.

A fixed number of threads take jobs from one queue of bounded length. The queue is fair
between owners (sessions): it takes one job from each session in turn, in the order the
sessions joined it, so a session that queues several jobs does not hold up the others. Within
a session, jobs run in the order they were submitted. A kind of job may be limited to fewer
workers than the pool has (the offline speech model serves one recording at a time); a job
whose kind is at its limit lets the next job of another kind go first.

Each job reports its state, and while it waits, how many waiting jobs will start before it,
so a page can show "Transcribing: 2 ahead of you".
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, Generic, TypeVar

from interview_platform.errors import InterviewPlatformError, ServerBusyError

T = TypeVar("T")


class JobKind(StrEnum):
    TRANSCRIPTION = "transcription"
    EVALUATION = "evaluation"
    WHITEBOARD = "whiteboard analysis"


class JobState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class JobStatus:
    kind: JobKind
    state: JobState
    ahead: int = 0  # while queued: the waiting jobs that will start before this one

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


@dataclass(frozen=True)
class QueueLoad:
    workers: int
    running: int
    waiting: int


class Job(Generic[T]):
    """One piece of work in the queue: its status while it waits or runs, then its result
    (or the platform error it failed with)."""

    def __init__(
        self, queue: WorkQueue, kind: JobKind, owner: str, action: Callable[[], T]
    ) -> None:
        self.kind = kind
        self.owner = owner
        self.action = action
        self.future: Future[T] = Future()
        self._queue = queue

    def status(self) -> JobStatus:
        return self._queue.status_of(self)

    def done(self) -> bool:
        return self.future.done()

    def result(self, timeout: float | None = None) -> T:
        """The job's result, waiting up to `timeout` seconds (TimeoutError after that); its
        InterviewPlatformError if it failed."""
        return self.future.result(timeout)


class WorkQueue:
    def __init__(
        self,
        workers: int,
        max_waiting: int,
        *,
        kind_limits: Mapping[JobKind, int] | None = None,
        on_unexpected: Callable[[JobKind, Exception], None] | None = None,
    ) -> None:
        """`on_unexpected(kind, error)` hears of each error that is not the platform's (a bug),
        e.g. to log it; the job fails with a platform error that points to the logs."""
        if workers < 1 or max_waiting < 1:
            raise ValueError("A work queue needs at least one worker and one waiting place.")
        self.workers = workers
        self.max_waiting = max_waiting
        self._limits = dict(kind_limits or {})
        self._on_unexpected = on_unexpected
        self._changed = threading.Condition()
        self._waiting: OrderedDict[str, deque[Job[Any]]] = OrderedDict()  # owner -> jobs
        self._running: set[Job[Any]] = set()
        self._threads: list[threading.Thread] = []
        self._closing = False

    def submit(self, kind: JobKind, owner: str, action: Callable[[], T]) -> Job[T]:
        """Queue `action` for `owner` (a session id); ServerBusyError if the queue is full."""
        job = Job(self, kind, owner, action)
        with self._changed:
            if self._closing:
                raise ServerBusyError("The server is restarting; try again in a minute.")
            waiting = self._count_waiting()
            if waiting >= self.max_waiting:
                raise ServerBusyError(
                    f"The server is busy: {waiting} tasks are already waiting for its "
                    f"{self.workers} workers. Try again in a minute."
                )
            self._waiting.setdefault(owner, deque()).append(job)
            self._start_workers()
            self._changed.notify_all()
        return job

    def status_of(self, job: Job[Any]) -> JobStatus:
        with self._changed:
            if job.future.done():
                failed = job.future.exception() is not None
                return JobStatus(job.kind, JobState.FAILED if failed else JobState.DONE)
            if job in self._running:
                return JobStatus(job.kind, JobState.RUNNING)
            return JobStatus(job.kind, JobState.QUEUED, self._start_order().index(job))

    def load(self) -> QueueLoad:
        with self._changed:
            return QueueLoad(self.workers, len(self._running), self._count_waiting())

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job waits or runs (False if `timeout` seconds pass first)."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._running and not self._waiting, timeout)

    def shutdown(self, timeout: float | None = None) -> int:
        """Refuse new jobs, let the workers finish the queued ones for up to `timeout`
        seconds, then fail those still waiting with an error saying so; returns their count."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return self._fail_waiting()

    def _count_waiting(self) -> int:
        return sum(len(jobs) for jobs in self._waiting.values())

    def _start_order(self) -> list[Job[Any]]:
        """The waiting jobs in the order workers will take them: each owner's first job, in
        the order owners joined, then each owner's second, and so on."""
        keyed = [
            (place, turn, job)
            for turn, jobs in enumerate(self._waiting.values())
            for place, job in enumerate(jobs)
        ]
        return [job for _, _, job in sorted(keyed, key=lambda entry: entry[:2])]

    def _start_workers(self) -> None:
        while len(self._threads) < self.workers:
            thread = threading.Thread(
                target=self._work, name=f"worker-{len(self._threads) + 1}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        while (job := self._take()) is not None:
            self._run(job)
            with self._changed:
                self._running.discard(job)
                self._changed.notify_all()

    def _take(self) -> Job[Any] | None:
        """The next job this worker may run, waiting for one; None once closing with nothing
        left to run."""
        with self._changed:
            while True:
                job = self._next_runnable()
                if job is not None:
                    self._running.add(job)
                    return job
                if self._closing and not self._waiting:
                    return None
                self._changed.wait()

    def _next_runnable(self) -> Job[Any] | None:
        for job in self._start_order():
            if self._has_room(job.kind):
                self._remove_waiting(job)
                return job
        return None

    def _has_room(self, kind: JobKind) -> bool:
        limit = self._limits.get(kind)
        return limit is None or sum(job.kind is kind for job in self._running) < limit

    def _remove_waiting(self, job: Job[Any]) -> None:
        jobs = self._waiting[job.owner]
        jobs.remove(job)
        if jobs:
            self._waiting.move_to_end(job.owner)  # its next job waits for the others' turn
        else:
            del self._waiting[job.owner]

    def _run(self, job: Job[Any]) -> None:
        try:
            job.future.set_result(job.action())
        except InterviewPlatformError as exc:
            job.future.set_exception(exc)
        except Exception as exc:  # a bug: the waiting page gets words, the log the details
            if self._on_unexpected is not None:
                self._on_unexpected(job.kind, exc)
            failure = InterviewPlatformError(
                f"The {job.kind.value} failed unexpectedly ({type(exc).__name__}). Try again; "
                "if it fails again, the server's log has the details."
            )
            failure.__cause__ = exc
            job.future.set_exception(failure)

    def _fail_waiting(self) -> int:
        with self._changed:
            left = [job for jobs in self._waiting.values() for job in jobs]
            self._waiting.clear()
            for job in left:
                job.future.set_exception(
                    ServerBusyError(
                        f"The server stopped before your {job.kind.value} could run. "
                        "Try again once it is back."
                    )
                )
            self._changed.notify_all()
        return len(left)

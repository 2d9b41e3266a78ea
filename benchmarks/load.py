"""`python -m benchmarks load`: many interviews at once through the real services.

- Service level: `sessions` built-in interviews of `turns` answers each, one thread per
  session (as Streamlit runs one script thread per browser tab), all sharing the services
  `bootstrap` builds for the app (one data store and its connection pool, one interviewer).
  Each answer is `SessionManager.submit_answer`, timed from the call to the saved reply.
  Afterwards every session's conversation is read back: the opening, then each answer
  followed by its reply, in the order sent, and nothing else. On PostgreSQL (a scratch
  database created and dropped on the server) and on SQLite (a scratch file).
- Cold start: before anything is loaded, `sessions` sessions start at once on the first
  backend (one load of the problem bank, which every later start waits for).
- Browser level: `tabs` candidates in Chromium on one app process, and what idle interview
  tabs cost the server (`benchmarks/load_browser.py`).
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from benchmarks.load_browser import IDLE_WINDOW_S, TABS, run_browser_load
from benchmarks.load_browser import TURNS as BROWSER_TURNS
from benchmarks.storage import percentile, scratch_postgres_database
from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.simulation import CandidateKind, ScriptedCandidate
from interview_platform.core.models import CommunicationMode, Message, Role, SessionConfig

Echo = Callable[[str], None]

SESSIONS = 50
TURNS = 20
TARGET_P95_MS = 200.0
TARGET_ERRORS = 0
SENTENCE_END = re.compile(r"([.!?])(?=\s|$)")
START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class BrowserLevel:
    """How many Chromium tabs (0: none) answer how many times at the browser level, and how
    long they are then watched idle."""

    tabs: int = TABS
    turns: int = BROWSER_TURNS
    idle_seconds: float = IDLE_WINDOW_S


@dataclass
class SessionRun:
    """One simulated candidate: the answers it sent, each turn's time, what went wrong."""

    session_id: str = ""
    answers: list[str] = field(default_factory=list)
    turn_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LoadFigures:
    backend: str
    sessions: int
    turns: int
    wall_s: float
    warm_up_s: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: list[str]  # each failed start or turn
    problems: list[str]  # what the exactness check found; empty when every session is exact

    @property
    def met(self) -> bool:
        fast = self.p95_ms <= TARGET_P95_MS
        return fast and len(self.errors) <= TARGET_ERRORS and not self.problems


def _settings(scratch: Path, database_url: str) -> Settings:
    """The app's defaults, with its data and logs in `scratch`, on `database_url`, no keys."""
    return Settings(
        _env_file=None,
        database_url=database_url,
        data_dir=scratch / "data",
        log_file_path=scratch / "logs" / "app.log",
        openai_api_key=None,
        anthropic_api_key=None,
    )


@contextmanager
def app_services(database_url: str | None) -> Iterator[Services]:
    """The services `bootstrap` builds for the app, on `database_url` (SQLite in a scratch
    directory when None), migrated, with logs kept off the console."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        scratch = Path(folder)
        url = database_url or f"sqlite:///{scratch / 'data' / 'interview_platform.db'}"
        services = bootstrap(_settings(scratch, url), console_logs=False)
        try:
            yield services
        finally:
            services.close()


def _config() -> SessionConfig:
    return SessionConfig([CommunicationMode.TEXT], "builtin", "rubric")


def _start(services: Services, index: int) -> tuple[str, ScriptedCandidate]:
    manager = services.session_manager
    session = manager.create_session(_config(), f"load-{index}")
    session = manager.start_session(session.id)
    if session.problem is None:
        raise RuntimeError("The built-in interviewer started without choosing a problem.")
    return session.id, ScriptedCandidate(CandidateKind.AVERAGE, session.problem, default_bank())


def own_words(answer: str, candidate: str) -> str:
    """`answer` with every sentence made this candidate's own, as real candidates' are: the
    scripted candidates of one problem say the same sentences, and the interviewer keeps each
    sentence's embedding, so without this only the first of them would pay for the encoder."""
    text = answer.strip()
    text = text if text.endswith((".", "!", "?")) else f"{text}."
    return SENTENCE_END.sub(f" (candidate {candidate})\\1", text)


def _interview(
    services: Services,
    label: str,
    index: int,
    turns: int,
    ready: threading.Barrier,
    run: SessionRun,
) -> None:
    """Start a session, wait for every other candidate, then answer `turns` times."""
    manager = services.session_manager
    try:
        run.session_id, candidate = _start(services, index)
    except Exception as exc:
        run.errors.append(f"start: {type(exc).__name__}: {exc}")
        ready.abort()
        return
    ready.wait(timeout=START_TIMEOUT_S)
    for turn in range(1, turns + 1):
        history = manager.get_conversation(run.session_id)
        answer = own_words(candidate.answer(history), f"{label}{index}")
        run.answers.append(answer)
        started = time.perf_counter()
        try:
            manager.submit_answer(run.session_id, answer)
        except Exception as exc:
            run.errors.append(f"turn {turn}: {type(exc).__name__}: {exc}")
        else:
            run.turn_ms.append((time.perf_counter() - started) * 1000)


def conversation_problems(run: SessionRun, messages: list[Message]) -> list[str]:
    """Why `messages` is not exactly: the opening, then each of `run.answers` followed by one
    interviewer reply, in order, with timestamps that never go back."""
    expected = 1 + 2 * len(run.answers)
    found: list[str] = []
    if len(messages) != expected:
        found.append(f"{len(messages)} messages, expected {expected}")
    roles = [m.role for m in messages]
    if roles != [Role.INTERVIEWER] + [Role.CANDIDATE, Role.INTERVIEWER] * len(run.answers):
        found.append("the roles do not alternate opening, answer, reply, ...")
    answers = [m.content for m in messages if m.role is Role.CANDIDATE]
    if answers != run.answers:
        found.append("the answers are not the ones sent, in the order sent")
    if any(later.timestamp < earlier.timestamp for earlier, later in pairwise(messages)):
        found.append("a message is timestamped before the one it follows")
    return [f"session {run.session_id}: {problem}" for problem in found]


@dataclass(frozen=True)
class ColdStart:
    """`sessions` sessions started at once in a process that has loaded nothing yet."""

    sessions: int
    wall_s: float
    slowest_s: float
    errors: list[str]


def measure_cold_start(services: Services, sessions: int) -> ColdStart:
    """`sessions` threads start a session each at once, before anything is loaded: the first
    caller loads the problem bank and the others wait for that one load (issue 15 item 12:
    every thread loaded it, and 50 cold starts on SQLite took 30.0 s, the slowest 29.9 s; with
    one load, 1.4 s)."""
    ready = threading.Barrier(sessions, timeout=START_TIMEOUT_S)
    seconds: list[float] = []
    errors: list[str] = []

    def start(index: int) -> None:
        ready.wait()
        began = time.perf_counter()
        try:
            _start(services, 10_000 + index)
        except Exception as exc:
            errors.append(f"cold start: {type(exc).__name__}: {exc}")
        seconds.append(time.perf_counter() - began)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions, thread_name_prefix="cold") as pool:
        list(pool.map(start, range(sessions)))
    wall_s = time.perf_counter() - began
    return ColdStart(sessions, round(wall_s, 2), round(max(seconds), 2), errors)


def _report_cold_start(figures: ColdStart, backend: str, echo: Echo) -> None:
    echo(
        f"{backend:<11} cold start: {figures.sessions} sessions started at once in "
        f"{figures.wall_s:.1f} s (slowest {figures.slowest_s:.1f} s)  "
        f"errors {len(figures.errors)}"
    )
    for line in figures.errors[:5]:
        echo(f"{'':<11}   {line}")


def _warm_up(services: Services) -> float:
    """One session and one answer before timing: the problem bank, the interviewer and its
    sentence encoder load once per process, not per turn; returns the seconds it took."""
    started = time.perf_counter()
    session_id, candidate = _start(services, -1)
    history = services.session_manager.get_conversation(session_id)
    services.session_manager.submit_answer(session_id, candidate.answer(history))
    return time.perf_counter() - started


def measure_load(services: Services, backend: str, sessions: int, turns: int) -> LoadFigures:
    """`sessions` interviews of `turns` answers at once, one thread each, then the check."""
    warm_up_s = _warm_up(services)
    runs = [SessionRun() for _ in range(sessions)]
    ready = threading.Barrier(sessions)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions, thread_name_prefix="candidate") as pool:
        for index, run in enumerate(runs):
            pool.submit(_interview, services, backend[0], index, turns, ready, run)
    wall_s = time.perf_counter() - started
    problems = [
        problem
        for run in runs
        if run.session_id
        for problem in conversation_problems(
            run, services.session_manager.get_conversation(run.session_id)
        )
    ]
    samples = [ms for run in runs for ms in run.turn_ms] or [0.0]
    return LoadFigures(
        backend=backend,
        sessions=sessions,
        turns=turns,
        wall_s=round(wall_s, 2),
        warm_up_s=round(warm_up_s, 2),
        p50_ms=round(percentile(samples, 0.5), 1),
        p95_ms=round(percentile(samples, 0.95), 1),
        max_ms=round(max(samples), 1),
        errors=[error for run in runs for error in run.errors],
        problems=problems,
    )


def _report(figures: LoadFigures, echo: Echo) -> None:
    verdict = "MET" if figures.met else "MISSED"
    echo(
        f"{figures.backend:<11} {figures.sessions} sessions x {figures.turns} turns "
        f"in {figures.wall_s:.1f} s  p50 {figures.p50_ms:7.1f} ms  p95 {figures.p95_ms:7.1f} ms"
        f"  max {figures.max_ms:7.1f} ms  errors {len(figures.errors)}  {verdict}"
    )
    exact = "exact" if not figures.problems else f"{len(figures.problems)} PROBLEMS"
    echo(
        f"{figures.backend:<11} conversations: {exact}  (warm-up, one turn before timing: "
        f"{figures.warm_up_s:.1f} s)"
    )
    for line in [*figures.errors[:5], *figures.problems[:5]]:
        echo(f"{'':<11}   {line}")


def run_load_benchmark(
    sessions: int, turns: int, postgres_url: str | None, echo: Echo, browser: BrowserLevel
) -> list[LoadFigures]:
    echo(
        f"Load benchmark, service level: concurrent built-in interviews through "
        f"SessionManager.submit_answer (target per-turn p95 <= {TARGET_P95_MS:.0f} ms, "
        f"errors {TARGET_ERRORS}, every conversation exact)"
    )
    results = []
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if postgres_url:
        backends.insert(0, ("postgresql", postgres_url))
    for index, (backend, server) in enumerate(backends):
        with _database(server) as url, app_services(url) as services:
            if index == 0:  # only the first backend starts in a process that loaded nothing
                _report_cold_start(measure_cold_start(services, sessions), backend, echo)
            figures = measure_load(services, backend, sessions, turns)
        _report(figures, echo)
        results.append(figures)
    if browser.tabs:
        run_browser_load(browser.tabs, browser.turns, browser.idle_seconds, echo)
    return results


@contextmanager
def _database(server_url: str | None) -> Iterator[str | None]:
    if server_url is None:
        yield None
        return
    with scratch_postgres_database(server_url) as url:
        yield url

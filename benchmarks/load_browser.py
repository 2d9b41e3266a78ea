"""`python -m benchmarks load`, browser level: many candidates in Chromium on one app.

`interview-platform run` serves the app from a scratch folder (SQLite, no API keys, the
built-in interviewer), and one Chromium opens `tabs` browser contexts at once (each its own
cookies and Streamlit session, as separate candidates are). The tabs arrive `RAMP_S` apart,
then interview at once: each starts an interview and types `turns` answers, as a candidate
writes them. An answer is timed from Enter to the interviewer's reply appearing in the chat
(its first text) and to the page's run ending (the whole reply shown, the transcript updated).
The app server's CPU meanwhile is reported too: on one machine, Chromium's tabs take the rest.

Then the tabs stay open on their interviews, untouched, and the app server's CPU time (every
process started in the scratch folder, from /proc) is read over a quiet window: what idle
interview tabs cost the server. The same window with no tab open is the baseline.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    INTERVIEWER_MESSAGE,
    SETTLED,
    running_app,
)

from benchmarks.storage import percentile
from interview_platform.core.interviewer.problems import Phase, default_bank
from interview_platform.core.interviewer.simulation import CandidateKind, ScriptedCandidate
from interview_platform.core.models import ExperienceLevel, Message, ProblemBrief, Role

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

Echo = Callable[[str], None]

TABS = 20
TURNS = 5
TARGET_REPLY_P95_S = 2.0
TARGET_IDLE_TAB_PERCENT = 1.0
IDLE_WINDOW_S = 30.0
SETTLE_S = 5.0  # after the last answer, before the idle window: runs in flight end
RAMP_S = 1.0  # between two tabs' arrivals: candidates do not all open the page in one instant
WAIT_MS = 120_000  # for a page or a reply under load: what a candidate would give up after
VIEWPORT = {"width": 1440, "height": 900}
_INTERVIEWER_COUNT = f"document.querySelectorAll('{INTERVIEWER_MESSAGE}').length"
_REPLIED = f"""(before) => {{
  const all = document.querySelectorAll('{INTERVIEWER_MESSAGE}');
  return all.length > before && all[all.length - 1].innerText.trim().length > 0;
}}"""


@dataclass
class TabRun:
    """One candidate's tab: each answer's times, what went wrong."""

    reply_s: list[float] = field(default_factory=list)
    complete_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BrowserLoadFigures:
    tabs: int
    turns: int
    wall_s: float
    reply_p50_s: float
    reply_p95_s: float
    complete_p95_s: float
    errors: list[str]
    busy_percent: float  # the server while the tabs interview, % of one core
    baseline_percent: float  # the server with no tab open, % of one core
    idle_percent: float  # the server with every tab open and idle, % of one core

    @property
    def per_tab_percent(self) -> float:
        return max(0.0, self.idle_percent - self.baseline_percent) / max(1, self.tabs)

    @property
    def met(self) -> bool:
        return (
            not self.errors
            and self.reply_p95_s <= TARGET_REPLY_P95_S
            and self.per_tab_percent <= TARGET_IDLE_TAB_PERCENT
        )


def server_cpu_seconds(workdir: Path) -> float:
    """User and system CPU time of every process whose working folder is `workdir`."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "cwd").resolve() != workdir.resolve():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended, or is not ours to read
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / tick


def cpu_percent(workdir: Path, window_s: float) -> float:
    """The server's CPU use over `window_s` seconds, in % of one core."""
    before, started = server_cpu_seconds(workdir), time.monotonic()
    time.sleep(window_s)
    return 100 * (server_cpu_seconds(workdir) - before) / (time.monotonic() - started)


def candidate_answers(problem_title: str, turns: int, tab: int) -> list[str]:
    """`turns` answers a scripted candidate gives to the bank problem titled so (or to the
    first problem), one for each phase of the interview in turn, each marked as this tab's
    own. They are written before the interview (the page's questions are not read back,
    unlike the service level's candidates)."""
    bank = default_bank()
    problem = next((p for p in bank.problems if p.title == problem_title), bank.problems[0])
    brief = ProblemBrief(problem.title, "", ExperienceLevel.MID, problem.slug)
    candidate = ScriptedCandidate(CandidateKind.AVERAGE, brief, bank)
    phases = list(Phase)
    return [
        f"{candidate.answer([_asked_about(phases[turn % len(phases)])])} (candidate {tab})"
        for turn in range(turns)
    ]


def _asked_about(phase: Phase) -> Message:
    """An interviewer's question as the scripted candidate reads it: its phase."""
    return Message(Role.INTERVIEWER, "", metadata={"phase": phase.value})


async def _open_interview(page: Page, url: str) -> str:
    """Start a built-in interview in `page`; the problem's title."""
    from playwright.async_api import expect

    await page.goto(url, timeout=WAIT_MS)
    await page.get_by_role("button", name="Start Interview").click(timeout=WAIT_MS)
    await expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=WAIT_MS)
    await page.wait_for_function(_REPLIED, arg=0, timeout=WAIT_MS)
    title = page.get_by_test_id("stHeading").filter(has_not_text="Transcript").first
    return (await title.inner_text(timeout=WAIT_MS)).strip()


async def _answer(page: Page, answer: str, run: TabRun) -> None:
    before = await page.evaluate(f"() => {_INTERVIEWER_COUNT}")
    box = page.get_by_test_id("stChatInputTextArea")
    await box.fill(answer, timeout=WAIT_MS)
    started = time.perf_counter()
    await box.press("Enter")
    await page.wait_for_function(_REPLIED, arg=before, timeout=WAIT_MS, polling=20)
    run.reply_s.append(time.perf_counter() - started)
    await page.wait_for_function(SETTLED, timeout=WAIT_MS, polling=20)
    run.complete_s.append(time.perf_counter() - started)


async def _candidate(browser: Browser, url: str, tab: int, turns: int, run: TabRun) -> Page:
    await asyncio.sleep(tab * RAMP_S)
    context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    page = await context.new_page()
    try:
        title = await _open_interview(page, url)
    except Exception as exc:
        run.errors.append(f"tab {tab} start: {_first_line(exc)}")
        return page
    for turn, answer in enumerate(candidate_answers(title, turns, tab), start=1):
        try:
            await _answer(page, answer, run)
        except Exception as exc:
            run.errors.append(f"tab {tab} turn {turn}: {_first_line(exc)}")
            break
    return page


def _first_line(error: Exception) -> str:
    """The error's kind and first line (Playwright's carry a whole call log)."""
    lines = str(error).strip().splitlines() or [""]
    return f"{type(error).__name__}: {lines[0][:200]}"


async def _measure(
    url: str, workdir: Path, tabs: int, turns: int, idle_window_s: float
) -> BrowserLoadFigures:
    from playwright.async_api import async_playwright

    baseline = await asyncio.to_thread(cpu_percent, workdir, idle_window_s / 3)
    runs = [TabRun() for _ in range(tabs)]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS)
        )
        started, cpu_before = time.perf_counter(), server_cpu_seconds(workdir)
        await asyncio.gather(
            *(_candidate(browser, url, tab, turns, runs[tab]) for tab in range(tabs))
        )
        wall_s = time.perf_counter() - started
        busy = 100 * (server_cpu_seconds(workdir) - cpu_before) / wall_s
        await asyncio.sleep(SETTLE_S)
        idle = await asyncio.to_thread(cpu_percent, workdir, idle_window_s)
        await browser.close()
    replies = [s for run in runs for s in run.reply_s] or [0.0]
    complete = [s for run in runs for s in run.complete_s] or [0.0]
    return BrowserLoadFigures(
        tabs=tabs,
        turns=turns,
        wall_s=round(wall_s, 1),
        reply_p50_s=round(percentile(replies, 0.5), 2),
        reply_p95_s=round(percentile(replies, 0.95), 2),
        complete_p95_s=round(percentile(complete, 0.95), 2),
        errors=[error for run in runs for error in run.errors],
        busy_percent=round(busy, 1),
        baseline_percent=round(baseline, 2),
        idle_percent=round(idle, 2),
    )


def measure_browser_load(
    tabs: int = TABS, turns: int = TURNS, idle_window_s: float = IDLE_WINDOW_S
) -> BrowserLoadFigures:
    """The app in a scratch folder, `tabs` candidates at once in Chromium, then idle tabs."""
    with tempfile.TemporaryDirectory(prefix="bench-load-browser-") as scratch:
        workdir = Path(scratch)
        with running_app(workdir) as url:
            return asyncio.run(_measure(url, workdir, tabs, turns, idle_window_s))


def report_browser_load(figures: BrowserLoadFigures, echo: Echo) -> None:
    verdict = "MET" if figures.met else "MISSED"
    echo(
        f"browser     {figures.tabs} tabs x {figures.turns} answers in {figures.wall_s:.1f} s  "
        f"answer-to-reply p50 {figures.reply_p50_s:.2f} s  p95 {figures.reply_p95_s:.2f} s "
        f"(whole run p95 {figures.complete_p95_s:.2f} s)  errors {len(figures.errors)}"
    )
    echo(
        f"browser     the app server used {figures.busy_percent:.0f}% of a core meanwhile "
        f"(Chromium the rest of {os.cpu_count()} cores; tabs arrived {RAMP_S:g} s apart)"
    )
    echo(
        f"browser     idle: server {figures.baseline_percent:.2f}% of a core with no tab, "
        f"{figures.idle_percent:.2f}% with {figures.tabs} idle interview tabs = "
        f"{figures.per_tab_percent:.3f}% a tab (target <= {TARGET_IDLE_TAB_PERCENT:.0f}%)  "
        f"{verdict}"
    )
    for line in figures.errors[:5]:
        echo(f"{'':<11}   {line}")


def run_browser_load(
    tabs: int, turns: int, idle_window_s: float, echo: Echo
) -> BrowserLoadFigures | None:
    echo(
        f"Load benchmark, browser level: {tabs} Chromium tabs at once on one app process "
        f"(target answer-to-reply p95 <= {TARGET_REPLY_P95_S:.0f} s, errors 0, an idle "
        f"interview tab <= {TARGET_IDLE_TAB_PERCENT:.0f}% of a core)"
    )
    if not CHROMIUM.is_file():
        echo(f"browser     skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
        return None
    figures = measure_browser_load(tabs, turns, idle_window_s)
    report_browser_load(figures, echo)
    return figures

"""The interview clock, ticking in the browser: the page sends the elapsed time when it runs,
and the component counts on from there every second without asking the server (a fragment
with `run_every` would rerun on the server every second for every open tab).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

COMPONENT_NAME = "interview_platform_clock"

HTML = '<span class="clock" role="timer" aria-label="Interview time"></span>'

CSS = """
.clock {
  font-family: var(--st-font, sans-serif); font-weight: 600; white-space: nowrap;
  color: #1c83e1; display: inline-flex; align-items: center; gap: 0.25rem;
}
.clock svg { width: 1.1rem; height: 1.1rem; fill: currentColor; }
.clock .limit { font-weight: 400; color: var(--st-text-color, #31333f); }
.clock.over { color: #d32f2f; }
"""

JS = """
const ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 1H9v2h6V1zm-4 13h2V8h-2v6z'
  + 'm8.03-6.61l1.42-1.42c-.43-.51-.9-.99-1.41-1.41l-1.42 1.42C16.07 4.74 14.12 4 12 4c-4.97 0-9 '
  + '4.03-9 9s4.02 9 9 9 9-4.03 9-9c0-2.12-.74-4.07-1.97-5.61zM12 20c-3.87 0-7-3.13-7-7s3.13-7 '
  + '7-7 7 3.13 7 7-3.13 7-7 7z"/></svg>';
const pad = (n) => String(n).padStart(2, "0");
const shown = (seconds) => `${pad(Math.floor(seconds / 60))}:${pad(Math.floor(seconds % 60))}`;

export default function ({ data, parentElement }) {
  const clock = parentElement.querySelector(".clock");
  const origin = performance.now() - data.elapsed * 1000;
  const show = () => {
    const elapsed = data.running ? (performance.now() - origin) / 1000 : data.elapsed;
    const limit = data.limit ? `<span class="limit"> / ${data.limit}:00</span>` : "";
    clock.innerHTML = `${ICON}<span>${shown(elapsed)}</span>${limit}`;
    clock.classList.toggle("over", Boolean(data.limit) && elapsed >= data.limit * 60);
  };
  show();
  clearInterval(clock.__tick);
  const tick = data.running ? setInterval(show, 1000) : undefined;
  clock.__tick = tick;
  return () => clearInterval(tick);
}
"""


@functools.cache
def _component() -> Callable[..., Any]:
    mount: Callable[..., Any] = st.components.v2.component(
        COMPONENT_NAME, html=HTML, css=CSS, js=JS
    )
    return mount


def clock(key: str, elapsed_seconds: float, running: bool, limit_minutes: int | None) -> None:
    """Show mm:ss from `elapsed_seconds`, counting on in the browser while `running`."""
    data = {"elapsed": round(elapsed_seconds, 1), "running": running, "limit": limit_minutes}
    _component()(key=key, data=data, width="content")

"""Each page opens at its top: a zero-height component that scrolls the main area up when the
tab arrives on another page.

Streamlit keeps the main area's scroll position across a page switch. Starting an interview
from a Setup page scrolled down to its Start button then opened the Interview page scrolled
down as well (by as much as the new page was taller than the window), with its controls out
of view. Within a page, reruns keep the reader's place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

COMPONENT_NAME = "interview_platform_page_top"

JS = """
export default function ({ data }) {
  if (window.__interviewPlatformPage === data.page) return;
  window.__interviewPlatformPage = data.page;
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) main.scrollTop = 0;
}
"""


@functools.cache
def _component() -> Callable[..., Any]:
    mount: Callable[..., Any] = st.components.v2.component(
        COMPONENT_NAME, html="<div></div>", js=JS, isolate_styles=False
    )
    return mount


def page_top(page: str) -> None:
    """Scroll the main area to its top when this tab was last on another `page`."""
    _component()(key="page_top", data={"page": page}, height=0)

"""How wide the column is, in CSS pixels, as the browser lays it out: a zero-height component
that reports its own width when it is first drawn and whenever it changes by a few pixels
(a resized window, the sidebar opened or closed), so a fixed-size widget can fit its column.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

COMPONENT_NAME = "interview_platform_column_width"
STEP = 8  # px: smaller changes are not reported, so a resize does not rerun on every pixel

JS = f"""
export default function ({{ parentElement, setStateValue }}) {{
  const measure = () => {{
    const width = Math.floor(parentElement.getBoundingClientRect().width);
    if (width > 0 && Math.abs(width - (parentElement.__sent || 0)) >= {STEP}) {{
      parentElement.__sent = width;
      setStateValue("width", width);
    }}
  }};
  const observer = new ResizeObserver(measure);
  observer.observe(parentElement);
  measure();
  return () => observer.disconnect();
}}
"""


@functools.cache
def _component() -> Callable[..., Any]:
    mount: Callable[..., Any] = st.components.v2.component(
        COMPONENT_NAME, html="<div></div>", js=JS, isolate_styles=False
    )
    return mount


def column_width(key: str) -> int | None:
    """The width of the column this is called in, once the browser has measured it."""
    result = _component()(key=key, default={"width": None}, on_width_change=lambda: None, height=0)
    width = getattr(result, "width", None)
    return width if isinstance(width, int) and width > 0 else None

"""Dialogs that stay open across full reruns (a streamed reply, a snapshot) until one of their
buttons, or dismissing them, closes them: the open dialog's name lives in session state."""

from __future__ import annotations

from typing import Any

import streamlit as st

OPEN_DIALOG = "interview_open_dialog"


def opens(dialog: str) -> dict[str, Any]:
    """A button's arguments to open `dialog`: it stays open until closed (`close_dialog`)."""
    return {"on_click": _open_dialog, "args": (dialog,), "key": f"open_{dialog}"}


def _open_dialog(dialog: str) -> None:
    st.session_state[OPEN_DIALOG] = dialog


def is_open(dialog: str) -> bool:
    return bool(st.session_state.get(OPEN_DIALOG) == dialog)


def close_dialog() -> None:
    st.session_state.pop(OPEN_DIALOG, None)

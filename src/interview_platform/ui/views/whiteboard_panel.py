"""The Interview page's whiteboard: tools, the canvas sized to its column, snapshots, clear and
full screen.

The canvas starts from this tab's drawing when there is one, else from the session's last
saved snapshot (after a reload, a resume or opening the session by its URL). A box drawn with
the labeled-box tool comes back from the browser with its label as a chip above the box; the
board is then redrawn with the label inside the box, sized to fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from interview_platform.communication.whiteboard import Snapshot
from interview_platform.core.labeled_boxes import fit_labels
from interview_platform.core.work_queue import Job
from interview_platform.errors import InterviewPlatformError
from interview_platform.ui.column_width import column_width
from interview_platform.ui.context import services, show_error, shows_errors
from interview_platform.ui.views.dialog_state import close_dialog, is_open, opens
from interview_platform.ui.work_status import job_progress

CANVAS_HEIGHT = 420
DEFAULT_WIDTH = 400  # until the browser has measured the column (fits it from 1280 px up)
MIN_WIDTH, MAX_WIDTH = 240, 1200
FONT_SIZE = 18
LABELED_BOX = "labeled_rect"
TOOLS = {
    "Pen": "freedraw",
    "Line": "line",
    "Rectangle": "rect",
    "Circle": "circle",
    "Text": "text",
    "Labeled box": LABELED_BOX,
}


@st.fragment
@shows_errors
def whiteboard(session_id: str, active: bool) -> None:
    # Importing the canvas registers its component, which needs a running app.
    from streamlit_drawable_canvas import st_canvas

    st.subheader("Whiteboard")
    tool, colour, width = st.columns([2, 1, 2], vertical_alignment="bottom")
    mode = TOOLS[tool.selectbox("Tool", list(TOOLS), key="wb_tool")]
    stroke = colour.color_picker("Colour", "#1F2937", key="wb_colour")
    stroke_width = width.slider("Width", 1, 12, 3, key="wb_width")
    label = _label_slot(mode)
    board = _board(session_id)
    key = f"wb_canvas_{session_id}_{board.get('generation', 0)}"
    if key not in st.session_state:  # a new canvas: first visit, back from another page, cleared
        drawing = board.get("drawing")
        board["start"] = (drawing and fit_labels(drawing, FONT_SIZE)) or drawing
    _fit_labels(board, _sent_drawing(key))
    canvas = st_canvas(
        fill_color=None if mode == "text" else "rgba(255, 255, 255, 0)",
        stroke_width=stroke_width,
        stroke_color=stroke,
        background_color="#FFFFFF",
        height=CANVAS_HEIGHT,
        width=_canvas_width(),
        drawing_mode=mode,
        label=label,
        return_image_data=True,
        disabled=not active,
        font_size=FONT_SIZE,
        initial_drawing=board.get("start"),
        key=key,
    )
    sent = canvas.json_data
    board["drawing"] = board["start"] if sent and sent == board.get("fitted_from") else sent
    _restored_note(board)
    st.caption("Hover over the board for undo, redo, edit (move, resize) and reset.")
    _actions(session_id, active, canvas.image_bytes, canvas.json_data)


def _label_slot(mode: str) -> str:
    """The box label, asked for only with the labeled-box tool; the slot is always there,
    emptied for other tools (an element added above the canvas would remount it)."""
    slot = st.empty()
    if mode != LABELED_BOX:
        slot.empty()
        return ""
    text = slot.text_input("Box label", placeholder="e.g. Load balancer", key="wb_label")
    return text.strip()


def _canvas_width() -> int:
    """The canvas' width: its column's, as the browser measured it."""
    measured = column_width("wb_column_width")
    return DEFAULT_WIDTH if measured is None else max(MIN_WIDTH, min(measured, MAX_WIDTH))


def _board(session_id: str) -> dict[str, Any]:
    """This tab's whiteboard state for the session: canvas generation, drawing, last snapshot.
    The first time, it starts from the session's last saved snapshot."""
    name = f"interview_board_{session_id}"
    if name not in st.session_state:
        saved = services().whiteboard.last_drawing(session_id)
        st.session_state[name] = {} if saved is None else {
            "drawing": saved.canvas,
            "restored": f"{saved.saved_at.astimezone():%H:%M}",
        }  # fmt: skip
    board: dict[str, Any] = st.session_state[name]
    return board


def _sent_drawing(key: str) -> dict[str, Any] | None:
    """The drawing the canvas last sent, before this run draws it again."""
    state = st.session_state.get(key)
    drawing = state.get("drawing") if isinstance(state, Mapping) else None
    raw = drawing.get("raw") if isinstance(drawing, Mapping) else None
    return raw if isinstance(raw, dict) else None


def _fit_labels(board: dict[str, Any], sent: dict[str, Any] | None) -> None:
    """Have the canvas redraw a new labeled box with its label inside, fitted."""
    if sent is None or sent == board.get("fitted_from"):
        return
    fitted = fit_labels(sent, FONT_SIZE)
    if fitted is not None:
        board.update(start=fitted, fitted_from=sent)


def _restored_note(board: dict[str, Any]) -> None:
    if restored := board.get("restored"):
        st.caption(f":material/history: Restored from your snapshot saved at {restored}.")


def _actions(
    session_id: str, active: bool, png: bytes | None, drawing: dict[str, Any] | None
) -> None:
    with st.container(horizontal=True):  # each button as wide as its label
        looking = _board(session_id).get("job") is not None  # one snapshot at a time
        save = st.button(
            "Save Snapshot", icon=":material/photo_camera:", disabled=not active or looking
        )
        st.button("Clear", icon=":material/delete:", disabled=not active, **opens("clear"))
        st.button("Full screen", icon=":material/fullscreen:", **opens("full_screen"))
    if save:
        _save_snapshot(session_id, png, drawing)
    if is_open("clear"):
        _confirm_clear(session_id)
    elif is_open("full_screen"):
        _full_screen(png or _board(session_id).get("snapshot"))
    _snapshot_progress(session_id)
    if note := _board(session_id).get("note"):
        st.markdown(f":blue-badge[:material/check: Snapshot saved] {note}")


def _save_snapshot(session_id: str, png: bytes | None, drawing: dict[str, Any] | None) -> None:
    if not png:
        st.warning(
            "The board has not sent its picture yet: draw something, or press the upload "
            "button in the board's toolbar, then save again."
        )
        return
    try:
        job = services().whiteboard.submit_snapshot(session_id, png, drawing)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    _board(session_id).update(snapshot=png, job=job, note=None, restored=None)


def _snapshot_progress(session_id: str) -> None:
    """The saved snapshot's place in the queue until the interviewer has looked at it; then
    what they saw (and, when the drawing joined the conversation, the page with the reply)."""
    board = _board(session_id)
    job: Job[Snapshot] | None = board.get("job")
    if job is None:
        return
    if not job.done():
        job_progress(job)
        return
    board["job"] = None
    try:
        snapshot = job.result()
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    board["note"] = snapshot.note
    st.toast(snapshot.note, icon=":material/draw:")
    if snapshot.answer is not None:  # the drawing joined the conversation: show the reply
        st.rerun(scope="app")


@st.dialog("Clear the whiteboard?", on_dismiss=close_dialog)
@shows_errors
def _confirm_clear(session_id: str) -> None:
    st.write("This erases the drawing and its undo history. Saved snapshots are kept.")
    clear, keep = st.columns(2)
    if clear.button("Clear it", type="primary", key="wb_clear_confirm"):
        board = _board(session_id)
        generation = board.get("generation", 0) + 1
        board.update(generation=generation, drawing=None, note=None, restored=None)
        close_dialog()
        st.rerun()
    if keep.button("Keep it", key="wb_clear_cancel"):
        close_dialog()
        st.rerun()


@st.dialog("Whiteboard", width="large", on_dismiss=close_dialog)
@shows_errors
def _full_screen(png: bytes | None) -> None:
    if png:
        st.image(png, width="stretch")
    else:
        st.info("Nothing drawn yet: draw on the board, then open it full screen.")

"""Interview: the chat (30%), the whiteboard (45%) and the transcript (25%), controls below.

Each panel is a fragment, so typing in the chat or searching the transcript does not redraw
the whiteboard. A finished turn (an answer or a snapshot) reruns the whole app, so the
transcript and the token count catch up with it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from interview_platform.core.models import (
    CommunicationMode,
    Message,
    Role,
    Session,
    SessionStatus,
    utc_now,
)
from interview_platform.core.transcripts import search_messages, to_markdown, to_plain_text
from interview_platform.errors import InterviewPlatformError
from interview_platform.ui.context import current_session, services, show_error
from interview_platform.ui.media import render_screen_share, render_video, render_voice
from interview_platform.ui.navigation import evaluation_page, go_to, setup_page
from interview_platform.ui.streaming import stream_reply

PANEL_HEIGHT = 520
CHAT_WINDOW = 30  # messages drawn in the chat; earlier ones on request (speed at 200+)
TRANSCRIPT_WINDOW = 100  # turns listed without a search
SHOW_ALL_CHAT = "interview_show_all_chat"
CANVAS_HEIGHT = 420
CANVAS_WIDTH = 480  # fits the 45% column of a 1440-1600 px window; wider scrolls
PENDING_ERROR = "interview_pending_error"
OPEN_DIALOG = "interview_open_dialog"  # kept open across full reruns, closed by its buttons
TOOLS = {
    "Pen": "freedraw",
    "Line": "line",
    "Rectangle": "rect",
    "Circle": "circle",
    "Text": "text",
    "Labeled box": "labeled_rect",
}
AVATARS = {Role.INTERVIEWER: ":material/smart_toy:", Role.CANDIDATE: ":material/person:"}
DRAWING_AVATAR = ":material/draw:"
MODES = {  # colour, icon, label: each mode its own colour when active
    CommunicationMode.TEXT: ("green", ":material/chat:", "Text"),
    CommunicationMode.WHITEBOARD: ("blue", ":material/draw:", "Whiteboard"),
    CommunicationMode.AUDIO: ("red", ":material/mic:", "Audio"),
    CommunicationMode.VIDEO: ("red", ":material/videocam:", "Video"),
    CommunicationMode.SCREEN_SHARE: ("violet", ":material/screen_share:", "Screen"),
}


def render() -> None:
    session = current_session()
    if session is None:
        _no_session()
    elif session.status is SessionStatus.COMPLETED:
        _completed(session)
    elif session.status is SessionStatus.CREATED:
        _not_started(session)
    else:
        _interview(session)


def _no_session() -> None:
    st.title("Interview")
    st.info(
        "No interview is open in this tab. Start one on the Setup page.", icon=":material/info:"
    )
    if st.button("Go to Setup", type="primary", icon=":material/tune:"):
        go_to(setup_page())


def _completed(session: Session) -> None:
    st.title("Interview")
    st.success("This interview has ended.", icon=":material/check_circle:")
    error = st.session_state.pop(PENDING_ERROR, None)
    if isinstance(error, InterviewPlatformError):
        show_error(error)
    if services().evaluation_manager.get_evaluation(session.id) is not None:
        st.page_link(evaluation_page(), label="See your evaluation", icon=":material/grading:")
    else:
        st.info("It has not been evaluated yet.")
        if st.button("Evaluate it now", type="primary", icon=":material/grading:"):
            _evaluate(session.id)
    if st.button("Start a new interview", icon=":material/add:"):
        go_to(setup_page())


def _not_started(session: Session) -> None:
    st.title("Interview")
    st.info("This interview has not started yet.")
    if st.button("Start it", type="primary", icon=":material/play_arrow:"):
        with st.spinner("Choosing your problem..."):
            _act(lambda: services().session_manager.start_session(session.id))


def _interview(session: Session) -> None:
    problem = session.problem
    st.markdown(f"#### {problem.title if problem else 'System design interview'}")
    if problem is not None:
        with st.expander("The problem"):
            st.markdown(problem.statement)
    active = session.status is SessionStatus.ACTIVE
    banner = st.container()  # always there, so the panels below keep their place (and state)
    if not active:
        banner.warning(
            "The interview is paused: the timer is stopped and the conversation is read-only. "
            "Press Resume below to continue.",
            icon=":material/pause_circle:",
        )
    chat, board, transcript = st.columns([30, 45, 25])
    with chat:
        _chat(session.id, active)
        if CommunicationMode.AUDIO in session.config.enabled_modes:
            render_voice(session.id, active)
    with board:
        if CommunicationMode.WHITEBOARD in session.config.enabled_modes:
            _whiteboard(session.id, active)
        else:
            st.subheader("Whiteboard")
            st.info("The whiteboard is off for this interview; turn it on in Setup next time.")
    with transcript:
        _transcript(session.id)
    _bottom_bar(session)
    _camera_and_screen(session)


def _camera_and_screen(session: Session) -> None:
    """The camera and screen share, when the interview uses them; each failure is explained
    in place and the interview goes on in text."""
    enabled = session.config.enabled_modes
    wanted = [m for m in (CommunicationMode.VIDEO, CommunicationMode.SCREEN_SHARE) if m in enabled]
    if not wanted or session.status is not SessionStatus.ACTIVE:
        return
    columns = st.columns(len(wanted))
    for column, mode in zip(columns, wanted, strict=True):
        with column:
            if mode is CommunicationMode.VIDEO:
                st.markdown("##### :material/videocam: Camera")
                render_video(session.id)
            else:
                st.markdown("##### :material/screen_share: Screen share")
                render_screen_share(session.id)


# --- Left: the conversation -------------------------------------------------------------


@st.fragment
def _chat(session_id: str, active: bool) -> None:
    st.subheader("AI Interviewer")
    messages = services().session_manager.get_conversation(session_id)
    history = st.container(height=PANEL_HEIGHT, autoscroll=True)
    with history:
        hidden = len(messages) - CHAT_WINDOW
        if hidden > 0 and not st.session_state.get(SHOW_ALL_CHAT):
            if st.button(f"Show {hidden} earlier messages", key="chat_show_all", type="tertiary"):
                st.session_state[SHOW_ALL_CHAT] = True
                st.rerun(scope="fragment")
            messages = messages[-CHAT_WINDOW:]
        for message in messages:
            _show_message(message)
    error = st.session_state.pop(PENDING_ERROR, None)
    if isinstance(error, InterviewPlatformError):
        show_error(error)
    placeholder = "Type your answer..." if active else "Paused: resume to answer"
    answer = st.chat_input(placeholder, disabled=not active, key="interview_answer")
    if isinstance(answer, str) and answer:
        with history:
            _exchange(session_id, answer)
        st.rerun(scope="app")


def _show_message(message: Message) -> None:
    drawing = message.metadata.get("source") == "whiteboard"
    spoken = message.metadata.get("source") == "audio"
    avatar = DRAWING_AVATAR if drawing else ":material/mic:" if spoken else AVATARS[message.role]
    name = "assistant" if message.role is Role.INTERVIEWER else "user"
    with st.chat_message(name, avatar=avatar):
        st.markdown(message.content)
        st.caption(f"{message.timestamp:%H:%M:%S}" + (" · whiteboard snapshot" if drawing else ""))


def _exchange(session_id: str, text: str) -> None:
    """Show the answer, stream the reply; an error waits in session state for the rerun."""
    manager = services().session_manager
    with st.chat_message("user", avatar=AVATARS[Role.CANDIDATE]):
        st.markdown(text)
    with st.chat_message("assistant", avatar=AVATARS[Role.INTERVIEWER]):
        tokens, finish = stream_reply(
            lambda on_token: manager.submit_answer(session_id, text, on_token=on_token)
        )
        st.write_stream(tokens)
        try:
            finish()
        except InterviewPlatformError as exc:  # the answer, if valid, is saved before this
            st.session_state[PENDING_ERROR] = exc


# --- Centre: the whiteboard -------------------------------------------------------------


@st.fragment
def _whiteboard(session_id: str, active: bool) -> None:
    # Importing the canvas registers its component, which needs a running app.
    from streamlit_drawable_canvas import st_canvas

    st.subheader("Whiteboard")
    tool, colour, width = st.columns([2, 1, 2], vertical_alignment="bottom")
    mode = TOOLS[tool.selectbox("Tool", list(TOOLS), key="wb_tool")]
    stroke = colour.color_picker("Colour", "#1F2937", key="wb_colour")
    stroke_width = width.slider("Width", 1, 12, 3, key="wb_width")
    label = ""
    with st.container():  # a fixed slot: an element added above the canvas would remount it
        if mode == "labeled_rect":
            label = st.text_input("Box label", placeholder="e.g. Load balancer", key="wb_label")
    board = _board(session_id)
    key = f"wb_canvas_{session_id}_{board.get('generation', 0)}"
    if key not in st.session_state:  # a new canvas: first visit, back from another page, cleared
        board["start"] = board.get("drawing")
    canvas = st_canvas(
        fill_color=None if mode == "text" else "rgba(255, 255, 255, 0)",
        stroke_width=stroke_width,
        stroke_color=stroke,
        background_color="#FFFFFF",
        height=CANVAS_HEIGHT,
        width=CANVAS_WIDTH,
        drawing_mode=mode,
        label=label.strip(),
        return_image_data=True,
        disabled=not active,
        font_size=18,
        initial_drawing=board.get("start"),
        key=key,
    )
    board["drawing"] = canvas.json_data
    st.caption("Hover over the board for undo, redo, edit (move, resize, relabel) and reset.")
    save, clear, full = st.columns(3)
    if save.button("Save Snapshot", icon=":material/photo_camera:", disabled=not active):
        _save_snapshot(session_id, canvas.image_bytes, canvas.json_data)
    clear.button("Clear", icon=":material/delete:", disabled=not active, **_opens("clear"))
    full.button("Full screen", icon=":material/fullscreen:", **_opens("full_screen"))
    if _is_open("clear"):
        _confirm_clear(session_id)
    elif _is_open("full_screen"):
        _full_screen(canvas.image_bytes or board.get("snapshot"))
    if note := board.get("note"):
        st.markdown(f":blue-badge[:material/check: Snapshot saved] {note}")


def _board(session_id: str) -> dict[str, Any]:
    """This tab's whiteboard state for the session: canvas generation, drawing, last snapshot."""
    board: dict[str, Any] = st.session_state.setdefault(f"interview_board_{session_id}", {})
    return board


def _save_snapshot(
    session_id: str, png: bytes | None, canvas_json: dict[str, object] | None
) -> None:
    if not png:
        st.warning(
            "The board has not sent its picture yet: draw something, or press the upload "
            "button in the board's toolbar, then save again."
        )
        return
    try:
        with st.spinner("The interviewer is looking at your drawing..."):
            snapshot = services().whiteboard.save_snapshot(session_id, png, canvas_json)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    _board(session_id).update(snapshot=png, note=snapshot.note)
    st.toast(snapshot.note, icon=":material/draw:")
    if snapshot.answer is not None:  # the drawing joined the conversation: show the reply
        st.rerun(scope="app")


def _opens(dialog: str) -> dict[str, Any]:
    """A button's arguments to open `dialog`: it stays open until closed (`_close_dialog`)."""
    return {"on_click": _open_dialog, "args": (dialog,), "key": f"open_{dialog}"}


def _open_dialog(dialog: str) -> None:
    st.session_state[OPEN_DIALOG] = dialog


def _is_open(dialog: str) -> bool:
    return bool(st.session_state.get(OPEN_DIALOG) == dialog)


def _close_dialog() -> None:
    st.session_state.pop(OPEN_DIALOG, None)


@st.dialog("Clear the whiteboard?", on_dismiss=_close_dialog)
def _confirm_clear(session_id: str) -> None:
    st.write("This erases the drawing and its undo history. Saved snapshots are kept.")
    clear, keep = st.columns(2)
    if clear.button("Clear it", type="primary", key="wb_clear_confirm"):
        board = _board(session_id)
        board.update(generation=board.get("generation", 0) + 1, drawing=None, note=None)
        _close_dialog()
        st.rerun()
    if keep.button("Keep it", key="wb_clear_cancel"):
        _close_dialog()
        st.rerun()


@st.dialog("Whiteboard", width="large", on_dismiss=_close_dialog)
def _full_screen(png: bytes | None) -> None:
    if png:
        st.image(png, width="stretch")
    else:
        st.info("Nothing drawn yet: draw on the board, then open it full screen.")


# --- Right: the transcript --------------------------------------------------------------


@st.fragment
def _transcript(session_id: str) -> None:
    st.subheader("Transcript")
    messages = services().session_manager.get_conversation(session_id)
    query = st.text_input(
        "Search the transcript",
        placeholder="Search the transcript",
        label_visibility="collapsed",
        icon=":material/search:",
        live=True,
        key="transcript_search",
    )
    found = search_messages(messages, query or "")
    with st.container(height=PANEL_HEIGHT - 70, autoscroll=not query):  # newest in view
        if query and not found:
            st.caption("No turn matches your search.")
        if not query and len(found) > TRANSCRIPT_WINDOW:
            st.caption(
                f"The {len(found) - TRANSCRIPT_WINDOW} earlier turns are in the search and "
                "the exports."
            )
            found = found[-TRANSCRIPT_WINDOW:]
        st.markdown("\n\n".join(_transcript_line(message) for message in found))
    markdown, text = st.columns(2)
    name = f"transcript-{session_id[:8]}"
    markdown.download_button(
        "Markdown",
        lambda: to_markdown(messages),
        f"{name}.md",
        "text/markdown",
        on_click="ignore",
        icon=":material/download:",
        key="transcript_md",
    )
    text.download_button(
        "Text",
        lambda: to_plain_text(messages),
        f"{name}.txt",
        "text/plain",
        on_click="ignore",
        icon=":material/download:",
        key="transcript_txt",
    )


def _transcript_line(message: Message) -> str:
    drawing = " :material/draw:" if message.metadata.get("source") == "whiteboard" else ""
    speaker = message.role.value.title()
    return f"`{message.timestamp:%H:%M:%S}` **{speaker}**{drawing}: {message.content}"


# --- Bottom: modes, timer, tokens, pause and end ----------------------------------------


def _bottom_bar(session: Session) -> None:
    active = session.status is SessionStatus.ACTIVE
    with st.container(border=True):
        modes, timer, tokens, pause, end = st.columns(
            [34, 14, 24, 12, 16], vertical_alignment="center"
        )
        with modes:
            st.markdown(_mode_badges(session))
            _mode_toggles(session)
        with timer:
            (_live_timer if active else _timer)(session)
        with tokens:
            _tokens(session.id)
        with pause:
            _pause_or_resume(session)
        end.button("End Interview", type="primary", icon=":material/stop_circle:", **_opens("end"))
    if _is_open("end"):
        _confirm_end(session.id)


def _mode_badges(session: Session) -> str:
    badges = []
    for mode, (colour, icon, label) in MODES.items():
        on = mode in session.config.enabled_modes
        badges.append(f":{colour}-badge[{icon} {label}]" if on else f":gray-badge[○ {label}]")
    if session.status is SessionStatus.PAUSED:
        badges.append(":orange-badge[:material/pause: Paused]")
    return " ".join(badges)


def _mode_toggles(session: Session) -> None:
    """Switch modes on and off for this interview; the choice is saved with the session."""
    enabled = session.config.enabled_modes
    with st.popover("Modes", icon=":material/tune:"):
        for mode, (_, icon, label) in MODES.items():
            if mode is CommunicationMode.TEXT:
                continue
            on = st.toggle(
                f"{icon} {label}", value=mode in enabled, key=f"mode_toggle_{mode.value}"
            )
            if on != (mode in enabled):
                _act(partial(_switch_mode, session.id, mode, on))


def _switch_mode(session_id: str, mode: CommunicationMode, on: bool) -> None:
    communication = services().communication
    (communication.enable_mode if on else communication.disable_mode)(session_id, mode)


def _timer(session: Session) -> None:
    elapsed = session.elapsed_seconds(utc_now())
    limit = session.config.duration_minutes
    shown = f"{int(elapsed) // 60:02d}:{int(elapsed) % 60:02d}"
    if limit is None:
        st.markdown(f":material/timer: **{shown}**")
    else:
        colour = "red" if elapsed >= limit * 60 else "blue"
        st.markdown(f":material/timer: **:{colour}[{shown}]** / {limit}:00")


_live_timer = st.fragment(run_every="1s")(_timer)


def _tokens(session_id: str) -> None:
    tracker = services().token_tracker
    usage = tracker.get_session_usage(session_id)
    budget = tracker.get_budget(session_id)
    colour = "red" if budget.exhausted else "orange" if budget.warning else "gray"
    st.markdown(
        f":material/token: :{colour}[{budget.used:,} / {budget.limit:,} tokens] "
        f"· ${usage.total_cost:.4f}"
    )
    st.progress(min(budget.fraction, 1.0))


def _pause_or_resume(session: Session) -> None:
    manager = services().session_manager
    if session.status is SessionStatus.ACTIVE:
        if st.button("Pause", icon=":material/pause:", key="interview_pause"):
            _act(lambda: manager.pause_session(session.id))
    elif st.button("Resume", type="primary", icon=":material/play_arrow:", key="interview_resume"):
        _act(lambda: manager.resume_session(session.id))


@st.dialog("End the interview?", on_dismiss=_close_dialog)
def _confirm_end(session_id: str) -> None:
    st.write("You will not be able to answer after this. Your evaluation is prepared next.")
    end, keep = st.columns(2)
    if keep.button("Keep going", key="end_cancel"):
        _close_dialog()
        st.rerun()
    if end.button("End and evaluate", type="primary", key="end_confirm"):
        try:
            services().session_manager.end_session(session_id)
        except InterviewPlatformError as exc:
            show_error(exc)
            return
        _evaluate(session_id)


def _evaluate(session_id: str) -> None:
    _close_dialog()
    try:
        with st.spinner("Evaluating your interview..."):
            services().session_manager.evaluate_session(session_id)
    except InterviewPlatformError as exc:  # the session has ended: its page offers a retry
        st.session_state[PENDING_ERROR] = exc
        st.rerun()
    go_to(evaluation_page())


def _act(action: Callable[[], object]) -> None:
    """Run a session action; rerun to show its effect, or show why it failed."""
    try:
        action()
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    st.rerun()

"""The Interview page's control bar, at the top so it is always in view: modes, the clock,
tokens (or "built-in, offline, free"), pause or resume, and end."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from interview_platform.core.models import CommunicationMode, Session, SessionStatus, utc_now
from interview_platform.core.ports.chat import BUILTIN
from interview_platform.errors import InterviewPlatformError
from interview_platform.monitoring.usage_report import ESTIMATE_MARK, ESTIMATED_NOTE, cost_text
from interview_platform.ui.clock import clock
from interview_platform.ui.context import services, show_error, shows_errors
from interview_platform.ui.navigation import evaluation_page, go_to
from interview_platform.ui.views.dialog_state import close_dialog, is_open, opens
from interview_platform.ui.views.evaluation import start_evaluation

PENDING_ERROR = "interview_pending_error"
FREE = "built-in, offline, free"
USAGE_WIDTH = 250  # px: the token count and its bar
MODES = {  # colour, icon, label: each mode its own colour when active
    CommunicationMode.TEXT: ("green", ":material/chat:", "Text"),
    CommunicationMode.WHITEBOARD: ("blue", ":material/draw:", "Whiteboard"),
    CommunicationMode.AUDIO: ("red", ":material/mic:", "Audio"),
    CommunicationMode.VIDEO: ("red", ":material/videocam:", "Video"),
    CommunicationMode.SCREEN_SHARE: ("violet", ":material/screen_share:", "Screen"),
}


def control_bar(session: Session) -> None:
    """One row, each control as wide as its content; it wraps on a narrow window."""
    with st.container(
        border=True, horizontal=True, vertical_alignment="center", key="interview_controls"
    ):
        st.markdown(_mode_badges(session), width="content")
        _mode_toggles(session)
        _clock(session)
        _usage(session)
        st.space("stretch")
        _pause_or_resume(session)
        st.button("End Interview", type="primary", icon=":material/stop_circle:", **opens("end"))
    if is_open("end"):
        _confirm_end(session.id, session.version)


def _mode_badges(session: Session) -> str:
    badges = []
    for mode, (colour, icon, label) in MODES.items():
        on = mode in session.config.enabled_modes
        badges.append(f":{colour}-badge[{icon} {label}]" if on else f":gray-badge[{label}]")
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
                act(partial(_switch_mode, session.id, mode, on))


def _switch_mode(session_id: str, mode: CommunicationMode, on: bool) -> None:
    communication = services().communication
    (communication.enable_mode if on else communication.disable_mode)(session_id, mode)


def _clock(session: Session) -> None:
    """The elapsed time; the browser counts the seconds while the interview is active."""
    elapsed = session.elapsed_seconds(utc_now())
    running = session.status is SessionStatus.ACTIVE
    clock("interview_clock", elapsed, running, session.config.duration_minutes)


def _usage(session: Session) -> None:
    """Tokens and cost for a real provider; the built-in interviewer uses neither."""
    if session.config.ai_provider == BUILTIN:
        st.markdown(f":material/offline_bolt: :gray[{FREE}]", width="content")
        return
    tracker = services().token_tracker
    usage = tracker.get_session_usage(session.id)
    budget = tracker.get_budget(session.id)
    colour = "red" if budget.exhausted else "orange" if budget.warning else "gray"
    mark = ESTIMATE_MARK if usage.estimated else ""
    with st.container(width=USAGE_WIDTH, gap=None):
        st.markdown(
            f":material/token: :{colour}[{mark}{budget.used:,} / {budget.limit:,} tokens] "
            f"· {cost_text(usage.total_cost, usage.estimated)}",
            help=ESTIMATED_NOTE if usage.estimated else None,
        )
        st.progress(min(budget.fraction, 1.0))


def _pause_or_resume(session: Session) -> None:
    """Each acts on the version shown: if another tab changed the session meanwhile, it fails
    with an error saying what the session is now, instead of overwriting that tab's change."""
    manager = services().session_manager
    shown = session.version
    if session.status is SessionStatus.ACTIVE:
        if st.button("Pause", icon=":material/pause:", key="interview_pause"):
            act(lambda: manager.pause_session(session.id, expected_version=shown))
    elif st.button("Resume", type="primary", icon=":material/play_arrow:", key="interview_resume"):
        act(lambda: manager.resume_session(session.id, expected_version=shown))


@st.dialog("End the interview?", on_dismiss=close_dialog)
@shows_errors
def _confirm_end(session_id: str, shown: int) -> None:
    st.write("You will not be able to answer after this. Your evaluation is prepared next.")
    end, keep = st.columns(2)
    if keep.button("Keep going", key="end_cancel"):
        close_dialog()
        st.rerun()
    if end.button("End and evaluate", type="primary", key="end_confirm"):
        try:
            services().session_manager.end_session(session_id, expected_version=shown)
        except InterviewPlatformError as exc:
            show_error(exc)
            return
        evaluate(session_id)


def evaluate(session_id: str) -> None:
    """Queue an ended session's evaluation and open the Evaluation page, which shows its place
    in the queue, then the report; a refusal (the queue is full) waits for the page's rerun."""
    close_dialog()
    try:
        start_evaluation(session_id)
    except InterviewPlatformError as exc:  # the session has ended: its page offers a retry
        st.session_state[PENDING_ERROR] = exc
        st.rerun()
    go_to(evaluation_page())


def act(action: Callable[[], object]) -> None:
    """Run a session action; rerun to show its effect, or show why it failed."""
    try:
        action()
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    st.rerun()

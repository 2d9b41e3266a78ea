"""Interview: the controls on top, then the chat (30%), the whiteboard (45%) and the
transcript (25%), one compact line a turn.

Each panel is a fragment, so paging the chat or searching the transcript does not redraw
the whiteboard. A finished turn (an answer or a snapshot) reruns the whole app, so the
transcript and the token count catch up with it; the answer box sits outside the chat's
fragment for that reason, and the browser keeps each answer until the app confirms it
(`ui.answer_keeper`). The clock ticks in the browser.
"""

from __future__ import annotations

import streamlit as st

from interview_platform.core.models import (
    CommunicationMode,
    Message,
    Role,
    Session,
    SessionStatus,
)
from interview_platform.errors import (
    AnswerNotSavedError,
    InterviewPlatformError,
    StorageUnavailableError,
)
from interview_platform.ui.answer_keeper import (
    ANSWER_BOX,
    answer_box,
    hand_over,
    keep_answers,
    received,
    take_outgoing,
)
from interview_platform.ui.context import (
    current_session,
    services,
    show_error,
    shows_errors,
    unreachable_session,
)
from interview_platform.ui.media import render_screen_share, render_video, render_voice
from interview_platform.ui.navigation import evaluation_page, go_to, setup_page
from interview_platform.ui.streaming import stream_reply, write_attempts
from interview_platform.ui.user_text import literal, user_markdown
from interview_platform.ui.views.interview_controls import (
    PENDING_ERROR,
    act,
    control_bar,
    evaluate,
)
from interview_platform.ui.views.transcript_panel import transcript
from interview_platform.ui.views.whiteboard_panel import whiteboard

PANEL_HEIGHT = 440  # the chat, its answer box and the bar fit a 900 px window
CHAT_WINDOW = 30  # messages drawn in the chat; earlier ones on request (speed at 200+)
SHOW_ALL_CHAT = "interview_show_all_chat"
UNSENT = "interview_unsent_answer"  # an answer the database refused, kept for the candidate
AVATARS = {Role.INTERVIEWER: ":material/smart_toy:", Role.CANDIDATE: ":material/person:"}
DRAWING_AVATAR = ":material/draw:"


def render() -> None:
    session = current_session()
    unreachable = unreachable_session() if session is None else None
    if unreachable is not None:
        _database_unreachable(*unreachable)
    elif session is None:
        _no_session()
    elif session.status is SessionStatus.COMPLETED:
        _completed(session)
    elif session.status is SessionStatus.CREATED:
        _not_started(session)
    else:
        _interview(session)


def _database_unreachable(session_id: str, error: StorageUnavailableError) -> None:
    """The database is down: say so, and keep whatever answer is typed meanwhile, to send
    once it is back."""
    st.title("Interview")
    show_error(error)
    st.info(
        "Your interview is safe in the database. Keep typing: an answer sent now is kept on "
        "this page, to send again once the database is back.",
        icon=":material/cloud_off:",
    )
    typed = st.chat_input("Type your answer...", key=ANSWER_BOX)  # pinned below
    if isinstance(typed, str) and typed:
        received(typed)
        kept = st.session_state.get(UNSENT)
        st.session_state[UNSENT] = f"{kept}\n\n{typed}" if kept else typed
        st.error(
            "Your answer was not saved; send it again once the database is back. It is kept here.",
            icon=":material/error:",
        )
    if st.session_state.get(UNSENT):
        st.text_area("Your answer, not sent yet", key=UNSENT, height=100)
    keep_answers(session_id, [])
    if st.button("Try again", icon=":material/refresh:", key=f"retry_{session_id}"):
        st.rerun()


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
            evaluate(session.id)
    if st.button("Start a new interview", icon=":material/add:"):
        go_to(setup_page())


def _not_started(session: Session) -> None:
    st.title("Interview")
    st.info("This interview has not started yet.")
    if st.button("Start it", type="primary", icon=":material/play_arrow:"):
        with st.spinner("Choosing your problem..."):
            act(lambda: services().session_manager.start_session(session.id))


def _interview(session: Session) -> None:
    problem = session.problem
    st.markdown(f"#### {literal(problem.title) if problem else 'System design interview'}")
    control_bar(session)
    if problem is not None:
        with st.expander("The problem"):
            st.markdown(user_markdown(problem.statement))
    active = session.status is SessionStatus.ACTIVE
    banner = st.container()  # always there, so the panels below keep their place (and state)
    if not active:
        banner.warning(
            "The interview is paused: the timer is stopped and the conversation is read-only. "
            "Press Resume to continue.",
            icon=":material/pause_circle:",
        )
    chat, board, turns = st.columns([30, 45, 25])
    with chat:
        conversation = st.container()  # drawn above the answer box, after it is read
        answer_box("Type your answer..." if active else "Paused: resume to answer", not active)
        with conversation:
            _chat(session.id, active)
        if CommunicationMode.AUDIO in session.config.enabled_modes:
            render_voice(session.id, active)
    with board:
        if CommunicationMode.WHITEBOARD in session.config.enabled_modes:
            whiteboard(session.id, active)
        else:
            st.subheader("Whiteboard")
            st.info("The whiteboard is off for this interview; turn it on in Setup next time.")
    with turns:
        transcript(session.id, PANEL_HEIGHT)
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
@shows_errors
def _chat(session_id: str, active: bool) -> None:
    st.subheader("AI Interviewer")
    try:
        messages = services().session_manager.get_conversation(session_id)
    except StorageUnavailableError as exc:  # an answer sent now is kept to send again
        show_error(exc)
        messages = []
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
    if active and st.session_state.get(UNSENT):
        _unsent()
    answer = take_outgoing()
    if answer is not None:
        with history:
            _exchange(session_id, answer)
        st.rerun(scope="app")
    keep_answers(session_id, [m.content for m in messages if m.role is Role.CANDIDATE])


def _unsent() -> None:
    """An answer the database refused, kept to edit and send again (or drop)."""
    with st.container(border=True):
        st.text_area("Your answer, not sent yet", key=UNSENT, height=100)
        left, right = st.columns(2)
        left.button(
            "Send again",
            icon=":material/send:",
            on_click=_resend,
            key="unsent_send",
            type="primary",
        )
        right.button("Discard", icon=":material/delete:", on_click=_discard, key="unsent_drop")


def _resend() -> None:
    hand_over(st.session_state.pop(UNSENT, ""))


def _discard() -> None:
    st.session_state.pop(UNSENT, None)


def _show_message(message: Message) -> None:
    drawing = message.metadata.get("source") == "whiteboard"
    spoken = message.metadata.get("source") == "audio"
    avatar = DRAWING_AVATAR if drawing else ":material/mic:" if spoken else AVATARS[message.role]
    name = "assistant" if message.role is Role.INTERVIEWER else "user"
    with st.chat_message(name, avatar=avatar):
        st.markdown(user_markdown(message.content))
        st.caption(f"{message.timestamp:%H:%M:%S}" + (" · whiteboard snapshot" if drawing else ""))


def _exchange(session_id: str, text: str) -> None:
    """Show the answer, stream the reply; an error waits in session state for the rerun.

    The answer goes to the worker thread before anything is drawn: a rerun requested by the
    browser meanwhile (a component reporting its first value) stops this run at its next
    drawing call, and an answer taken from the session state but not yet handed over was
    lost that way."""
    manager = services().session_manager
    attempts, finish = stream_reply(
        lambda on_token: manager.submit_answer(session_id, text, on_token=on_token)
    )
    with st.chat_message("user", avatar=AVATARS[Role.CANDIDATE]):
        st.markdown(user_markdown(text))
    with st.chat_message("assistant", avatar=AVATARS[Role.INTERVIEWER]):
        write_attempts(attempts)  # a provider failing mid-reply: the fallback's reply replaces it
        try:
            finish()
        except AnswerNotSavedError as exc:  # nothing was written: the text waits to be resent
            st.session_state[UNSENT] = text
            st.session_state[PENDING_ERROR] = exc
        except InterviewPlatformError as exc:  # the answer, if valid, is saved before this
            st.session_state[PENDING_ERROR] = exc

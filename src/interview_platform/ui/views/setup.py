"""Setup: resume (optional, correctable), provider and model, problem, modes, duration, Start."""

from __future__ import annotations

import math

import streamlit as st

from interview_platform.core.interviewer.choice import ProblemRequest
from interview_platform.core.models import (
    CommunicationMode,
    ExperienceLevel,
    ResumeData,
    SessionConfig,
)
from interview_platform.core.ports.chat import BUILTIN
from interview_platform.core.resume.domains import DOMAINS
from interview_platform.core.resume_manager import MAX_PASTED_CHARS
from interview_platform.errors import InterviewPlatformError
from interview_platform.ui.context import (
    current_session,
    current_user,
    password_mode,
    services,
    set_session,
    set_user,
    show_error,
)
from interview_platform.ui.navigation import go_to, interview_page
from interview_platform.ui.user_text import literal
from interview_platform.ui.views.problem_picker import NO_STATEMENT, problem_request

MODE_LABELS = {
    CommunicationMode.TEXT: "Text chat",
    CommunicationMode.AUDIO: "Voice answers",
    CommunicationMode.VIDEO: "Video",
    CommunicationMode.WHITEBOARD: "Whiteboard",
    CommunicationMode.SCREEN_SHARE: "Screen share",
}


def provider_hint() -> str:
    """What to set for each registered provider, when only the built-in one is set up."""
    plugins = services().provider_registry.plugins()
    needs = "; ".join(f"{plugin.name}: {plugin.requires}" for plugin in plugins if plugin.requires)
    return (
        "Only the built-in interviewer is set up. To use an AI provider, set what it needs "
        f"in `.env` ({needs}), then restart the app."
    )


def render() -> None:
    st.title("Setup Your Mock Interview")
    open_session = current_session()
    if open_session is not None and open_session.status.value in ("active", "paused"):
        st.info("You have an interview in progress.")
        if st.button("Back to the interview", icon=":material/forum:"):
            go_to(interview_page())
    _who()
    resume = _resume()
    st.divider()
    provider, model = _provider()
    request = problem_request(provider, resume)
    modes = _modes()
    duration = _duration()
    if st.button("Start Interview", type="primary", icon=":material/play_arrow:"):
        if request is None:
            st.error(NO_STATEMENT, icon=":material/error:")
        else:
            _start(provider, model, modes, duration, request)


def _who() -> None:
    if password_mode():  # the signed-in account; switching means signing out
        return
    with st.expander(f"Interviewing as **{current_user()}**"), st.form("who"):
        name = st.text_input("Your name (letters, digits, . _ @ -)", value=current_user())
        if st.form_submit_button("Switch"):
            try:
                set_user(name.strip())
                st.rerun()
            except InterviewPlatformError as exc:
                show_error(exc)


def _resume() -> ResumeData | None:
    st.subheader("1. Resume (optional)")
    manager = services().resume_manager
    limit_mb = manager.max_file_bytes / (1024 * 1024)
    st.caption(
        f"A PDF, TXT or Markdown file up to {limit_mb:g} MB, or paste the text below; "
        "we pick a problem for your level and background."
    )
    upload = st.file_uploader(
        "Upload your resume (PDF or TXT)",
        type=["pdf", "txt", "md"],
        key="resume_file",
        max_upload_size=max(1, math.ceil(limit_mb)),
    )
    if upload is not None and st.session_state.get("resume_seen") != upload.file_id:
        st.session_state["resume_seen"] = upload.file_id
        try:
            with st.spinner("Reading your resume..."):
                manager.upload_resume(upload.getvalue(), current_user())
        except InterviewPlatformError as exc:
            show_error(exc)
    _paste()
    resume = manager.get_resume(current_user())
    if resume is None:
        st.caption("No resume yet: you will get a mid-level problem.")
        return None
    _show_and_correct(resume)
    return resume


def _paste() -> None:
    with st.expander("Or paste your resume's text"), st.form("paste_resume"):
        text = st.text_area(
            f"Resume text (up to {MAX_PASTED_CHARS:,} characters)",
            max_chars=MAX_PASTED_CHARS,
            height=200,
            key="resume_text",
        )
        st.caption("Read the same way as an uploaded .txt file.")
        if st.form_submit_button("Read the pasted text"):
            try:
                services().resume_manager.paste_resume(text or "", current_user())
            except InterviewPlatformError as exc:
                show_error(exc)


def _show_and_correct(resume: ResumeData) -> None:
    manager = services().resume_manager
    st.success(
        f"{literal(resume.name) if resume.name else 'Your resume'}: "
        f"**{resume.experience_level.value}**, "
        f"{resume.years_of_experience} years, "
        f"{', '.join(resume.domain_expertise) or 'no domain found'}."
    )
    with st.form("correct_resume"):
        st.caption("Not right? Correct it; the interviewer uses what you set here.")
        levels = [level.value for level in ExperienceLevel]
        level = st.selectbox("Level", levels, index=levels.index(resume.experience_level.value))
        domains = st.multiselect("Domains", DOMAINS, default=resume.domain_expertise)
        if st.form_submit_button("Save correction"):
            try:
                manager.correct_resume(
                    current_user(), experience_level=level, domain_expertise=domains
                )
                st.rerun()
            except InterviewPlatformError as exc:
                show_error(exc)


def _provider() -> tuple[str, str]:
    st.subheader("2. Interviewer")
    options = services().provider_options()
    labels = {"builtin": "Built-in interviewer (offline, free)"}
    provider = st.selectbox(
        "Choose your AI provider", list(options), format_func=lambda p: labels.get(p, p)
    )
    if len(options) == 1:
        st.caption(provider_hint())
    model = options[provider]
    if provider != BUILTIN:
        model = st.text_input("Model", value=model) or model
    return provider, model


def _modes() -> list[CommunicationMode]:
    st.subheader("4. How you will answer")
    columns = st.columns(len(MODE_LABELS))
    chosen = []
    for column, (mode, label) in zip(columns, MODE_LABELS.items(), strict=True):
        default = mode in (CommunicationMode.TEXT, CommunicationMode.WHITEBOARD)
        disabled = mode is CommunicationMode.TEXT
        if column.checkbox(label, value=default, disabled=disabled, key=f"mode_{mode.value}"):
            chosen.append(mode)
    return chosen


def _duration() -> int | None:
    limit = st.toggle("Set a duration", value=False)
    if not limit:
        return None
    return int(st.slider("Minutes", min_value=15, max_value=90, value=45, step=5))


def _start(
    provider: str,
    model: str,
    modes: list[CommunicationMode],
    duration: int | None,
    request: ProblemRequest,
) -> None:
    app = services()
    try:
        config = SessionConfig(
            enabled_modes=modes,
            ai_provider=provider,
            ai_model=model,
            resume_data=app.resume_manager.get_resume(current_user()),
            duration_minutes=duration,
        )
        session = app.session_manager.create_session(config, current_user())
        with st.spinner("Choosing your problem..."):
            app.session_manager.start_session(session.id, request)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    set_session(session.id)
    go_to(interview_page())

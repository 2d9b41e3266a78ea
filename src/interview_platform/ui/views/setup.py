"""Setup: resume (optional, correctable), provider and model, modes, duration, Start."""

from __future__ import annotations

import streamlit as st

from interview_platform.core.models import CommunicationMode, ExperienceLevel, SessionConfig
from interview_platform.core.resume.domains import DOMAINS
from interview_platform.errors import InterviewPlatformError
from interview_platform.providers.base import BUILTIN
from interview_platform.ui.context import (
    current_session,
    current_user,
    services,
    set_session,
    set_user,
    show_error,
)
from interview_platform.ui.navigation import go_to, interview_page

MODE_LABELS = {
    CommunicationMode.TEXT: "Text chat",
    CommunicationMode.AUDIO: "Voice answers",
    CommunicationMode.VIDEO: "Video",
    CommunicationMode.WHITEBOARD: "Whiteboard",
    CommunicationMode.SCREEN_SHARE: "Screen share",
}
PROVIDER_HINT = (
    "Only the built-in interviewer is set up. To use OpenAI or Anthropic, set OPENAI_API_KEY "
    "or ANTHROPIC_API_KEY in `.env`; for a local model, set AI__OLLAMA_BASE_URL or "
    "AI__OPENAI_COMPATIBLE_BASE_URL. Then restart the app."
)


def render() -> None:
    st.title("Setup Your Mock Interview")
    open_session = current_session()
    if open_session is not None and open_session.status.value in ("active", "paused"):
        st.info("You have an interview in progress.")
        if st.button("Back to the interview", icon=":material/forum:"):
            go_to(interview_page())
    _who()
    _resume()
    st.divider()
    provider, model = _provider()
    modes = _modes()
    duration = _duration()
    if st.button("Start Interview", type="primary", icon=":material/play_arrow:"):
        _start(provider, model, modes, duration)


def _who() -> None:
    with st.expander(f"Interviewing as **{current_user()}**"), st.form("who"):
        name = st.text_input("Your name (letters, digits, . _ @ -)", value=current_user())
        if st.form_submit_button("Switch"):
            try:
                set_user(name.strip())
                st.rerun()
            except InterviewPlatformError as exc:
                show_error(exc)


def _resume() -> None:
    st.subheader("1. Resume (optional)")
    st.caption("A PDF, TXT or Markdown file; we pick a problem for your level and background.")
    upload = st.file_uploader(
        "Upload your resume (PDF or TXT)", type=["pdf", "txt", "md"], key="resume_file"
    )
    manager = services().resume_manager
    if upload is not None and st.session_state.get("resume_seen") != upload.file_id:
        st.session_state["resume_seen"] = upload.file_id
        try:
            with st.spinner("Reading your resume..."):
                manager.upload_resume(upload.getvalue(), current_user())
        except InterviewPlatformError as exc:
            show_error(exc)
            return
    resume = manager.get_resume(current_user())
    if resume is None:
        st.caption("No resume yet: you will get a mid-level problem.")
        return
    st.success(
        f"{resume.name or 'Your resume'}: **{resume.experience_level.value}**, "
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
        st.caption(PROVIDER_HINT)
    model = options[provider]
    if provider != BUILTIN:
        model = st.text_input("Model", value=model) or model
    return provider, model


def _modes() -> list[CommunicationMode]:
    st.subheader("3. How you will answer")
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


def _start(provider: str, model: str, modes: list[CommunicationMode], duration: int | None) -> None:
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
            app.session_manager.start_session(session.id)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    set_session(session.id)
    go_to(interview_page())

"""The sidebar: alerts, who is interviewing, the open session, the provider in use, health
and a metrics summary."""

from __future__ import annotations

import streamlit as st

from interview_platform.core.models import Session
from interview_platform.errors import StorageUnavailableError
from interview_platform.monitoring.health import HealthState
from interview_platform.ui.context import (
    current_session,
    current_user,
    password_mode,
    services,
    set_session,
    sign_in_cookie_script,
    sign_out,
)
from interview_platform.ui.navigation import go_to, interview_page, setup_page
from interview_platform.ui.user_text import literal


def render() -> None:
    session = current_session()
    with st.sidebar:
        _alerts(session)
        st.caption(f"Signed in as **{current_user()}**")
        _sign_out()
        _open_session(session)
        _warnings()
        _metrics()


def _sign_out() -> None:
    """Password mode: keep the sign-in cookie, and offer to sign out."""
    if not password_mode():
        return
    st.html(sign_in_cookie_script(), unsafe_allow_javascript=True)
    if st.button("Sign out", key="sidebar_sign_out", icon=":material/logout:"):
        sign_out()
        go_to(setup_page())


def _alerts(session: Session | None) -> None:
    for alert in services().alerts.check(session.id if session else None):
        st.warning(alert.message, icon=":material/notifications:")


def _metrics() -> None:
    summary = services().metrics.summary()
    with st.popover("Metrics", icon=":material/monitoring:"):
        st.caption(
            f"Sessions: {summary['sessions_created']:.0f} created, "
            f"{summary['sessions_completed']:.0f} completed  \n"
            f"Turns: {summary['turns']:.0f} · errors: {summary['errors']:.0f} "
            f"({summary['error_rate']:.0%} recent)  \n"
            f"Reply time: {summary['response_mean_seconds']:.1f} s mean, "
            f"p95 ≤ {summary['response_p95_seconds']:.1f} s  \n"
            f"Tokens: {summary['tokens']:,.0f} · cost: ${summary['cost_usd']:.4f}"
        )


def _open_session(session: Session | None) -> None:
    if session is None:
        try:
            found = services().session_manager.get_active_session(current_user())
        except StorageUnavailableError as exc:  # the page below still takes what was typed
            st.warning(str(exc), icon=":material/cloud_off:")
            return
        if found is not None:
            st.info(f"You have an unfinished interview from {found.created_at:%d %b %H:%M}.")
            if st.button("Resume it", key="sidebar_resume", icon=":material/play_arrow:"):
                set_session(found.id)
                go_to(interview_page())
        return
    problem = literal(session.problem.title) if session.problem else "problem not chosen yet"
    st.markdown(f"**Interview:** {problem}")
    model = literal(session.config.ai_model)
    st.caption(f"{session.status.value} · {session.config.ai_provider} / {model}")


def _warnings() -> None:
    for status in services().health_snapshot.statuses():
        if status.status is HealthState.UNHEALTHY:
            st.error(f"{status.name}: {status.message}", icon=":material/error:")
        elif status.status is HealthState.DEGRADED and not status.name.startswith("AI provider"):
            st.warning(f"{status.name}: {status.message}", icon=":material/warning:")

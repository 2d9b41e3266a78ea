"""The Streamlit entry point. A status page until the interview UI lands."""

from __future__ import annotations

import streamlit as st

from interview_platform.bootstrap import Services, bootstrap


@st.cache_resource
def services() -> Services:
    """One shared, thread-safe set of services for every browser session."""
    return bootstrap()


def render(app: Services) -> None:
    st.set_page_config(page_title="AI Mock Interview", layout="wide")
    st.title("AI Mock Interview - System Design")
    st.write(
        "The platform is installed and its storage is ready. "
        "The interview pages arrive in the next release."
    )
    for status in app.health.check_all():
        icon = {"healthy": ":green[●]", "degraded": ":orange[●]", "unhealthy": ":red[●]"}
        st.markdown(f"{icon[status.status.value]} **{status.name}**: {status.message}")
    st.metric("Interview sessions stored", app.session_manager.count_sessions())


render(services())

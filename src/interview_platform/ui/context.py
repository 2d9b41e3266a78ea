"""What every page shares: the services (one set per process) and this tab's user and session.

A tab's state lives in `st.session_state`; the user and the open session are mirrored in the
URL (`?user=...&session=...`) so a reload, or a restart after a crash, finds them again.
"""

from __future__ import annotations

import re

import streamlit as st

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.models import Session
from interview_platform.errors import InterviewPlatformError, NotFoundError

SESSION_KEY = "session_id"
USER_KEY = "user_id"
USER_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,100}$")


_prebuilt: list[Services] = []  # set by `interview-platform run` before Streamlit starts


def prebuild(settings: Settings) -> Services:
    """Build the services before the first browser connects (the app's process), and serve
    the metrics from the start when ENABLE_METRICS is on."""
    app = bootstrap(settings)
    if app.settings.enable_metrics:
        app.metrics.serve(app.settings.metrics_port)
    _prebuilt[:] = [app]
    return app


@st.cache_resource(show_spinner="Starting the interview platform...")
def services() -> Services:
    """One shared, thread-safe set of services for every browser tab; with ENABLE_METRICS,
    Prometheus metrics are served on METRICS_PORT from this (the app's) process."""
    if _prebuilt:
        return _prebuilt[0]
    app = bootstrap()
    if app.settings.enable_metrics:
        app.metrics.serve(app.settings.metrics_port)
    return app


def current_user() -> str:
    """This tab's user: from the URL, else the app's default user."""
    chosen = st.session_state.get(USER_KEY) or st.query_params.get("user")
    if isinstance(chosen, str) and USER_PATTERN.fullmatch(chosen):
        st.session_state[USER_KEY] = chosen  # page switches drop the URL's query
        return chosen
    return services().settings.default_user_id


def set_user(user_id: str) -> None:
    if not USER_PATTERN.fullmatch(user_id):
        raise InterviewPlatformError(
            "A name may use letters, digits and . _ @ - (up to 100 characters)."
        )
    st.session_state[USER_KEY] = user_id
    st.query_params["user"] = user_id
    set_session(None)


def current_session() -> Session | None:
    """This tab's interview session, if it is the current user's."""
    session_id = st.session_state.get(SESSION_KEY) or st.query_params.get("session")
    if not isinstance(session_id, str):
        return None
    st.session_state[SESSION_KEY] = session_id
    try:
        session = services().session_manager.get_session(session_id)
    except (NotFoundError, InterviewPlatformError):
        set_session(None)
        return None
    if session.user_id != current_user():
        set_session(None)
        return None
    return session


def set_session(session_id: str | None) -> None:
    if session_id is None:
        st.session_state.pop(SESSION_KEY, None)
        st.query_params.pop("session", None)
    else:
        st.session_state[SESSION_KEY] = session_id
        st.query_params["session"] = session_id


def tab_query() -> dict[str, str]:
    """The URL query naming this tab's user (once chosen) and open session: what every page
    switch carries over, so a reload, a restart or a bookmark finds them again."""
    query = {}
    user = st.session_state.get(USER_KEY) or st.query_params.get("user")
    if isinstance(user, str) and USER_PATTERN.fullmatch(user):
        query["user"] = user
    session_id = st.session_state.get(SESSION_KEY) or st.query_params.get("session")
    if isinstance(session_id, str):
        query["session"] = session_id
    return query


def keep_in_url() -> None:
    """Put this tab's user and session back in the URL; the sidebar's page links drop them."""
    for name, value in tab_query().items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def show_error(error: InterviewPlatformError) -> None:
    """An error as the user should see it: what happened and what to do next."""
    st.error(str(error), icon=":material/error:")

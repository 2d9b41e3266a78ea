"""What every page shares: the services (one set per process) and this tab's user and session.

A tab's state lives in `st.session_state`; the open session is mirrored in the URL
(`?session=...`) so a reload, or a restart after a crash, finds it again. Who the user is
depends on AUTH__MODE: with `none` (one local user), the URL's `?user=` names them; with
`password`, only a sign-in does, kept across reloads by a signed, expiring cookie, and the
URL cannot change it. Every session is reached through `mine()`, which refuses other users'.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import streamlit as st

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.models import Session
from interview_platform.core.ownership import NOT_YOURS, UserScope
from interview_platform.errors import (
    InterviewPlatformError,
    NotFoundError,
    StorageUnavailableError,
)
from interview_platform.ui.answer_keeper import catch_stray_answer

P = ParamSpec("P")
SESSION_KEY = "session_id"
USER_KEY = "user_id"
USER_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,100}$")
SIGNED_IN_KEY = "auth_signed_in_user"
TOKEN_KEY = "auth_token"
SIGNED_OUT_KEY = "auth_signed_out_tokens"  # tokens this tab signed out of; never taken again
REFUSED_KEY = "auth_refused_session"
UNREACHABLE_KEY = "session_unreachable"  # why this run could not read the tab's session
AUTH_COOKIE = "interview_platform_auth"


_prebuilt: list[Services] = []  # set by `interview-platform run` before Streamlit starts


def prebuild(settings: Settings, host: str = "127.0.0.1") -> Services:
    """Build the services before the first browser connects (the app's process), and serve
    the metrics from the start when ENABLE_METRICS is on, on the app's own `host`."""
    app = bootstrap(settings)
    if app.settings.enable_metrics:
        app.metrics.serve(app.settings.metrics_port, host)
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


def password_mode() -> bool:
    return services().settings.auth.mode == "password"


def current_user() -> str:
    """This tab's user: the signed-in one in password mode (the run stops if there is none);
    else from the URL, else the app's default user."""
    if password_mode():
        user = signed_in_user()
        if user is None:
            st.stop()
        return user
    chosen = st.session_state.get(USER_KEY) or st.query_params.get("user")
    if isinstance(chosen, str) and USER_PATTERN.fullmatch(chosen):
        st.session_state[USER_KEY] = chosen  # page switches drop the URL's query
        return chosen
    return services().settings.default_user_id


def set_user(user_id: str) -> None:
    if password_mode():
        raise InterviewPlatformError("You are signed in; sign out to use another account.")
    if not USER_PATTERN.fullmatch(user_id):
        raise InterviewPlatformError(
            "A name may use letters, digits and . _ @ - (up to 100 characters)."
        )
    st.session_state[USER_KEY] = user_id
    st.query_params["user"] = user_id
    set_session(None)


def signed_in_user() -> str | None:
    """Password mode's user: signed in on this tab, or by a valid cookie from an earlier
    sign-in in this browser (a reload); None if neither."""
    user = st.session_state.get(SIGNED_IN_KEY)
    if isinstance(user, str):
        return user
    token = st.context.cookies.get(AUTH_COOKIE)
    if not isinstance(token, str) or token in st.session_state.get(SIGNED_OUT_KEY, ()):
        return None
    user = services().accounts.user_of_token(token)
    if user is not None:
        st.session_state[SIGNED_IN_KEY] = user
        st.session_state[TOKEN_KEY] = token
    return user


def sign_in(user_id: str) -> None:
    """Sign this tab in as `user_id` (whose password was checked) and issue its cookie. A
    `?session=` in the URL stays: it opens if it is theirs (a sign-in that had expired)."""
    st.session_state[SIGNED_IN_KEY] = user_id
    st.session_state[TOKEN_KEY] = services().accounts.issue_token(user_id)


def sign_out() -> None:
    """Forget this tab's user; the cookie is cleared and never taken again in this tab."""
    revoked = set(st.session_state.get(SIGNED_OUT_KEY, ()))
    revoked |= {
        t for t in (st.session_state.get(TOKEN_KEY), st.context.cookies.get(AUTH_COOKIE)) if t
    }
    st.session_state[SIGNED_OUT_KEY] = revoked
    for key in (SIGNED_IN_KEY, TOKEN_KEY):
        st.session_state.pop(key, None)
    set_session(None)


def sign_in_cookie_script() -> str:
    """The script that keeps (or, signed out, clears) the sign-in cookie in the browser."""
    token = st.session_state.get(TOKEN_KEY)
    hours = services().settings.auth.session_hours
    value, age = (str(token), int(hours * 3600)) if token else ("", 0)
    return (
        "<script>document.cookie = "
        f"'{AUTH_COOKIE}={value}; path=/; max-age={age}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )


def mine() -> UserScope:
    """This tab's user's sessions, evaluations and files; others' read as not found."""
    return services().scope(current_user())


def current_session() -> Session | None:
    """This tab's interview session, if it is the current user's; another user's session id
    (say from a shared URL) is dropped, and `show_refused_session` says so once. While the
    database cannot be read, None, keeping the id for when it can."""
    session_id = st.session_state.get(SESSION_KEY) or st.query_params.get("session")
    if not isinstance(session_id, str):
        return None
    st.session_state[SESSION_KEY] = session_id
    st.session_state.pop(UNREACHABLE_KEY, None)
    try:
        return mine().session(session_id)
    except NotFoundError:
        set_session(None)
        st.session_state[REFUSED_KEY] = True
    except StorageUnavailableError as exc:
        st.session_state[UNREACHABLE_KEY] = exc
    except InterviewPlatformError:
        pass
    return None


def unreachable_session() -> tuple[str, StorageUnavailableError] | None:
    """The tab's session id and the error, when this run could not read it from the
    database (`current_session` returned None for that reason)."""
    error = st.session_state.get(UNREACHABLE_KEY)
    session_id = st.session_state.get(SESSION_KEY)
    if isinstance(error, StorageUnavailableError) and isinstance(session_id, str):
        return session_id, error
    return None


def show_refused_session() -> None:
    """Say, once, that the session the URL named is not this user's (or does not exist)."""
    if st.session_state.pop(REFUSED_KEY, False):
        st.error(NOT_YOURS, icon=":material/error:")


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
    if isinstance(user, str) and USER_PATTERN.fullmatch(user) and not password_mode():
        query["user"] = user
    session_id = st.session_state.get(SESSION_KEY) or st.query_params.get("session")
    if isinstance(session_id, str):
        query["session"] = session_id
    return query


def keep_in_url() -> None:
    """Put this tab's user and session back in the URL; the sidebar's page links drop them.
    In password mode a `?user=` is removed: the URL does not say who is signed in."""
    if password_mode():
        st.query_params.pop("user", None)
    for name, value in tab_query().items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def show_error(error: InterviewPlatformError) -> None:
    """An error as the user should see it: what happened and what to do next."""
    st.error(str(error), icon=":material/error:")


@contextmanager
def shown_errors() -> Iterator[None]:
    """The platform's errors raised inside, say the database gone mid-run, shown as the app's
    error (what happened, what to do) instead of Streamlit's traceback; the run goes on."""
    try:
        yield
    except InterviewPlatformError as error:
        show_error(error)


def shows_errors(render: Callable[P, None]) -> Callable[P, None]:
    """`render` under `shown_errors`: for fragments and dialogs, whose reruns of their own
    run outside the page's guard. Put it under `@st.fragment` or `@st.dialog`. An answer
    Streamlit sent along with a fragment's own update is handed to the chat first."""

    @functools.wraps(render)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        catch_stray_answer()
        with shown_errors():
            render(*args, **kwargs)

    return guarded

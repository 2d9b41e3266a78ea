"""Sign-in (password mode): the only page shown until a candidate signs in; with
AUTH__ALLOW_REGISTRATION, they may also create their own account here."""

from __future__ import annotations

import streamlit as st

from interview_platform.errors import InterviewPlatformError
from interview_platform.ui.context import services, show_error, sign_in, sign_in_cookie_script

FORM_PX = 480  # a name and a password need no more


def render() -> None:
    st.html(sign_in_cookie_script(), unsafe_allow_javascript=True)  # clears a signed-out one
    st.title("Sign in")
    with st.container(width=FORM_PX):
        if services().settings.auth.allow_registration:
            existing, new = st.tabs(["Sign in", "Create an account"])
            with existing:
                _sign_in_form()
            with new:
                _register_form()
        else:
            _sign_in_form()
            st.caption("No account yet? Ask the person running this app to make you one.")


def _sign_in_form() -> None:
    with st.form("sign_in"):
        name = st.text_input("Name", key="sign_in_name", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="sign_in_password", autocomplete="current-password"
        )
        if not st.form_submit_button("Sign in", type="primary", icon=":material/login:"):
            return
    try:
        user = services().accounts.sign_in(name, password)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    sign_in(user)
    st.rerun()


def _register_form() -> None:
    minimum = services().settings.auth.min_password_length
    with st.form("register"):
        name = st.text_input(
            "Name (letters, digits, . _ @ -)", key="register_name", autocomplete="username"
        )
        password = st.text_input(
            f"Password (at least {minimum} characters)", type="password", key="register_password"
        )
        again = st.text_input("The password again", type="password", key="register_again")
        if not st.form_submit_button("Create the account", type="primary"):
            return
    if password != again:
        st.error("The two passwords differ; type the same one twice.", icon=":material/error:")
        return
    try:
        account = services().accounts.register(name, password)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    sign_in(account.user_id)
    st.rerun()

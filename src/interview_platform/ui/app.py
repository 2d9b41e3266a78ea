"""The Streamlit entry point: page set-up, navigation and the sidebar. Pages call services."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from interview_platform.errors import InterviewPlatformError
from interview_platform.ui import sidebar
from interview_platform.ui.context import (
    keep_in_url,
    password_mode,
    services,
    show_error,
    show_refused_session,
    shown_errors,
    signed_in_user,
)
from interview_platform.ui.navigation import all_pages, note_shown
from interview_platform.ui.page_top import page_top
from interview_platform.ui.views import sign_in


def sign_in_pages() -> list[StreamlitPage]:
    """The sign-in form at every page's address, with no page list: a link to an interview
    opens that interview once its owner has signed in."""
    return [
        st.Page(
            partial(sign_in.render),
            title="Sign in",
            url_path=page.url_path or "setup",
            default=not page.url_path,
        )
        for page in all_pages()
    ]


def main() -> None:
    st.set_page_config(page_title="AI Mock Interview", page_icon=":material/school:", layout="wide")
    try:
        services()
    except InterviewPlatformError as exc:
        show_error(exc)
        st.stop()
    with shown_errors():
        _run()


def _run() -> None:
    if password_mode() and signed_in_user() is None:
        st.navigation(sign_in_pages(), position="hidden").run()
        st.stop()
    page = st.navigation(all_pages())
    keep_in_url()
    note_shown(page)
    with shown_errors():  # the page below still runs, and takes what was typed
        sidebar.render()
    with st.sidebar:
        page_top(page.url_path)
    show_refused_session()
    page.run()


main()

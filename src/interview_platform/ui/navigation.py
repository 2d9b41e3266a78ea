"""The app's pages, in one place, so any page can send the user to another; every switch
goes through `go_to`, which keeps the tab's user and session in the URL."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from interview_platform.ui.context import tab_query

SHOWN_PAGE_KEY = "navigation_shown_page"
ARRIVED_KEY = "navigation_arrived"


def setup_page() -> StreamlitPage:
    from interview_platform.ui.views import setup

    return st.Page(
        setup.render, title="Setup", icon=":material/tune:", url_path="setup", default=True
    )


def interview_page() -> StreamlitPage:
    from interview_platform.ui.views import interview

    return st.Page(
        interview.render, title="Interview", icon=":material/forum:", url_path="interview"
    )


def evaluation_page() -> StreamlitPage:
    from interview_platform.ui.views import evaluation

    return st.Page(
        evaluation.render, title="Evaluation", icon=":material/grading:", url_path="evaluation"
    )


def history_page() -> StreamlitPage:
    from interview_platform.ui.views import history

    return st.Page(history.render, title="History", icon=":material/history:", url_path="history")


def all_pages() -> list[StreamlitPage]:
    return [setup_page(), interview_page(), evaluation_page(), history_page()]


def go_to(page: StreamlitPage) -> NoReturn:
    """Switch to `page` with the tab's `?user=&session=` (`st.switch_page` alone drops them)."""
    st.switch_page(page, query_params=tab_query())


def note_shown(page: StreamlitPage) -> None:
    """Record the page this run shows, so a page can tell a fresh visit from its own reruns."""
    st.session_state[ARRIVED_KEY] = st.session_state.get(SHOWN_PAGE_KEY) != page.url_path
    st.session_state[SHOWN_PAGE_KEY] = page.url_path


def just_arrived() -> bool:
    """True when this run came from another page (a link, a switch or a fresh tab)."""
    return bool(st.session_state.get(ARRIVED_KEY, True))

"""The app's pages, in one place, so any page can send the user to another."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage


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

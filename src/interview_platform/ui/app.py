"""The Streamlit entry point: page set-up, navigation and the sidebar. Pages call services."""

from __future__ import annotations

import streamlit as st

from interview_platform.errors import InterviewPlatformError
from interview_platform.ui import sidebar
from interview_platform.ui.context import keep_in_url, services, show_error
from interview_platform.ui.navigation import all_pages, note_shown
from interview_platform.ui.page_top import page_top


def main() -> None:
    st.set_page_config(page_title="AI Mock Interview", page_icon=":material/school:", layout="wide")
    try:
        services()
    except InterviewPlatformError as exc:
        show_error(exc)
        st.stop()
    page = st.navigation(all_pages())
    keep_in_url()
    note_shown(page)
    sidebar.render()
    with st.sidebar:
        page_top(page.url_path)
    page.run()


main()

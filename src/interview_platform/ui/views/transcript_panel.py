"""The Interview page's transcript: one compact line a turn (the whole turn on expanding it),
a search over the turns, and the conversation's Markdown and text downloads."""

from __future__ import annotations

from html import escape

import streamlit as st

from interview_platform.core.conversation_text import search_messages, to_markdown, to_plain_text
from interview_platform.core.models import Message
from interview_platform.ui.context import services, shows_errors

TRANSCRIPT_WINDOW = 100  # turns listed without a search
SUMMARY_CHARS = 90  # of a turn's first line in the transcript; the rest on expanding


@st.fragment
@shows_errors
def transcript(session_id: str, height: int) -> None:
    """The turns so far, one line each, a search over them, and their Markdown and text exports."""
    st.subheader("Transcript")
    messages = services().session_manager.get_conversation(session_id)
    query = st.text_input(
        "Search the transcript",
        placeholder="Search the transcript",
        label_visibility="collapsed",
        icon=":material/search:",
        live=True,
        key="transcript_search",
    )
    found = search_messages(messages, query or "")
    with st.container(height=height - 70, autoscroll=not query):  # newest in view
        if query and not found:
            st.caption("No turn matches your search.")
        if not query and len(found) > TRANSCRIPT_WINDOW:
            st.caption(
                f"The {len(found) - TRANSCRIPT_WINDOW} earlier turns are in the search and "
                "the exports."
            )
            found = found[-TRANSCRIPT_WINDOW:]
        turns = "\n".join(_transcript_turn(message, expanded=bool(query)) for message in found)
        st.markdown(turns, unsafe_allow_html=True)
    exports = st.container(horizontal=True, gap="small")  # side by side, each as wide as its label
    name = f"transcript-{session_id[:8]}"
    exports.download_button(
        "Markdown",
        lambda: to_markdown(messages),
        f"{name}.md",
        "text/markdown",
        on_click="ignore",
        icon=":material/download:",
        key="transcript_md",
    )
    exports.download_button(
        "Text",
        lambda: to_plain_text(messages),
        f"{name}.txt",
        "text/plain",
        on_click="ignore",
        icon=":material/download:",
        key="transcript_txt",
    )


def _transcript_turn(message: Message, expanded: bool) -> str:
    """One line a turn (time, speaker, the start of what was said); the whole text on
    expanding it. Everything said is escaped: the block is HTML."""
    speaker = message.role.value.title()
    drawing = (
        " <small>(whiteboard)</small>" if message.metadata.get("source") == "whiteboard" else ""
    )
    said = " ".join(message.content.split())
    preview = said if len(said) <= SUMMARY_CHARS else said[: SUMMARY_CHARS - 1].rstrip() + "…"
    line = (
        f'<span style="opacity: 0.6">{message.timestamp:%H:%M}</span> <b>{speaker}</b>{drawing}: '
    )
    # Every line break (\r too) becomes <br>: a blank line would end the HTML block, and
    # what follows it would be read as Markdown.
    full = "<br>".join(escape(line, quote=False) for line in message.content.strip().splitlines())
    return (
        f"<details{' open' if expanded else ''}>"
        '<summary style="white-space: nowrap; overflow: hidden; text-overflow: ellipsis">'
        f"{line}{escape(preview, quote=False)}</summary><p>{full}</p></details>"
    )

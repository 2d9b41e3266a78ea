"""History: this user's past interviews, page by page; open one read-only, or delete it."""

from __future__ import annotations

import math
from collections import Counter
from itertools import cycle, islice

import altair as alt
import streamlit as st

from interview_platform.core.evaluation import presentation
from interview_platform.core.evaluation.manager import ProgressPoint
from interview_platform.core.models import MediaType, Role, Session, SessionStatus, SessionSummary
from interview_platform.core.ownership import NOT_YOURS
from interview_platform.errors import InterviewPlatformError
from interview_platform.ui.context import (
    SESSION_KEY,
    current_user,
    mine,
    services,
    set_session,
    show_error,
    shows_errors,
)
from interview_platform.ui.navigation import evaluation_page, go_to, just_arrived
from interview_platform.ui.user_text import literal, user_markdown
from interview_platform.ui.views.evaluation import VIEW_KEY, label, owned_session

OPEN_KEY = "history_open"
DELETE_KEY = "history_delete"
PAGE_KEY = "history_page_number"
STATUS_KEY = "history_status"
COMPETENCY_KEY = "history_competency"
OVERALL = "Overall"
ALL_COMPETENCIES = "All competencies"
OVERALL_COLOR = "#31333f"
PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6", "#9d755d"]
PAGE_SIZE = 10
STATUSES = ("all", "completed", "active", "paused")
SPEAKERS = {Role.INTERVIEWER: "Interviewer", Role.CANDIDATE: "Candidate"}
COLUMN_WIDTHS = [1.9, 2.8, 1.9, 1.1, 1.3, 0.9, 2.1]  # "Open" and "Delete" fit at 1440 px


def render() -> None:
    st.title("History")
    if just_arrived():  # a visit starts at the list, whatever was open on the last one
        st.session_state.pop(OPEN_KEY, None)
    try:
        if not _detail():
            _progress()
            _sessions()
        deleting = st.session_state.get(DELETE_KEY)
        if isinstance(deleting, str):
            _confirm_delete(deleting)
    except InterviewPlatformError as exc:
        show_error(exc)


def _progress() -> None:
    st.subheader("Your progress")
    points = services().evaluation_manager.progress(current_user())
    if len(points) < 2:
        st.caption("The progress chart appears after two evaluated interviews.")
        return
    rows = _progress_rows(points)
    competencies = sorted({str(row["series"]) for row in rows} - {OVERALL})
    shown = st.selectbox(
        "Competency", [ALL_COMPETENCIES, *competencies], key=COMPETENCY_KEY, width=360
    )
    if shown != ALL_COMPETENCIES:
        rows = [row for row in rows if row["series"] in (OVERALL, shown)]
        competencies = [str(shown)]
    st.altair_chart(_progress_chart(rows, competencies), width="stretch")


def _progress_chart(rows: list[dict[str, str | int]], competencies: list[str]) -> alt.Chart:
    """One point per interview, in order, each labeled with its date; Overall first, dark and
    thicker."""
    series = [OVERALL, *competencies]
    colors = [OVERALL_COLOR, *islice(cycle(PALETTE), len(competencies))]
    chart: alt.Chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "interview:O",
                title="Interview (date)",
                sort=None,
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
            ),
            y=alt.Y("score:Q", title="Score", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "series:N",
                title=None,
                sort=series,
                scale=alt.Scale(domain=series, range=colors),
                legend=alt.Legend(labelLimit=260),
            ),
            strokeWidth=alt.condition(alt.datum.series == OVERALL, alt.value(3.5), alt.value(1.5)),
            tooltip=[
                alt.Tooltip("series:N", title="Score of"),
                alt.Tooltip("score:Q", title="Score"),
                alt.Tooltip("evaluated:N", title="Evaluated"),
            ],
        )
    )
    return chart


def _progress_rows(points: list[ProgressPoint]) -> list[dict[str, str | int]]:
    rows: list[dict[str, str | int]] = []
    for point, interview in zip(points, _interview_labels(points), strict=True):
        shared = {"interview": interview, "evaluated": f"{point.evaluated_at:%d %b %Y %H:%M}"}
        rows.append(
            {**shared, "series": OVERALL, "score": presentation.points(point.overall_score)}
        )
        rows += [
            {**shared, "series": label(name), "score": presentation.points(score)}
            for name, score in point.competency_scores.items()
        ]
    return rows


def _interview_labels(points: list[ProgressPoint]) -> list[str]:
    """Each interview's date ("29 Nov"); with the time when a day had several, the year when
    the interviews span years, and a number when two still read the same."""
    dates = [point.evaluated_at for point in points]
    per_day = Counter(when.date() for when in dates)
    day = "%d %b %Y" if len({when.year for when in dates}) > 1 else "%d %b"
    labels: list[str] = []
    seen: Counter[str] = Counter()
    for when in dates:
        text = when.strftime(f"{day} %H:%M" if per_day[when.date()] > 1 else day)
        seen[text] += 1
        labels.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return labels


def _sessions() -> None:
    st.subheader("Past interviews")
    choice = st.selectbox(
        "Status", STATUSES, key=STATUS_KEY, on_change=lambda: st.session_state.pop(PAGE_KEY, None)
    )
    status = None if choice == "all" else SessionStatus(choice)
    manager = services().session_manager
    total = manager.count_sessions(user_id=current_user(), status=status)
    if total == 0:
        st.info("No interviews here yet: start one on Setup; finished ones appear here.")
        return
    page = _pager(math.ceil(total / PAGE_SIZE))
    summaries = manager.list_sessions(
        PAGE_SIZE, (page - 1) * PAGE_SIZE, user_id=current_user(), status=status
    )
    _header()
    for summary in summaries:
        _row(summary)


def _pager(pages: int) -> int:
    page = min(max(1, int(st.session_state.get(PAGE_KEY, 1))), pages)
    st.session_state[PAGE_KEY] = page
    previous, caption, following = st.columns([1, 2, 1], vertical_alignment="center")
    previous.button("Previous", key="history_prev", disabled=page <= 1, on_click=_turn, args=(-1,))
    caption.markdown(f"Page {page} of {pages}")
    following.button("Next", key="history_next", disabled=page >= pages, on_click=_turn, args=(1,))
    return page


def _turn(step: int) -> None:
    st.session_state[PAGE_KEY] = int(st.session_state.get(PAGE_KEY, 1)) + step


def _open(session_id: str) -> None:
    st.session_state[OPEN_KEY] = session_id


def _header() -> None:
    names = ["Date", "Problem", "Interviewer", "Status", "Messages", "Score", ""]
    for column, name in zip(st.columns(COLUMN_WIDTHS), names, strict=True):
        if name:
            column.markdown(f"**{name}**")


def _row(summary: SessionSummary) -> None:
    session = mine().session(summary.id)
    score = (
        "—" if summary.overall_score is None else str(presentation.points(summary.overall_score))
    )
    cells = st.columns(COLUMN_WIDTHS, vertical_alignment="center")
    cells[0].write(f"{summary.created_at:%d %b %Y %H:%M}")
    cells[1].write(literal(session.problem.title) if session.problem else "No problem chosen")
    cells[2].write(f"{summary.ai_provider} / {literal(summary.ai_model)}")
    cells[3].write(summary.status.value)
    cells[4].write(str(summary.message_count))
    cells[5].write(score)
    actions = cells[6].container(horizontal=True, gap="small")
    actions.button("Open", key=f"open_{summary.id}", on_click=_open, args=(summary.id,))
    actions.button("Delete", key=f"delete_{summary.id}", on_click=_ask_delete, args=(summary.id,))


def _ask_delete(session_id: str) -> None:
    st.session_state[DELETE_KEY] = session_id


def _forget_delete() -> None:
    st.session_state.pop(DELETE_KEY, None)


@st.dialog("Delete this interview?", on_dismiss=_forget_delete)
@shows_errors
def _confirm_delete(session_id: str) -> None:
    """Opened while DELETE_KEY is set, so it survives reruns until answered or dismissed."""
    st.write(
        "This deletes the transcript, the evaluation, the recordings and the whiteboard "
        "snapshots of this interview. It cannot be undone."
    )
    confirm, cancel = st.columns(2)
    if confirm.button("Delete", type="primary", key="confirm_delete"):
        _forget_delete()
        if _delete(session_id):
            st.rerun()
    if cancel.button("Cancel", key="cancel_delete"):
        _forget_delete()
        st.rerun()


def _delete(session_id: str) -> bool:
    if owned_session(session_id) is None:
        st.error(NOT_YOURS, icon=":material/error:")
        return False
    try:
        mine().delete(session_id)
    except InterviewPlatformError as exc:
        show_error(exc)
        return False
    for key in (OPEN_KEY, VIEW_KEY):
        if st.session_state.get(key) == session_id:
            st.session_state.pop(key, None)
    if st.session_state.get(SESSION_KEY) == session_id:
        set_session(None)
    return True


def _detail() -> bool:
    """The opened session, read-only; False when none is open (or it is not this user's)."""
    opened = st.session_state.get(OPEN_KEY)
    if not isinstance(opened, str):
        return False
    session = owned_session(opened)
    if session is None:
        st.session_state.pop(OPEN_KEY, None)
        st.error(NOT_YOURS, icon=":material/error:")
        return False
    if st.button("Back to the list", icon=":material/arrow_back:"):
        st.session_state.pop(OPEN_KEY, None)
        st.rerun()
    st.subheader(literal(session.problem.title) if session.problem else "No problem chosen")
    st.caption(
        f"{session.created_at:%d %b %Y %H:%M} · {session.config.ai_provider} / "
        f"{literal(session.config.ai_model)} · {session.status.value} · read-only"
    )
    transcript, snapshots, evaluation = st.tabs(["Transcript", "Whiteboard", "Evaluation"])
    with transcript:
        _transcript(session)
    with snapshots:
        _snapshots(session)
    with evaluation:
        _evaluation_summary(session)
    return True


def _transcript(session: Session) -> None:
    messages = mine().conversation(session.id)
    if not messages:
        st.caption("No messages were exchanged.")
    for message in messages:
        speaker = SPEAKERS.get(message.role, message.role.value)
        avatar = "assistant" if message.role is Role.INTERVIEWER else "user"
        with st.chat_message(avatar):
            st.caption(f"{speaker} · {message.timestamp:%H:%M:%S}")
            st.markdown(user_markdown(message.content))


def _snapshots(session: Session) -> None:
    snapshots = services().media.session_media(mine(), session.id, MediaType.WHITEBOARD)
    if not snapshots:
        st.caption("No whiteboard snapshots were saved.")
    for snapshot in snapshots:
        caption = f"Snapshot at {snapshot.media.timestamp:%H:%M:%S}"
        try:
            st.image(services().media.thumbnail(snapshot), caption=caption)
        except InterviewPlatformError as exc:  # missing, damaged or a bomb: this one only
            st.warning(f"{caption}: {exc}")


def _evaluation_summary(session: Session) -> None:
    report = mine().evaluation(session.id)
    if report is None:
        st.caption("Not evaluated yet. Open it on the Evaluation page to evaluate it.")
    else:
        st.metric("Overall score", f"{presentation.points(report.overall_score)}/100")
        st.markdown(
            "\n".join(
                f"- {label(name)}: {presentation.points(score.score)}/100"
                for name, score in report.competency_scores.items()
            )
        )
    if st.button("Open the full evaluation", type="primary", icon=":material/grading:"):
        st.session_state[VIEW_KEY] = session.id
        go_to(evaluation_page())

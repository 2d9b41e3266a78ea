"""Evaluation: the score, competencies with evidence, feedback, the plan, costs and exports.

Shows the tab's session, or the one opened from History (`view_session_id`), if it is the
current user's.
"""

from __future__ import annotations

from typing import Literal

import altair as alt
import streamlit as st

from interview_platform.core.evaluation.presentation import (
    FeedbackLine,
    competency_rows,
    competency_title,
    feedback_line,
    mode_rows,
    points,
)
from interview_platform.core.evaluation.report import EvaluationReport
from interview_platform.core.evaluation.report_format import report_as_markdown
from interview_platform.core.evaluation.report_pdf import report_as_pdf
from interview_platform.core.models import Session, SessionStatus
from interview_platform.core.ownership import NOT_YOURS
from interview_platform.core.work_queue import Job
from interview_platform.errors import InterviewPlatformError, NotFoundError
from interview_platform.monitoring.usage_report import (
    ESTIMATE_MARK,
    ESTIMATED_NOTE,
    cost_text,
)
from interview_platform.ui.context import (
    SESSION_KEY,
    current_session,
    mine,
    services,
    set_session,
    show_error,
    unreachable_session,
)
from interview_platform.ui.navigation import go_to, history_page, interview_page, setup_page
from interview_platform.ui.user_text import literal, user_markdown
from interview_platform.ui.work_status import job_progress

VIEW_KEY = "view_session_id"
JOBS_KEY = "evaluation_jobs"  # session id -> this tab's evaluation on the worker pool
LABEL_PX = 260  # room for the longest competency name beside the chart
BadgeColor = Literal["green", "orange", "red", "gray"]
CONFIDENCE_COLORS: dict[str, BadgeColor] = {"high": "green", "medium": "orange", "low": "red"}


def start_evaluation(session_id: str) -> None:
    """Queue the session's evaluation on the worker pool, unless this tab already has."""
    jobs = _evaluation_jobs()
    if session_id in jobs and not jobs[session_id].done():
        return
    jobs[session_id] = mine().queue_evaluation(session_id)


def _evaluation_jobs() -> dict[str, Job[EvaluationReport]]:
    jobs: dict[str, Job[EvaluationReport]] = st.session_state.setdefault(JOBS_KEY, {})
    return jobs


def label(name: str) -> str:
    """A competency, mode or operation as people write it: "Data model and APIs"."""
    return competency_title(name)


def owned_session(session_id: str) -> Session | None:
    """The session if it exists and belongs to this tab's user, else None; a database that
    cannot be read raises (it says nothing of whose the session is)."""
    try:
        return mine().session(session_id)
    except NotFoundError:
        return None


def render() -> None:
    st.title("Evaluation")
    session = _session_to_show()
    if session is None:
        return
    try:
        report = mine().evaluation(session.id)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    _heading(session)
    if report is None:
        _not_evaluated(session)
        return
    _evaluation_jobs().pop(session.id, None)
    _report(session, report)


def _session_to_show() -> Session | None:
    viewed = st.session_state.get(VIEW_KEY)
    if isinstance(viewed, str):
        session = owned_session(viewed)
        if session is None:
            st.session_state.pop(VIEW_KEY, None)
            st.error(NOT_YOURS, icon=":material/error:")
            _to_history()
        return session
    session = current_session()
    unreachable = unreachable_session() if session is None else None
    if unreachable is not None:
        show_error(unreachable[1])
        return None
    if session is None:
        st.info("No interview yet: start one on Setup, or open a past one from History.")
        if st.button("Go to Setup", icon=":material/tune:"):
            go_to(setup_page())
        _to_history()
    return session


def _to_history() -> None:
    if st.button("Go to History", icon=":material/history:"):
        go_to(history_page())


def _heading(session: Session) -> None:
    problem = literal(session.problem.title) if session.problem else "No problem chosen"
    st.subheader(problem)
    st.caption(
        f"{session.created_at:%d %b %Y %H:%M} · {session.config.ai_provider} / "
        f"{literal(session.config.ai_model)} · {session.status.value}"
    )
    if st.session_state.get(VIEW_KEY) != session.id:
        return
    st.caption("A past interview, opened from History (read-only).")
    tab_session = st.session_state.get(SESSION_KEY)
    if tab_session and tab_session != session.id and st.button("Show this tab's interview"):
        st.session_state.pop(VIEW_KEY, None)
        st.rerun()


def _not_evaluated(session: Session) -> None:
    if session.status is not SessionStatus.COMPLETED:
        st.info("This interview is still going: end it on the Interview page to be evaluated.")
        if session.id == st.session_state.get(SESSION_KEY) and st.button(
            "Back to the interview", icon=":material/forum:"
        ):
            go_to(interview_page())
        return
    if _evaluation_waiting(session.id):
        return
    st.info("This interview has not been evaluated yet.")
    if st.button("Evaluate now", type="primary", icon=":material/grading:"):
        try:
            start_evaluation(session.id)
        except InterviewPlatformError as exc:
            show_error(exc)
            return
        st.rerun()


def _evaluation_waiting(session_id: str) -> bool:
    """Show this tab's evaluation of the session while it waits or runs (True), or why it
    failed once it has (False: the page offers to evaluate again)."""
    job = _evaluation_jobs().get(session_id)
    if job is None:
        return False
    if not job.done():
        job_progress(job)
        return True
    del _evaluation_jobs()[session_id]
    try:
        job.result()
    except InterviewPlatformError as exc:
        show_error(exc)
        return False
    st.rerun()  # evaluated since the page read the report: show it


def _report(session: Session, report: EvaluationReport) -> None:
    st.metric("Overall score", f"{points(report.overall_score)}/100")
    _competencies(report)
    st.divider()
    _feedback(report)
    st.divider()
    _plan(session.id, report)
    st.divider()
    _modes(report)
    _costs(session.id)
    st.divider()
    _exports(session, report)
    if st.button("Start a new interview", type="primary", icon=":material/add:"):
        set_session(None)
        st.session_state.pop(VIEW_KEY, None)
        go_to(setup_page())


def _competencies(report: EvaluationReport) -> None:
    st.subheader("Competencies")
    rows = competency_rows(report)
    data = [{"competency": row.title, "score": row.points} for row in rows]
    bars = (
        alt.Chart(alt.InlineData(values=data))
        .mark_bar()
        .encode(
            x=alt.X("score:Q", title="Score", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("competency:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_PX)),
            tooltip=["competency:N", "score:Q"],
        )
    )
    text = bars.mark_text(align="left", dx=4).encode(text=alt.Text("score:Q"))
    st.altair_chart(bars + text, width="stretch")
    for row in rows:
        with st.expander(f"{row.title}: {row.points}/100"):
            color = CONFIDENCE_COLORS.get(row.confidence, "gray")
            st.badge(f"Confidence: {row.confidence}", color=color)
            _quotes(row.quotes, "No quotes from the interview support this score.")


def _quotes(quotes: list[str], empty: str) -> None:
    if not quotes:
        st.caption(empty)
    for quote in quotes:
        st.markdown("\n".join(f"> {line}" for line in user_markdown(quote).splitlines() or [""]))


def _feedback(report: EvaluationReport) -> None:
    columns = st.columns(3)
    sections = (
        ("Went well", ":material/thumb_up:", report.went_well),
        ("Went okay", ":material/thumbs_up_down:", report.went_okay),
        ("Needs improvement", ":material/build:", report.needs_improvement),
    )
    for column, (title, icon, items) in zip(columns, sections, strict=True):
        with column:
            st.markdown(f"#### {icon} {title}")
            if not items:
                st.caption("Nothing here.")
            for item in items:
                _feedback_item(feedback_line(item))


def _feedback_item(item: FeedbackLine) -> None:
    st.markdown(f"**{user_markdown(item.title)}**: {user_markdown(item.text)}")
    _quotes(item.quotes, "")


def _plan(session_id: str, report: EvaluationReport) -> None:
    plan = report.improvement_plan
    st.subheader("Improvement plan")
    if plan.priority_areas:
        st.markdown("**Focus on:** " + ", ".join(label(area) for area in plan.priority_areas))
    for step in plan.concrete_steps:
        st.checkbox(
            f"{step.step_number}. {user_markdown(step.description)}",
            key=f"plan_{session_id}_{step.step_number}",
        )
        for resource in step.resources:
            st.caption(f"↳ {user_markdown(resource)}")
    if plan.resources:
        st.markdown("**Resources**")
        st.markdown("\n".join(f"- {user_markdown(resource)}" for resource in plan.resources))


def _modes(report: EvaluationReport) -> None:
    analysis = report.communication_mode_analysis
    st.subheader("How you communicated")
    modes = mode_rows(analysis)
    if modes:
        columns = st.columns(len(modes))
        for column, (mode, count) in zip(columns, modes, strict=True):
            column.metric(mode, count)
    for note in analysis.observations:
        st.markdown(f"- {user_markdown(note)}")


def _costs(session_id: str) -> None:
    st.subheader("AI usage and cost")
    try:
        usage = services().token_tracker.get_session_usage(session_id)
    except InterviewPlatformError as exc:
        show_error(exc)
        return
    if not usage.breakdown_by_operation:
        st.caption("No AI tokens were used: the built-in interviewer is free.")
        return
    rows = [
        {
            "Operation": label(operation),
            "Input tokens": tokens.input_tokens,
            "Output tokens": tokens.output_tokens,
            "Total tokens": tokens.total_tokens,
            "Cost (USD)": round(tokens.estimated_cost, 4),
        }
        | ({"Estimated": ESTIMATE_MARK if tokens.estimated else ""} if usage.estimated else {})
        for operation, tokens in usage.breakdown_by_operation.items()
    ]
    st.dataframe(rows, hide_index=True)
    st.metric("Total cost", cost_text(usage.total_cost, usage.estimated))
    if usage.estimated:
        st.caption(ESTIMATED_NOTE)


def _exports(session: Session, report: EvaluationReport) -> None:
    title = f"Interview evaluation: {session.problem.title}" if session.problem else None
    heading = title or "Interview evaluation"
    name = f"evaluation-{session.created_at:%Y%m%d-%H%M}"
    left, right = st.columns(2)
    left.download_button(
        "Download as Markdown",
        data=lambda: report_as_markdown(report, heading),
        file_name=f"{name}.md",
        mime="text/markdown",
        icon=":material/description:",
        on_click="ignore",
    )
    right.download_button(
        "Download as PDF",
        data=lambda: report_as_pdf(report, heading),
        file_name=f"{name}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )

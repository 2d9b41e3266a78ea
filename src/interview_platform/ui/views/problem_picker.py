"""The Setup page's problem section: fitted, from the bank, a surprise, or the candidate's own."""

from __future__ import annotations

import streamlit as st

from interview_platform.core.interviewer.choice import (
    FITTED,
    MAX_STATEMENT_CHARS,
    MIN_STATEMENT_CHARS,
    RECENT_SESSIONS,
    BankProblem,
    CustomProblem,
    ProblemRequest,
    SurpriseProblem,
    level_for,
)
from interview_platform.core.models import ExperienceLevel, ResumeData
from interview_platform.core.ports.chat import BUILTIN
from interview_platform.core.resume.domains import DOMAINS
from interview_platform.errors import InterviewPlatformError
from interview_platform.ui.context import current_user, services, show_error

CHOICES = {
    "fitted": "Fitted to me",
    "bank": "Pick from the bank",
    "surprise": "Surprise me",
    "custom": "Write my own",
}
SURPRISE_NOTE = (
    "A random problem among those sharing a domain with your resume (any problem without "
    f"one), never one of the problems of your last {RECENT_SESSIONS} sessions."
)
NO_STATEMENT = (
    f"Write your problem statement (at least {MIN_STATEMENT_CHARS} characters), "
    "or choose another kind of problem."
)


def problem_request(provider: str, resume: ResumeData | None) -> ProblemRequest | None:
    """The problem the candidate chose; None while their own statement is missing or invalid."""
    st.subheader("3. Problem")
    choice = st.radio(
        "Which problem?",
        list(CHOICES),
        format_func=CHOICES.__getitem__,
        horizontal=True,
        key="problem_choice",
    )
    if choice == "bank":
        return _from_bank(resume)
    if choice == "surprise":
        st.caption(SURPRISE_NOTE)
        return SurpriseProblem()
    if choice == "custom":
        return _own_statement()
    _describe_fitted(provider, resume)
    return FITTED


def _describe_fitted(provider: str, resume: ResumeData | None) -> None:
    recent = services().session_manager.recent_problems(current_user())
    if resume is not None and provider != BUILTIN:
        st.caption(
            "The model writes a problem for your level, domains and recent role, "
            f"different from those of your last {RECENT_SESSIONS} sessions."
        )
        return
    fitted = services().ai_interviewer.generate_problem(resume, FITTED, recent=recent)
    basis = "your resume" if resume is not None else "no resume (a mid-level problem)"
    st.caption(
        f"**{fitted.title}** ({fitted.level.value}): the best fit for {basis} that was not "
        f"among the problems of your last {RECENT_SESSIONS} sessions."
    )


def _from_bank(resume: ResumeData | None) -> BankProblem:
    levels = list(ExperienceLevel)
    left, right = st.columns(2)
    level = left.selectbox(
        "Problem level",
        levels,
        index=levels.index(level_for(resume)),
        format_func=lambda chosen: chosen.value,
        key="bank_level",
    )
    domains = right.multiselect(
        "Domains (none: every problem)",
        DOMAINS,
        default=resume.domain_expertise if resume is not None else [],
        key="bank_domains",
    )
    problems = services().ai_interviewer.problem_catalogue(domains)
    titles = {problem.slug: problem.title for problem in problems}
    slug = st.selectbox(
        f"Problem ({len(problems)} in the bank)",
        list(titles),
        format_func=titles.__getitem__,
        key="bank_slug",
    )
    chosen = next(problem for problem in problems if problem.slug == slug)
    with st.expander(f"Read it: {chosen.title} ({', '.join(chosen.domains)})"):
        st.markdown(chosen.brief(level))
    return BankProblem(chosen.slug, level)


def _own_statement() -> CustomProblem | None:
    statement = st.text_area(
        "Your problem statement",
        max_chars=MAX_STATEMENT_CHARS,
        height=120,
        placeholder="e.g. Design a parking garage occupancy tracker for 300 garages",
        key="custom_statement",
    )
    st.caption(
        f"{MIN_STATEMENT_CHARS} to {MAX_STATEMENT_CHARS:,} characters. The built-in "
        "interviewer builds its checklist from the statement's building blocks (caches, "
        "queues, feeds...); name the key features and numbers."
    )
    if not (statement or "").strip():
        return None
    try:
        return CustomProblem(statement or "")
    except InterviewPlatformError as exc:
        show_error(exc)
        return None

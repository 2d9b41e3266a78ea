"""A job on the worker pool, as the candidate waits for it: "Transcribing your answer — 2 ahead
of you".

The line is a fragment that reruns itself every second, and it is drawn only while this tab
has a job unfinished: once the job is done it reruns the page, which shows the result and no
longer draws it, so its timer stops. An idle tab polls nothing.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from interview_platform.core.work_queue import Job, JobKind, JobState, JobStatus
from interview_platform.ui.context import shows_errors

POLL_SECONDS = 1.0
DOING = {
    JobKind.TRANSCRIPTION: "Transcribing your answer",
    JobKind.EVALUATION: "Evaluating your interview",
    JobKind.WHITEBOARD: "The interviewer is looking at your drawing",
}


def waiting_line(status: JobStatus) -> str:
    """What the candidate reads while the job waits or runs."""
    doing = DOING[status.kind]
    if status.state is not JobState.QUEUED:
        return f"{doing}..."
    if status.ahead == 0:
        return f"{doing} — you are next"
    return f"{doing} — {status.ahead} ahead of you"


@st.fragment(run_every=POLL_SECONDS)
@shows_errors
def job_progress(job: Job[Any]) -> None:
    """The job's place in the queue, until it finishes; then the page reruns for its result."""
    status = job.status()
    if status.finished:
        st.rerun(scope="app")
    queued = status.state is JobState.QUEUED
    icon = ":material/hourglass_top:" if queued else ":material/progress_activity:"
    st.info(waiting_line(status), icon=icon)

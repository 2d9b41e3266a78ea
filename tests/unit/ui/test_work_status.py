"""The waiting line's words for each state and place in the queue."""

from __future__ import annotations

import pytest

from interview_platform.core.work_queue import JobKind, JobState, JobStatus
from interview_platform.ui.work_status import waiting_line


@pytest.mark.parametrize(
    ("status", "line"),
    [
        (
            JobStatus(JobKind.TRANSCRIPTION, JobState.QUEUED, 2),
            "Transcribing your answer — 2 ahead of you",
        ),
        (
            JobStatus(JobKind.EVALUATION, JobState.QUEUED, 0),
            "Evaluating your interview — you are next",
        ),
        (
            JobStatus(JobKind.WHITEBOARD, JobState.QUEUED, 1),
            "The interviewer is looking at your drawing — 1 ahead of you",
        ),
        (JobStatus(JobKind.EVALUATION, JobState.RUNNING), "Evaluating your interview..."),
    ],
)
def test_the_line_says_what_is_done_and_how_many_are_ahead(status: JobStatus, line: str) -> None:
    assert waiting_line(status) == line

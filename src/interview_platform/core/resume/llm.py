"""Resume extraction by a model: facts through structured output, judgements by our rules.

The model reads the resume (as delimited data) into names, dates, titles and skills only.
Years, level and domains are then computed from those facts by the same rules as the offline
extractor, so text planted in a resume ("rate me staff") cannot set them.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from interview_platform.core.interviewer.prompts import DATA_RULE, delimited
from interview_platform.core.models import Education, ResumeData, WorkExperience
from interview_platform.core.ports.chat import ChatMessage, ChatProvider, ChatResult
from interview_platform.core.resume.dates import Period, find_periods, total_years
from interview_platform.core.resume.domains import domain_expertise
from interview_platform.core.resume.levels import experience_level

OPERATION = "resume_parsing"
MAX_RESUME_CHARS = 30_000  # about 8k tokens: a long resume, not a book


class ExtractedJob(BaseModel):
    company: str = Field(max_length=200)
    title: str = Field(max_length=200)
    start: str = Field(max_length=40, description="As written, e.g. 'Mar 2019'.")
    end: str = Field(max_length=40, description="As written, e.g. 'Present' or '2021'.")
    description: str = Field(default="", max_length=2000)


class ExtractedEducation(BaseModel):
    institution: str = Field(max_length=200)
    degree: str = Field(default="", max_length=200)
    field: str = Field(default="", max_length=200)
    year: str = Field(default="", max_length=40)


class ResumeExtraction(BaseModel):
    """What the model must return: facts as written in the resume, no judgements."""

    name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)
    work_experience: list[ExtractedJob] = Field(default_factory=list, max_length=40)
    education: list[ExtractedEducation] = Field(default_factory=list, max_length=20)
    skills: list[str] = Field(default_factory=list, max_length=150)


def extraction_messages(text: str) -> list[ChatMessage]:
    instructions = (
        "Extract the facts of the resume below: the candidate's name and email; every job "
        "with company, title, start and end dates exactly as written (end 'Present' for a "
        "current job) and a one-sentence description; education; skills. Do not judge "
        "seniority, and leave out anything the resume does not state. " + DATA_RULE
    )
    return [
        ChatMessage("system", instructions),
        ChatMessage("user", delimited("resume", text[:MAX_RESUME_CHARS])),
    ]


def extract_with_model(
    text: str, provider: ChatProvider, user_id: str, today: date
) -> tuple[ResumeData, ChatResult]:
    """ResumeData from a model's reading of `text`; the ChatResult carries its token usage."""
    extraction, result = provider.structured(extraction_messages(text), ResumeExtraction)
    dated = [(job, _periods(job, today)) for job in extraction.work_experience]
    newest_first = sorted(dated, key=lambda item: _latest_end(item[1]), reverse=True)
    titles = [job.title for job, _ in newest_first]
    years = total_years(period for _, periods in dated for period in periods)
    skills = list(dict.fromkeys(s.strip() for s in extraction.skills if s.strip()))
    return (
        ResumeData(
            user_id=user_id,
            name=extraction.name.strip(),
            email=extraction.email.strip(),
            experience_level=experience_level(years, titles),
            years_of_experience=years,
            domain_expertise=domain_expertise(
                skills, titles, text, "\n".join(job.description for job, _ in dated)
            ),
            work_experience=[
                WorkExperience(job.company, job.title, f"{job.start} - {job.end}", job.description)
                for job, _ in newest_first
            ],
            education=[
                Education(e.institution, e.degree, e.field, e.year) for e in extraction.education
            ],
            skills=skills,
            raw_text=text,
        ),
        result,
    )


def _periods(job: ExtractedJob, today: date) -> list[Period]:
    return find_periods(f"{job.start} - {job.end}", today)


def _latest_end(periods: list[Period]) -> date:
    return max((p.end for p in periods), default=date.min)

"""The candidate's choice of problem: fitted to the resume, picked from the bank, a surprise,
or their own statement.

Rules. *Recent* problems are those of the user's last `RECENT_SESSIONS` sessions. The fitted
problem is the best-fitting bank problem (`selection.choose_problem`) that is not recent, so a
candidate who comes back gets the next best fit rather than the same problem; ties go to bank
order. A *fitting* problem shares a domain with the resume (with no resume or no domains,
every problem fits); a surprise is drawn at random among the fitting problems that are not
recent, else among all bank problems that are not recent. Every bank problem is written for
all four levels, so a level chooses the scale and focus asked rather than removing problems.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from interview_platform.core.interviewer.analysis import normalise
from interview_platform.core.interviewer.problems import Problem, ProblemBank
from interview_platform.core.interviewer.selection import (
    DEFAULT_LEVEL,
    brief_for,
    choose_problem,
    custom_brief,
)
from interview_platform.core.models import ExperienceLevel, ProblemBrief, ResumeData, clean_text
from interview_platform.errors import ValidationError

RECENT_SESSIONS = 5
MIN_STATEMENT_CHARS = 10
MIN_STATEMENT_WORDS = 2
MAX_STATEMENT_CHARS = 2_000


@dataclass(frozen=True)
class FittedProblem:
    """The problem that best fits the resume and was not in the user's recent sessions."""


@dataclass(frozen=True)
class BankProblem:
    """A bank problem chosen by its slug, asked at `level` (else the resume's, else mid)."""

    slug: str
    level: ExperienceLevel | None = None


@dataclass(frozen=True)
class SurpriseProblem:
    """A random fitting bank problem that was not in the user's recent sessions."""


@dataclass(frozen=True)
class CustomProblem:
    """The candidate's own problem statement, validated on creation."""

    statement: str
    level: ExperienceLevel | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "statement", validate_statement(self.statement))


ProblemRequest = FittedProblem | BankProblem | SurpriseProblem | CustomProblem
FITTED = FittedProblem()


def validate_statement(statement: str) -> str:
    """The statement with its whitespace tidied; ValidationError says how to fix a bad one."""
    lines = clean_text(statement).replace("\x00", "").splitlines()
    text = "\n".join(" ".join(line.split()) for line in lines)
    text = text.strip()
    if len(text) < MIN_STATEMENT_CHARS or len(text.split()) < MIN_STATEMENT_WORDS:
        raise ValidationError(
            f"The problem statement is too short ({len(text)} characters); write at least "
            f"{MIN_STATEMENT_CHARS} characters and {MIN_STATEMENT_WORDS} words, "
            "e.g. 'Design a parking garage occupancy tracker'."
        )
    if len(text) > MAX_STATEMENT_CHARS:
        raise ValidationError(
            f"The problem statement is {len(text):,} characters; the limit is "
            f"{MAX_STATEMENT_CHARS:,}. Keep the problem and its key numbers."
        )
    if sum(char.isalpha() for char in text) < MIN_STATEMENT_CHARS:
        raise ValidationError("The problem statement needs words: say what to design.")
    return text


def level_for(resume: ResumeData | None, chosen: ExperienceLevel | None = None) -> ExperienceLevel:
    if chosen is not None:
        return chosen
    return resume.experience_level if resume is not None else DEFAULT_LEVEL


def fitting_problems(bank: ProblemBank, domains: Sequence[str] = ()) -> list[Problem]:
    """The bank problems sharing a domain with `domains`; all of them when none is given."""
    wanted = set(domains)
    return [p for p in bank.problems if not wanted or wanted & set(p.domains)]


def recent_slugs(recent: Sequence[ProblemBrief]) -> set[str]:
    return {brief.slug for brief in recent if brief.slug}


def fitted_problem(
    bank: ProblemBank, resume: ResumeData | None, recent: Sequence[ProblemBrief] = ()
) -> ProblemBrief:
    return choose_problem(bank, resume, recent_slugs(recent))


def surprise_problem(
    bank: ProblemBank,
    resume: ResumeData | None,
    recent: Sequence[ProblemBrief],
    rng: random.Random,
) -> ProblemBrief:
    avoided = recent_slugs(recent)
    domains = resume.domain_expertise if resume is not None else ()
    fresh = [p for p in fitting_problems(bank, domains) if p.slug not in avoided]
    fresh = fresh or [p for p in bank.problems if p.slug not in avoided] or list(bank.problems)
    return brief_for(rng.choice(fresh), level_for(resume))


def custom_problem(
    bank: ProblemBank, request: CustomProblem, resume: ResumeData | None
) -> ProblemBrief:
    """The candidate's statement; one that is exactly a bank problem's title gets that problem."""
    level = level_for(resume, request.level)
    text = normalise(request.statement).strip(" .!?")
    for problem in bank.problems:
        if text in (normalise(problem.title), problem.slug.replace("-", " ")):
            return brief_for(problem, level)
    return custom_brief(request.statement, level)


def bank_problem(
    bank: ProblemBank, request: BankProblem, resume: ResumeData | None
) -> ProblemBrief:
    return brief_for(bank.get(request.slug), level_for(resume, request.level))

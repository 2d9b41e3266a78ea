"""Choosing and describing the problem for a candidate."""

from __future__ import annotations

import re
from collections.abc import Iterable

from interview_platform.core.interviewer.analysis import mentions, normalise
from interview_platform.core.interviewer.derivation import (
    DerivedChecklist,
    derive_checklist,
    derive_with,
)
from interview_platform.core.interviewer.problems import (
    Concept,
    Phase,
    Problem,
    ProblemBank,
    default_bank,
)
from interview_platform.core.models import ExperienceLevel, ProblemBrief, ResumeData, clean_text

DEFAULT_LEVEL = ExperienceLevel.MID
GENERIC_TITLE_WORDS = {"design", "system", "service", "platform", "like"}
GENERIC_ESCALATIONS = [
    "Suppose traffic grows tenfold next quarter: which component fails first, "
    "and what do you change?",
    "Your primary database goes down at peak time: walk me through what users see "
    "and how you recover.",
    "Now the product launches in a second region on another continent: "
    "what changes in your design?",
]


def derived(bank: ProblemBank, brief: ProblemBrief) -> DerivedChecklist:
    """The checklist derived from a custom problem's statement (cached for the shipped bank)."""
    text = brief.statement or brief.title
    if bank.generic == default_bank().generic:
        return derive_checklist(text)
    return derive_with(text, bank.generic)


def checklist(bank: ProblemBank, brief: ProblemBrief) -> dict[Phase, list[Concept]]:
    """The problem's concepts per phase; for a problem outside the bank, the generic checklist
    with the concepts its statement calls for put first."""
    if brief.slug:
        return dict(bank.get(brief.slug).phases)
    return {phase: list(concepts) for phase, concepts in derived(bank, brief).phases.items()}


def checklist_confidence(brief: ProblemBrief, bank: ProblemBank | None = None) -> str:
    """How sure the checklist is: "high" for a bank problem, else the derivation's."""
    return "high" if brief.slug else derived(bank or default_bank(), brief).confidence


def escalations_for(bank: ProblemBank, brief: ProblemBrief) -> list[str]:
    """The bank problem's escalations; for a custom problem, those its building blocks name,
    topped up with the generic ones."""
    if brief.slug:
        return list(bank.get(brief.slug).escalations)
    own = list(derived(bank, brief).escalations)
    return own + GENERIC_ESCALATIONS[: max(0, len(GENERIC_ESCALATIONS) - len(own))]


def brief_for(problem: Problem, level: ExperienceLevel) -> ProblemBrief:
    return ProblemBrief(problem.title, problem.brief(level), level, problem.slug)


def custom_brief(statement: str, level: ExperienceLevel = DEFAULT_LEVEL) -> ProblemBrief:
    """A problem outside the bank, as given (e.g. by `interview-platform evaluate`)."""
    text = " ".join(clean_text(statement).split())
    title = text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "..."
    return ProblemBrief(title=title, statement=text, level=level, slug=None)


def choose_problem(
    bank: ProblemBank, resume: ResumeData | None, avoid: Iterable[str] = ()
) -> ProblemBrief:
    """The bank problem that best fits the resume's domains and recent work, at its level."""
    avoided = set(avoid)
    candidates = [p for p in bank.problems if p.slug not in avoided] or list(bank.problems)
    if resume is None:
        return brief_for(candidates[0], DEFAULT_LEVEL)
    best = max(candidates, key=lambda problem: _fit(problem, resume))
    return brief_for(best, resume.experience_level)


def _fit(problem: Problem, resume: ResumeData) -> int:
    domains = len(set(problem.domains) & set(resume.domain_expertise))
    recent = resume.work_experience[0] if resume.work_experience else None
    background = (
        " ".join([recent.title, recent.description] if recent else [])
        + " "
        + " ".join(resume.skills)
    )
    topic_words = [
        w for w in problem.slug.split("-") if len(w) > 3 and w not in GENERIC_TITLE_WORDS
    ]
    topical = any(mentions(background, word) for word in topic_words)
    return 3 * domains + (2 if topical else 0)


def match_problem(bank: ProblemBank, statement: str) -> Problem | None:
    """The bank problem a statement names: by slug, or by every distinctive word of its title."""
    text = normalise(statement)
    for problem in bank.problems:
        if text == problem.slug.replace("-", " "):
            return problem
    for problem in bank.problems:
        words = [
            w
            for w in re.findall(r"[a-z]{3,}", normalise(problem.title))
            if w not in GENERIC_TITLE_WORDS
        ]
        if words and all(re.search(rf"\b{w[:5]}", text) for w in words):
            return problem
    return None


def problem_wording(brief: ProblemBrief, bank: ProblemBank | None = None) -> str:
    """Everything the interviewer knows of the problem, as text: its statement, its concepts'
    questions, synonyms and hints, its escalations and, for a bank problem, its facts (what
    a transcription should expect to hear about it)."""
    bank = bank or default_bank()
    parts = [brief.title, brief.statement]
    for concepts in checklist(bank, brief).values():
        for concept in concepts:
            parts += [concept.question, concept.hint, ", ".join(concept.synonyms)]
    parts += escalations_for(bank, brief)
    if brief.slug:
        facts = bank.get(brief.slug).facts
        parts += [str(value) for key, value in facts.model_dump().items() if key != "extra"]
        parts += [fact.answer for fact in facts.extra]
    else:
        parts += derived(bank, brief).descriptions.values()
    return "\n".join(parts)

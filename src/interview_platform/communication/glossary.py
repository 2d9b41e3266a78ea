"""The system-design glossary: the jargon candidates say, in its written form.

It lives in `glossary.yaml` beside this module and is validated on load. Speech biasing takes
its terms; near-miss correction takes a term's spoken forms (how an acronym or an oddly spelt
name sounds) and its context, the words said near it that are evidence for it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from interview_platform.core.interviewer.analysis import normalise
from interview_platform.core.interviewer.problems import LoadedOnce, load_yaml_model

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")


def _lower_case_phrases(phrases: list[str], field: str) -> list[str]:
    stripped = [p.strip() for p in phrases]
    if any(not p or p != p.lower() for p in stripped):
        raise ValueError(f"{field} entries must be non-empty and lower case: {phrases}")
    return stripped


class GlossaryTerm(BaseModel):
    """One term: "Redis", said "reddis", near "cache", "cluster", "sorted set"..."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(min_length=1)
    spoken: list[str] = []
    context: list[str] = Field(min_length=2)
    core: bool = False

    @field_validator("term")
    @classmethod
    def _not_blank(cls, term: str) -> str:
        if not term.strip():
            raise ValueError("a term must not be blank")
        return term.strip()

    @field_validator("spoken")
    @classmethod
    def _spoken_lower_case(cls, spoken: list[str]) -> list[str]:
        return _lower_case_phrases(spoken, "spoken")

    @field_validator("context")
    @classmethod
    def _context_lower_case(cls, context: list[str]) -> list[str]:
        return _lower_case_phrases(context, "context")

    @model_validator(mode="after")
    def _spoken_differs_from_spelling(self) -> GlossaryTerm:
        if normalise(self.term) in self.spoken:
            raise ValueError(
                f"{self.term} is said as spelled: drop that spoken form, keep only ones "
                "that sound different from the spelling"
            )
        return self


class Glossary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    terms: list[GlossaryTerm] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_terms(self) -> Glossary:
        counts = Counter(t.term.lower() for t in self.terms)
        repeated = sorted(name for name, count in counts.items() if count > 1)
        if repeated:
            raise ValueError(f"terms must be unique (ignoring case); repeated: {repeated}")
        return self

    def core_terms(self) -> list[GlossaryTerm]:
        """The terms that come up in almost every interview, in file order."""
        return [t for t in self.terms if t.core]


def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    return load_yaml_model(path, Glossary, "glossary")


def _shipped_glossary() -> Glossary:
    """The glossary shipped with the package, loaded once."""
    return load_glossary()


default_glossary = LoadedOnce(_shipped_glossary)

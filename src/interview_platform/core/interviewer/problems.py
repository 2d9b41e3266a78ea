"""The problem bank: classic system design problems with level-specific scale and checklists.

The bank lives in `problem_bank.yaml` beside this module and is validated on load. Each
problem has, per interview phase, a checklist of concepts; each concept carries the synonyms
that show a candidate covered it, the question to ask when they have not, a hint for a
struggling candidate, a weight, and the competency it is evidence for. A problem's facts are
what an interviewer answers to a clarifying question (users, traffic, sizes, latency,
consistency...), plus a few facts particular to the problem.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from interview_platform.core.models import ExperienceLevel
from interview_platform.errors import ConfigurationError, ValidationError

BANK_FILE = Path(__file__).with_name("problem_bank.yaml")
Loaded = TypeVar("Loaded", bound=BaseModel)
Value = TypeVar("Value")


class Phase(StrEnum):
    REQUIREMENTS = "requirements"
    ESTIMATION = "estimation"
    API = "api"
    DATA_MODEL = "data_model"
    HIGH_LEVEL_DESIGN = "high_level_design"
    DEEP_DIVE = "deep_dive"
    SCALING = "scaling"
    RELIABILITY = "reliability"
    TRADE_OFFS = "trade_offs"


class Competency(StrEnum):
    REQUIREMENTS_GATHERING = "requirements_gathering"
    HIGH_LEVEL_DESIGN = "high_level_design"
    DATA_MODEL_AND_APIS = "data_model_and_apis"
    SCALABILITY = "scalability"
    RELIABILITY = "reliability_and_fault_tolerance"
    TRADE_OFFS = "trade_off_reasoning"
    COMMUNICATION = "communication"


PHASE_ORDER = list(Phase)


class Concept(BaseModel):
    """One checklist item: covered when any of its synonyms appears in an answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    question: str = Field(min_length=10)
    synonyms: list[str] = Field(min_length=2)
    hint: str = Field(min_length=10)
    weight: int = Field(ge=1, le=3)
    competency: Competency

    @field_validator("synonyms")
    @classmethod
    def _lower_case(cls, synonyms: list[str]) -> list[str]:
        return [s.strip().lower() for s in synonyms if s.strip()]


class LevelConstraints(BaseModel):
    """What the problem asks of a candidate at one level."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scale: str = Field(min_length=10)
    focus: str = Field(min_length=10)


class ExtraFact(BaseModel):
    """A problem-specific fact, told when a candidate's question mentions one of `asks`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    asks: list[str] = Field(min_length=1)
    answer: str = Field(min_length=10)

    @field_validator("asks")
    @classmethod
    def _lower_case(cls, asks: list[str]) -> list[str]:
        stripped = [a.strip() for a in asks]
        if any(not a or a != a.lower() for a in stripped):
            raise ValueError(f"asks must be non-empty and lower case: {asks}")
        return stripped


class ProblemFacts(BaseModel):
    """What the interviewer answers to the usual clarifying questions, as they would say it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    users: str = Field(min_length=10)
    traffic: str = Field(min_length=10)
    read_write_ratio: str = Field(min_length=10)
    data_sizes: str = Field(min_length=10)
    latency: str = Field(min_length=10)
    availability: str = Field(min_length=10)
    consistency: str = Field(min_length=10)
    durability: str = Field(min_length=10)
    regions: str = Field(min_length=10)
    extra: list[ExtraFact] = []


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    statement: str = Field(min_length=20)
    domains: list[str] = Field(min_length=1)
    levels: dict[ExperienceLevel, LevelConstraints]
    escalations: list[str] = Field(min_length=2)
    facts: ProblemFacts
    phases: dict[Phase, list[Concept]]

    @model_validator(mode="after")
    def _complete(self) -> Problem:
        missing_levels = set(ExperienceLevel) - set(self.levels)
        missing_phases = set(Phase) - set(self.phases)
        if missing_levels or missing_phases:
            raise ValueError(
                f"{self.slug} lacks levels {sorted(missing_levels)} "
                f"and phases {sorted(missing_phases)}"
            )
        ids = [c.id for concepts in self.phases.values() for c in concepts]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.slug} repeats a concept id")
        return self

    def concepts(self, phase: Phase | None = None) -> list[Concept]:
        if phase is not None:
            return list(self.phases.get(phase, []))
        return [c for p in PHASE_ORDER for c in self.phases.get(p, [])]

    def brief(self, level: ExperienceLevel) -> str:
        """The problem statement as told to a candidate of `level`."""
        constraints = self.levels[level]
        return f"{self.statement}\n\nScale: {constraints.scale}\nFocus: {constraints.focus}"


class ProblemBank(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    generic: dict[Phase, list[Concept]]
    problems: list[Problem] = Field(min_length=24)

    @model_validator(mode="after")
    def _unique_slugs(self) -> ProblemBank:
        slugs = [p.slug for p in self.problems]
        if len(slugs) != len(set(slugs)):
            raise ValueError("problem slugs must be unique")
        if set(self.generic) != set(Phase):
            raise ValueError("the generic checklist must cover every phase")
        return self

    def get(self, slug: str) -> Problem:
        for problem in self.problems:
            if problem.slug == slug:
                return problem
        known = ", ".join(p.slug for p in self.problems)
        raise ValidationError(f"There is no problem '{slug[:60]}'; choose one of: {known}.")


def load_yaml_model(path: Path, model: type[Loaded], what: str) -> Loaded:
    """A YAML file validated into `model`, or a ConfigurationError naming `what` and why."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ConfigurationError(f"The {what} {path} is invalid: {exc}") from exc


class LoadedOnce(Generic[Value]):
    """`load()`'s result, loaded once per process: concurrent first callers wait for the one
    load (single flight) instead of each loading it; `cache_clear` makes the next call load
    afresh (for tests)."""

    def __init__(self, load: Callable[[], Value]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._value: list[Value] = []  # empty until loaded
        self.__doc__ = load.__doc__

    def __call__(self) -> Value:
        loaded = self._value
        if loaded:
            return loaded[0]
        with self._lock:
            if not self._value:
                self._value = [self._load()]
            return self._value[0]

    def cache_clear(self) -> None:
        with self._lock:
            self._value = []


def load_bank(path: Path = BANK_FILE) -> ProblemBank:
    return load_yaml_model(path, ProblemBank, "problem bank")


def _shipped_bank() -> ProblemBank:
    """The bank shipped with the package, loaded once."""
    return load_bank()


default_bank = LoadedOnce(_shipped_bank)

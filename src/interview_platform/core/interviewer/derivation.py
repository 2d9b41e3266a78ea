"""A problem-specific checklist for a problem outside the bank, derived from its statement.

`building_blocks.yaml` beside this module lists known building blocks of system designs
(caching, eviction, matchmaking, status history...). A block is matched when one of its
trigger words or phrases appears in the statement, compared after a tiny suffix-stripper
(plural, -ing, -ed); its concept templates are filled with the problem's own object (the
noun after "design a ...") and put ahead of the generic concepts of their phase.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from interview_platform.core.interviewer.analysis import normalise
from interview_platform.core.interviewer.problems import (
    PHASE_ORDER,
    Competency,
    Concept,
    LoadedOnce,
    Phase,
    default_bank,
    load_yaml_model,
)

BLOCKS_FILE = Path(__file__).with_name("building_blocks.yaml")
MAX_PER_PHASE = 6
MAX_SPECIFIC_PER_PHASE = 4
MAX_ESCALATIONS = 3
FALLBACK_OBJECT = "system"
PLACEHOLDERS = frozenset({"object"})
_DESIGN = re.compile(r"\b(?:design|build|create|implement|architect)\s+(?:an?\s+|the\s+)?(.+)")
_PHRASE_END = re.compile(
    r"[,.;:!?()]|(?<![\w-])(?:for|that|which|where|with|to|in|on|of|by|like|who|so|and|or"
    r"|allowing|letting|used|serving|from|at|when|whose|than|as)(?![\w-])"
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


GENERIC_HEADS = _word_set(
    "system platform service app application website site tool engine backend solution product"
    " api infrastructure software architecture clone portal server something thing way"
)
FILLERS = _word_set(
    "online simple scalable distributed realtime global new basic web mobile multiplayer highly"
    " available social internal public small big large scale modern cloud based robust"
)
ACTIVITY_ENDINGS = ("ing", "tion", "ment")
ACTIVITIES = frozenset({"delivery", "booking", "hailing", "sharing"})
# Words never taken for the problem's object.
IGNORED = GENERIC_HEADS | _word_set(
    "the and for with that this from they their them each every user users should must can will"
    " would could into when where which what also have has more most many some such only able"
    " need needs want wants data while than then there these those other"
)


def _lower_case(values: list[str]) -> list[str]:
    stripped = [v.strip() for v in values]
    if any(not v or v != v.lower() for v in stripped):
        raise ValueError(f"entries must be non-empty and lower case: {values}")
    return stripped


def _check_placeholders(text: str) -> str:
    names = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    if names - PLACEHOLDERS:
        raise ValueError(f"unknown placeholders {sorted(names - PLACEHOLDERS)} in {text!r}")
    return text


LowerCase = Annotated[list[str], AfterValidator(_lower_case)]
Template = Annotated[str, AfterValidator(_check_placeholders)]


class ConceptTemplate(BaseModel):
    """A concept a block adds, with `{object}` standing for the problem's main noun."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    phase: Phase
    competency: Competency
    weight: int = Field(ge=1, le=3)
    question: Template = Field(min_length=10)
    synonyms: LowerCase = Field(min_length=2)
    hint: Template = Field(min_length=10)
    description: Template = Field(min_length=10)
    replaces: list[str] = Field(default_factory=list)

    def fill(self, subject: str) -> Concept:
        return Concept(
            id=self.id,
            question=fill(self.question, subject),
            synonyms=self.synonyms,
            hint=fill(self.hint, subject),
            weight=self.weight,
            competency=self.competency,
        )


class BuildingBlock(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    triggers: LowerCase = Field(min_length=1)
    concepts: list[ConceptTemplate] = Field(min_length=1)
    escalation: Template | None = Field(default=None, min_length=20)


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    blocks: list[BuildingBlock] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        blocks = [b.id for b in self.blocks]
        concepts = [c.id for b in self.blocks for c in b.concepts]
        for kind, ids in (("block", blocks), ("concept", concepts)):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{kind} ids must be unique; repeated: {repeated}")
        return self


def load_catalogue(path: Path = BLOCKS_FILE) -> Catalogue:
    return load_yaml_model(path, Catalogue, "building blocks file")


def _shipped_catalogue() -> Catalogue:
    """The catalogue shipped with the package, loaded and validated once."""
    return load_catalogue()


default_catalogue = LoadedOnce(_shipped_catalogue)


@dataclass(frozen=True)
class DerivedChecklist:
    """A checklist per phase, the blocks it came from, and how sure the derivation is."""

    phases: dict[Phase, list[Concept]]
    blocks: list[str]
    confidence: str
    subject: str = FALLBACK_OBJECT
    escalations: tuple[str, ...] = ()
    descriptions: dict[str, str] = field(default_factory=dict)


def fill(template: str, subject: str) -> str:
    """The template with `{object}` filled in, and a doubled word ("game game") said once."""
    text = template.format(object=subject)
    return re.sub(r"\b(\w+) \1\b", r"\1", text, flags=re.IGNORECASE)


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A crude shared root: plural, -ing, -ed and a final e removed (scans, scanning -> scan)."""
    w = singular(word)
    if len(w) > 4 and w.endswith("ied"):
        w = w[:-3] + "y"
    for suffix in ("ing", "ed"):
        rest = w[: -len(suffix)]
        if len(w) > len(suffix) + 2 and w.endswith(suffix) and re.search("[aeiouy]", rest):
            w = rest[:-1] if len(rest) > 2 and rest[-1] == rest[-2] not in "lsz" else rest
            break
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def stems(text: str) -> list[str]:
    return [stem(w) for w in re.findall(r"[a-z0-9]+", normalise(text))]


def trigger_hits(block: BuildingBlock, text_stems: Sequence[str]) -> int:
    """How many of the block's triggers appear in the stemmed text."""
    padded = f" {' '.join(text_stems)} "
    return sum(1 for t in block.triggers if f" {' '.join(stems(t))} " in padded)


def matched_blocks(catalogue: Catalogue, statement: str) -> list[BuildingBlock]:
    """Blocks whose triggers appear, most hits first, then in catalogue order."""
    text_stems = stems(statement)
    hits = [(trigger_hits(b, text_stems), i, b) for i, b in enumerate(catalogue.blocks)]
    return [b for count, _, b in sorted(hits, key=lambda h: (-h[0], h[1])) if count]


def _design_phrase(statement: str) -> list[str]:
    found = _DESIGN.search(statement.lower())
    if found is None:
        return []
    phrase = _PHRASE_END.split(found.group(1), maxsplit=1)[0]
    return re.findall(r"[a-z0-9][a-z0-9-]*", phrase)


def _is_activity(word: str) -> bool:
    return word.endswith(ACTIVITY_ENDINGS) or word in ACTIVITIES


def _head_noun(words: Sequence[str]) -> str | None:
    """The last concrete noun of the phrase ("package" in "package tracking system")."""
    kept = [w for w in words if w not in GENERIC_HEADS and w not in FILLERS and len(w) > 1]
    concrete = [w for w in kept if not _is_activity(w)]
    hyphenated = [w.split("-")[0] for w in kept if "-" in w and _is_activity(w)]
    chosen = (concrete or hyphenated or kept or [""])[-1]
    return singular(chosen) if chosen else None


def _most_common(words: Sequence[str], at_least: int) -> str | None:
    counts = Counter(w for w in words if w not in IGNORED and len(w) > 3)
    common = counts.most_common(1)
    return common[0][0] if common and common[0][1] >= at_least else None


def main_object(statement: str, blocks: Sequence[BuildingBlock] = ()) -> str:
    """The main thing a problem is about: the noun after "design a ...", else a noun it
    repeats, else its most frequent trigger word that is not an activity, else "system"."""
    words = [singular(w) for w in re.findall(r"[a-z]+", statement.lower())]
    triggers = {stem(t) for b in blocks for t in b.triggers if len(stems(t)) == 1}
    named = [w for w in words if stem(w) in triggers and not _is_activity(w)]
    return (
        _head_noun(_design_phrase(statement))
        or _most_common(words, at_least=2)
        or _most_common(named, at_least=1)
        or FALLBACK_OBJECT
    )


def _strongest(concepts: Sequence[Concept], room: int) -> list[Concept]:
    """The `room` heaviest concepts, in their original order."""
    ranked = sorted(range(len(concepts)), key=lambda i: (-concepts[i].weight, i))[: max(room, 0)]
    return [concepts[i] for i in sorted(ranked)]


def merge(
    generic: Mapping[Phase, Sequence[Concept]],
    templates: Sequence[ConceptTemplate],
    subject: str,
) -> dict[Phase, list[Concept]]:
    """Per phase: the problem's own concepts first, then the heaviest generic ones."""
    taken = {c.id for concepts in generic.values() for c in concepts}
    merged: dict[Phase, list[Concept]] = {}
    for phase in PHASE_ORDER:
        own = [t for t in templates if t.phase is phase and t.id not in taken]
        own = own[:MAX_SPECIFIC_PER_PHASE]
        replaced = {r for t in own for r in t.replaces}
        base = [c for c in generic.get(phase, []) if c.id not in replaced]
        merged[phase] = [t.fill(subject) for t in own] + _strongest(base, MAX_PER_PHASE - len(own))
        if not merged[phase]:
            merged[phase] = list(generic.get(phase, []))
    return merged


def derive_with(
    statement: str,
    generic: Mapping[Phase, Sequence[Concept]],
    catalogue: Catalogue | None = None,
) -> DerivedChecklist:
    """The checklist for `statement`, merged into the given generic checklist."""
    blocks = matched_blocks(catalogue or default_catalogue(), statement)
    subject = main_object(statement, blocks)
    templates = [t for block in blocks for t in block.concepts]
    escalations = tuple(fill(b.escalation, subject) for b in blocks if b.escalation)
    phases = merge(generic, templates, subject)
    kept = {c.id for concepts in phases.values() for c in concepts}
    return DerivedChecklist(
        phases=phases,
        blocks=[b.id for b in blocks],
        confidence="medium" if len(blocks) >= 2 else "low",
        subject=subject,
        escalations=escalations[:MAX_ESCALATIONS],
        descriptions={t.id: fill(t.description, subject) for t in templates if t.id in kept},
    )


@lru_cache(maxsize=256)
def derive_checklist(statement: str) -> DerivedChecklist:
    """The checklist for a problem outside the bank, from the shipped catalogue and bank."""
    return derive_with(statement, default_bank().generic)

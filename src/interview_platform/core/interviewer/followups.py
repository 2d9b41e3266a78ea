"""Follow-ups on what the candidate just said, and deeper dives on their weakest areas.

A design choice stated without a reason gets "why that, and what do you give up?", quoting
the candidate; a technique only named gets "how?". Once the checklist is done, or after the
wrap-up, the interviewer goes deeper where the candidate was weakest: techniques only named,
important points never reached, answers that stayed thin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interview_platform.core.interviewer.phrasing import label, lower_first, pick, quoted
from interview_platform.core.interviewer.problems import PHASE_ORDER, Concept, Phase
from interview_platform.core.interviewer.reading import TurnReading
from interview_platform.core.interviewer.state import InterviewState
from interview_platform.core.understanding.claims import Depth, plain
from interview_platform.core.understanding.recognition import synonym_pattern

Templates = tuple[str, ...]
FOLLOW_UP_PHASES = frozenset(Phase) - {Phase.REQUIREMENTS, Phase.ESTIMATION, Phase.API}
# fmt: off
ALTERNATIVES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), alternative)
    for pattern, alternative in (
        (r"\b(async|asynchronous) replication\b", "synchronous replication"),
        (r"\b(sync|synchronous) replication\b", "asynchronous replication"),
        (r"\b(redis|memcached?|in memory|in a cache|in the cache|caching)\b", "reading the "
         "database directly"),
        (r"\b(cassandra|dynamo\w*|nosql|key value store|mongo\w*|bigtable)\b", "a relational "
         "database"),
        (r"\b(postgres\w*|mysql|relational)\b", "a key-value store"),
        (r"\b(kafka|queues?|asynchronously|in the background)\b", "doing the work inside the "
         "request"),
        (r"\bweb ?sockets?\b", "polling"),
        (r"\bpoll(ing|s)?\b", "pushing over a persistent connection"),
        (r"\b(consistent hashing|hash ring)\b", "simple modulo hashing"),
        (r"\b(shard\w*|partition\w*)\b", "one bigger machine with read replicas"),
        (r"\b(cdn|at the edge)\b", "serving everything from your own servers"),
        (r"\b(lru|least recently used)\b", "LFU or plain expiry times"),
        (r"\b(counter|auto increment)\b", "hashing the input"),
        (r"\b(md5|sha\w*|hash the|hashing the)\b", "a counter"),
        (r"\b(load balanc\w*|round robin|reverse proxy)\b", "DNS round robin"),
        (r"\bmicroservices?\b", "a single service"),
        (r"\b(s3|blob store|object storage)\b", "keeping the files in the database"),
        (r"\b(lock|locks|locking)\b", "optimistic concurrency with version checks"),
        (r"\b301\b", "a 302"),
        (r"\b302\b", "a 301"),
    )
)
# fmt: on
WANTS_MORE = re.compile(
    r"\b(deep dive|go deeper|dig deeper|keep going|one more|another (one|question)|more "
    r"questions?|keep practi[sc]ing|continue|let'?s go on)\b"
)
AGREES = re.compile(r"^(yes|yeah|yep|sure|ok|okay|please|go on|go ahead|let'?s do it)\b")
DECLINES = re.compile(r"\b(no|not|nope|thanks?|thank you|bye|done|that'?s all|stop|enough)\b")
AGREEMENT_WORDS = 8
WHY_OVER: Templates = (
    'You said "{quote}". Why that over {alternative}, and what do you give up?',
    'About "{quote}": what makes that better than {alternative} here, and what does it cost?',
    'You went with "{quote}". Why not {alternative}? What would you lose either way?',
)
WHY: Templates = (
    'You said "{quote}". Why that choice, and what would you trade off to get it?',
    'About "{quote}": what\'s the reasoning, and what are you giving up?',
    'You said "{quote}". What alternative did you consider, and why did this one win?',
    'Take "{quote}": when would that be the wrong choice, and what would you do instead?',
)
HOW: Templates = (
    "You mentioned {name}; {question}",
    "You brought up {name}. {Question}",
    "Let's unpack {name}: {question}",
)
DEEP_NAMED: Templates = (
    "Earlier you mentioned {name} without going into it. {Question}",
    "Let's go back to {name}, which you only named. {Question}",
)
DEEP_OPEN: Templates = (
    "Let's go deeper on {name}. {Question}",
    "One more area I'd like to cover: {name}. {Question}",
    "I'd like to push on {name}. {Question}",
)
DEEP_REVISIT: Templates = (
    "Let's come back to {name}, which we only touched on. Here's a nudge: {hint} "
    "How would that work in your design?",
)


@dataclass(frozen=True)
class FollowUp:
    concept: Concept
    text: str


def follow_up(
    reading: TurnReading,
    state: InterviewState,
    phases: dict[Phase, list[Concept]],
    statement: str = "",
) -> FollowUp | None:
    """Why (for a choice without a reason) or how (for a technique only named) about the
    most important thing the last answer brought up, among the phases reached so far; never
    twice in a row, nor twice on one concept."""
    if state.last_kind == "follow_up":
        return None
    reached = PHASE_ORDER[: PHASE_ORDER.index(state.phase) + 1]
    design = {c.id: c for p in FOLLOW_UP_PHASES & set(reached) for c in phases.get(p, [])}
    fresh = [
        design[cid]
        for cid in sorted(reading.fresh)
        if cid in design and cid not in state.followed_up and reading.quote(cid)
    ]
    if not fresh:
        return None
    top = max(fresh, key=lambda c: c.weight)
    quote = reading.quote(top.id)
    if reading.depth(top.id) is Depth.EXPLAINED and quote is not None:
        return FollowUp(top, _why(quote, statement, state.turn))
    named = [c for c in fresh if c.id in reading.named]
    if not named:
        return None
    weakest = max(named, key=lambda c: c.weight)
    name = _their_words(weakest, reading.quote(weakest.id) or "")
    return FollowUp(weakest, _ask(HOW, weakest, name, state.turn))


def _why(quote: str, statement: str, turn: int) -> str:
    """Why this, and what does it cost; "why that over X" when the choice has a usual
    alternative, unless the problem itself prescribes it (Redis in "design a Redis")."""
    low, premise = plain(quote), plain(statement)
    alternative = next(
        (
            alt
            for pattern, alt in ALTERNATIVES
            if pattern.search(low) and not pattern.search(premise)
        ),
        None,
    )
    if alternative is None:
        return pick(WHY, turn).format(quote=quoted(quote))
    return pick(WHY_OVER, turn).format(quote=quoted(quote), alternative=alternative)


def _their_words(concept: Concept, claim: str) -> str:
    """The words the candidate used for the concept ("sharding"), or its plain name."""
    low = plain(claim)
    for synonym in concept.synonyms:
        found = synonym_pattern(synonym).search(low)
        if found:
            return found.group(0)
    return label(concept)


def _ask(templates: Templates, concept: Concept, name: str, turn: int) -> str:
    question = concept.question
    return pick(templates, turn).format(
        name=name, question=lower_first(question), Question=question, hint=concept.hint
    )


def wants_more(message: str) -> bool:
    """The candidate asks for another question: "yes, let's go deeper", "one more"."""
    low = plain(message)
    if WANTS_MORE.search(low):
        return True
    short = len(low.split()) <= AGREEMENT_WORDS
    return short and AGREES.match(low) is not None and DECLINES.search(low) is None


def deep_dive(state: InterviewState, phases: dict[Phase, list[Concept]]) -> FollowUp | None:
    """The next question on the weakest area: something only named, an important point
    never reached, or an answer that stayed thin."""
    candidates = _weakest_first(state, phases)
    if not candidates:
        return None
    concept, templates = candidates[0]
    return FollowUp(concept, _ask(templates, concept, label(concept), state.turn))


def weakest_topic(state: InterviewState, phases: dict[Phase, list[Concept]]) -> str | None:
    candidates = _weakest_first(state, phases)
    return label(candidates[0][0]) if candidates else None


def _weakest_first(
    state: InterviewState, phases: dict[Phase, list[Concept]]
) -> list[tuple[Concept, Templates]]:
    covered, named, asked = set(state.covered), set(state.named), set(state.asked)
    done = set(state.followed_up)
    strength = {p: _share_covered(concepts, covered) for p, concepts in phases.items()}
    ranked = sorted(
        ((p, c) for p, concepts in phases.items() for c in concepts if c.id not in done),
        key=lambda pc: (strength[pc[0]], -pc[1].weight),
    )
    only_named = [(c, DEEP_NAMED) for p, c in ranked if c.id in named and p in FOLLOW_UP_PHASES]
    never = [(c, DEEP_OPEN) for _, c in ranked if c.id not in covered | named | asked]
    thin = [(c, DEEP_REVISIT) for _, c in ranked if c.id in asked - covered - named]
    return only_named + never + thin


def _share_covered(concepts: list[Concept], covered: set[str]) -> float:
    total = sum(c.weight for c in concepts)
    return sum(c.weight for c in concepts if c.id in covered) / total if total else 1.0

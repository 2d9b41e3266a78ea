"""What the built-in interviewer says: short, specific, and in reference to the candidate.

Wordings vary with the turn (chosen deterministically from it), concepts are named in plain
English, and the candidate is quoted in their own words.
"""

from __future__ import annotations

import re

from interview_platform.core.interviewer.analysis import shorten
from interview_platform.core.interviewer.problems import Concept, Phase
from interview_platform.core.interviewer.state import Clock
from interview_platform.core.models import ProblemBrief
from interview_platform.core.understanding.claims import Depth

QUOTE_CHARS = 120
DRAWING_MARKER = "[Whiteboard snapshot]"  # how a saved drawing reads as the candidate's turn
PHASE_LABELS = {
    Phase.REQUIREMENTS: "requirements",
    Phase.ESTIMATION: "capacity estimates",
    Phase.API: "the API",
    Phase.DATA_MODEL: "the data model",
    Phase.HIGH_LEVEL_DESIGN: "the high-level design",
    Phase.DEEP_DIVE: "a deeper dive into the hardest part",
    Phase.SCALING: "scaling",
    Phase.RELIABILITY: "reliability and failures",
    Phase.TRADE_OFFS: "trade-offs",
}
TRANSITIONS = ("Let's move on to {phase}.", "Next, let's look at {phase}.", "Now, {phase}.")
# Id words written the way people write them.
PHRASES = (
    ("read write qps", "read and write rates"),
    ("ttl and expiry", "time-to-live and expiry"),
    ("detection failover", "detection and failover"),
    ("trade off", "trade-off"),
    ("tradeoff", "trade-off"),
    ("in memory", "in-memory"),
    ("key value", "key-value"),
    ("fan out", "fan-out"),
    ("fanout", "fan-out"),
    ("read write", "read/write"),
    ("end to end", "end-to-end"),
    ("at least once", "at-least-once"),
    ("exactly once", "exactly-once"),
    ("real time", "real-time"),
    ("realtime", "real-time"),
    ("dead letter", "dead-letter"),
    ("time series", "time-series"),
    ("leader follower", "leader-follower"),
    ("on the fly", "on-the-fly"),
    ("non functional", "non-functional"),
    ("vs", "versus"),
)
PREFIXES = ("multi", "co", "pre", "anti", "geo", "top")
ACRONYMS = {
    "api": "API",
    "apis": "APIs",
    "url": "URL",
    "urls": "URLs",
    "id": "ID",
    "ids": "IDs",
    "sql": "SQL",
    "nosql": "NoSQL",
    "cdn": "CDN",
    "cdns": "CDNs",
    "slo": "SLO",
    "slos": "SLOs",
    "sla": "SLA",
    "slas": "SLAs",
    "ttl": "TTL",
    "qps": "QPS",
    "cap": "CAP",
    "eta": "ETA",
    "dns": "DNS",
    "isp": "ISP",
    "lsm": "LSM",
    "crdt": "CRDT",
    "ot": "OT",
    "kv": "key-value",
    "lww": "last-writer-wins",
    "btree": "B-tree",
    "olap": "OLAP",
    "lru": "LRU",
    "n": "N",
    "top-n": "top-N",
    "top-k": "top-K",
}
REASONS = frozenset({"reason", "comparison", "trade_off", "failure"})
REASONED_ACKS = (
    'Good, and I like the reasoning: "{quote}".',
    'That\'s well argued: "{quote}".',
    'Makes sense, especially "{quote}".',
    'Right, "{quote}" is a solid point.',
)
SPECIFIC_ACKS = (
    'Thanks, that\'s specific: "{quote}".',
    'Good, that\'s concrete: "{quote}".',
    'Noted: "{quote}".',
)
EXPLAINED_ACKS = (
    'Okay, "{quote}" answers the {topic} question.',
    'Got it: "{quote}".',
    'Right, so on the {topic} side: "{quote}".',
    'Fair enough: "{quote}".',
    'Noted, "{quote}" takes care of the {topic} question.',
)
NAMED_ACKS = (
    'Noted: "{quote}".',
    'Okay, "{quote}"; we\'ll come back to those.',
    'Right, "{quote}". Let\'s see how they fit together.',
)
LATER_ACKS = (
    'Let\'s hold that thought for later: "{quote}".',
    'Noted for later: "{quote}".',
    'Good, we\'ll come back to "{quote}".',
)
ACKS = {
    "reasoned": REASONED_ACKS,
    "specific": SPECIFIC_ACKS,
    "explained": EXPLAINED_ACKS,
    "named": NAMED_ACKS,
    "later": LATER_ACKS,
}
UNQUOTED_ACKS = (
    "Noted, that settles the {topic} question.",
    "Good, that covers the {topic} point.",
    "Okay, that answers the {topic} question.",
)
RECALLS = (
    'Earlier you said "{quote}". Let\'s build on that: {lowered}',
    'You touched on this before: "{quote}". {question}',
)
WRAP_UP_ACKS = (
    'Thanks, noted: "{quote}".',
    'Fair enough: "{quote}".',
    'That\'s a reasonable call: "{quote}".',
)
CLOSINGS = (
    "That's our time, thank you. Press End Interview to see your evaluation.",
    "We're past the time we set, so I won't open anything new. Your evaluation is one click "
    "away: End Interview.",
    "Thanks again, that's the end of the interview proper. Press End Interview whenever "
    "you're ready.",
)
OFFERS = (
    " If you'd like one more deep dive, on {topic} for example, say so and we'll go into it.",
    " Want to keep practising? Say the word and we can go deeper into {topic}.",
    " If you'd rather use the time, ask for a deep dive and I'll pick up {topic}.",
)
OPEN_OFFER = " If you'd like to keep practising, ask me anything about the design."


def join(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def pick(options: tuple[str, ...], turn: int) -> str:
    return options[turn % len(options)]


def label(concept: Concept) -> str:
    """The concept in plain English: "in-memory structure", "CAP trade-off"."""
    return plain_words(concept.id)


def plain_words(slug: str) -> str:
    """A snake_case id in plain English, acronyms kept: "cap_trade_off" -> "CAP trade-off"."""
    text = " ".join(slug.replace("_", " ").split())
    for phrase, written in PHRASES:
        text = re.sub(rf"\b{phrase}\b", written, text)
    text = re.sub(rf"\b({'|'.join(PREFIXES)}) (?=\w)", r"\1-", text)
    return " ".join(ACRONYMS.get(word, word) for word in text.split())


def lower_first(question: str) -> str:
    """A question to follow a colon or semicolon: "How would..." -> "how would..." (but
    "API..." stays)."""
    return question[0].lower() + question[1:] if question[1:2].islower() else question


def quoted(text: str) -> str:
    """The candidate's sentence as quoted back: shortened, without its final full stop."""
    return shorten(text.strip().rstrip(".;,!"), QUOTE_CHARS)


def opening(brief: ProblemBrief, duration_minutes: float | None = None) -> str:
    minutes = round(Clock.of(0, duration_minutes).duration)
    return (
        f"Hi, thanks for joining. Today's problem: {brief.title}.\n\n{brief.statement}\n\n"
        f"We have about {minutes} minutes. Think out loud, and feel free to use the whiteboard. "
        "Most people start by pinning down requirements: what would you like to clarify, "
        "and what will you assume?"
    )


def ack_kind(depth: Depth, support: tuple[str, ...]) -> str:
    """How an acknowledgement should sound: for a reason, a figure, an explanation, a name."""
    if depth <= Depth.NAMED:
        return "named"
    return "reasoned" if REASONS & set(support) else "specific" if support else "explained"


def acknowledge(quote: str | None, topic: str, kind: str, turn: int) -> str:
    """Refer to what the candidate just said that moved the design forward; `kind` is one
    of ack_kind's, or "later" for a point whose time has not come yet."""
    if quote is None:
        return pick(UNQUOTED_ACKS, turn).format(topic=topic)
    return pick(ACKS[kind], turn).format(quote=quoted(quote), topic=topic)


def acknowledge_wrap_up_answer(quote: str, turn: int) -> str:
    return pick(WRAP_UP_ACKS, turn).format(quote=quoted(quote))


def clarify(answer: str, concept: Concept | None) -> str:
    topic = f" on the {label(concept)} question" if concept else ""
    if answer.startswith(DRAWING_MARKER):
        drawn = answer.removeprefix(DRAWING_MARKER).strip().rstrip(".")
        return (
            f"Your drawing shows {lower_first(drawn)}. Could you talk me through it{topic}? "
            "Say what each part does and why it is there."
        )
    words = answer.split()
    fragment = " ".join(words[:12]) + ("..." if len(words) > 12 else "")
    return (
        f'You said "{fragment}". Could you be more concrete{topic}? '
        "Name the component or technique you would use, and why it fits this problem."
    )


def recall(earlier: str | None, concept: Concept, turn: int) -> str:
    """The concept's question, built on what the candidate said about it early on."""
    if earlier is None:
        return concept.question
    question = concept.question
    lowered = lower_first(question)
    return pick(RECALLS, turn).format(quote=quoted(earlier), question=question, lowered=lowered)


def hint(lead: str, concept: Concept) -> str:
    return join(lead, f"Here's a nudge: {concept.hint}", concept.question)


def transition(phase: Phase, turn: int) -> str:
    return pick(TRANSITIONS, turn).format(phase=PHASE_LABELS[phase])


def wrap_up(clock: Clock) -> str:
    left = clock.minutes_left
    timing = (
        f"We have about {left} minutes left, so let's start wrapping up."
        if left >= 2
        else "We're about at time."
    )
    return (
        f"{timing} If you had another month, what would you change in your design, and which "
        "risk worries you most? When you're ready, press End Interview for your evaluation."
    )


def after_the_end(closings: int, topic: str | None) -> str:
    """A closing line that differs from the previous one, offering a further deep dive."""
    offer = pick(OFFERS, closings).format(topic=topic) if topic else OPEN_OFFER
    return pick(CLOSINGS, closings) + offer

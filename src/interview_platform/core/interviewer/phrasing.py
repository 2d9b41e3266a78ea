"""What the built-in interviewer says: short, specific, and in reference to the candidate."""

from __future__ import annotations

from interview_platform.core.interviewer.analysis import AnswerReading, quote_for
from interview_platform.core.interviewer.problems import Concept, Phase
from interview_platform.core.models import ProblemBrief

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
OPENERS = ("Good.", "That makes sense.", "Right.", "Okay, noted.", "Fair enough.")


def join(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def label(concept: Concept) -> str:
    return concept.id.replace("_", " ")


def opening(brief: ProblemBrief) -> str:
    return (
        f"Hi, thanks for joining. Today's problem: {brief.title}.\n\n{brief.statement}\n\n"
        "We have about 45 minutes. Think out loud, and feel free to use the whiteboard. "
        "Most people start by pinning down requirements: what would you like to clarify, "
        "and what will you assume?"
    )


def constraints(brief: ProblemBrief) -> str:
    scale = [line for line in brief.statement.splitlines() if line.startswith("Scale:")]
    if scale:
        return f"Good question. You can assume: {scale[0].removeprefix('Scale:').strip()}"
    return (
        "Good question. Pick numbers you find realistic, state them, and I'll push back if needed."
    )


def acknowledge(reading: AnswerReading, answer: str, concepts: list[Concept], turn: int) -> str:
    """Refer to what the candidate just said that moved the design forward."""
    gained = [c for c in concepts if c.id in reading.new_concepts]
    if not gained:
        return ""
    best = max(gained, key=lambda c: c.weight)
    quote = quote_for(best, [answer], max_chars=120)
    opener = OPENERS[turn % len(OPENERS)]
    if quote is None:
        return f"{opener} That covers {label(best)}."
    return f'{opener} You said "{quote}", which covers {label(best)}.'


def clarify(answer: str, concept: Concept | None) -> str:
    words = answer.split()
    fragment = " ".join(words[:12]) + ("..." if len(words) > 12 else "")
    topic = f" on {label(concept)}" if concept else ""
    return (
        f'You said "{fragment}". Could you be more concrete{topic}? '
        "Name the component or technique you would use, and why it fits this problem."
    )


def hint(lead: str, concept: Concept) -> str:
    return join(lead, f"Here's a nudge: {concept.hint}", concept.question)


def transition(phase: Phase) -> str:
    return f"Let's move on to {PHASE_LABELS[phase]}."


def wrap_up() -> str:
    return (
        "We're close to time. To finish: if you had another month, what would you change in "
        "your design, and which risk worries you most? When you're ready, press End Interview "
        "for your evaluation."
    )


def after_the_end() -> str:
    return "That's the end of our interview, thank you. Press End Interview to see your evaluation."

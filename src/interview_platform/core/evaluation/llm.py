"""The LLM evaluator: structured output into validated models, checked against the transcript.

The prompt carries anchored level descriptors per competency and the claim-level evidence the
built-in reader found (which concepts were named, explained or justified, in the candidate's
words). The model scores each competency; the overall score is ours (the same weights as the
built-in evaluator); an evidence quote survives only if the candidate really said it; and a
score the evidence cannot support (say 100 with no justified claim) is capped and flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from interview_platform.core.evaluation.evidence_caps import cap_by_evidence, evidence_summary
from interview_platform.core.evaluation.report import (
    ActionItem,
    CompetencyScore,
    EvaluationReport,
    Feedback,
    ImprovementPlan,
    ModeAnalysis,
)
from interview_platform.core.evaluation.rubric import COMPETENCY_WEIGHTS, score
from interview_platform.core.interviewer import prompts
from interview_platform.core.interviewer.analysis import normalise
from interview_platform.core.interviewer.problems import Competency, ProblemBank, default_bank
from interview_platform.core.models import Message, ProblemBrief, Role, TokenUsage
from interview_platform.core.ports.chat import ChatMessage, ChatProvider, ChatResult
from interview_platform.core.understanding.recognition import ConceptReader, default_reader

CONFIDENCE_ORDER = ("low", "medium", "high")


class CompetencyJudgement(BaseModel):
    competency: Competency
    score: float = Field(ge=0, le=100)
    confidence: str = Field(pattern="^(high|medium|low)$")
    evidence: list[str] = Field(default_factory=list, max_length=5)


class FeedbackItem(BaseModel):
    category: str
    description: str
    evidence: list[str] = Field(default_factory=list, max_length=5)


class Judgement(BaseModel):
    """What the model must return."""

    competencies: list[CompetencyJudgement] = Field(min_length=7, max_length=7)
    went_well: list[FeedbackItem]
    went_okay: list[FeedbackItem]
    needs_improvement: list[FeedbackItem]
    priority_areas: list[str] = Field(min_length=1, max_length=5)
    concrete_steps: list[str] = Field(min_length=1, max_length=10)
    resources: list[str] = Field(default_factory=list, max_length=10)


ANCHORS = (
    "Anchors for every competency: 0-20 nothing relevant, or names only (a list of "
    "technologies with no explanation); 21-45 some parts explained but key ones missing or "
    "wrong; 46-65 the main parts explained with few reasons; 66-85 the main parts explained "
    "and most choices justified with a reason, a number, a comparison, a failure case or a "
    "trade-off; 86-100 everything important justified in depth for the level, rare. A list "
    "of names is never evidence of understanding. Plain words count as much as jargon."
)


def evaluation_prompt(brief: ProblemBrief, history: Sequence[Message], evidence: str = "") -> str:
    transcript = "\n".join(f"{m.role.value}: {m.content}" for m in history)
    names = ", ".join(c.value for c in Competency)
    found = (
        f"Evidence found in the candidate's statements, by competency and depth "
        f"(named < explained < justified):\n{prompts.delimited('evidence', evidence)}\n"
        if evidence
        else ""
    )
    return (
        f"Evaluate this system design interview for a {brief.level.value} candidate.\n"
        f"Problem: {brief.title}\n{brief.statement}\n"
        f"Score each competency 0-100 ({names}), calibrated to the level; an answer about a "
        "different problem than the one asked scores low. "
        f"{ANCHORS} Confidence is high with three or more "
        "pieces of evidence, medium with one or two, low with none. Evidence must quote the "
        "candidate's own words exactly. Then list what went well, okay, and needs improvement "
        "(always name what a senior interviewer would push on next), and an improvement plan: "
        "priority areas, concrete numbered steps that cite what this candidate said or "
        "missed, resources.\n"
        f"{found}{prompts.delimited('transcript', transcript)}\n{prompts.DATA_RULE}"
    )


class LLMEvaluator:
    def __init__(
        self,
        provider: ChatProvider,
        record: Callable[[str, ChatResult], TokenUsage],
        bank: ProblemBank | None = None,
        reader: ConceptReader | None = None,
    ) -> None:
        self._provider = provider
        self._record = record
        self._bank = bank
        self._reader = reader

    def evaluate(
        self,
        session_id: str,
        brief: ProblemBrief,
        history: Sequence[Message],
        modes: ModeAnalysis,
    ) -> EvaluationReport:
        answers = [m.content for m in history if m.role is Role.CANDIDATE]
        scoring = score(
            brief,
            self._bank or default_bank(),
            answers,
            set(),
            self._reader or default_reader(),
        )
        prompt = evaluation_prompt(brief, history, evidence_summary(scoring))
        judgement, result = self._provider.structured([ChatMessage("user", prompt)], Judgement)
        self._record("evaluation", result)
        said = normalise(" ".join(answers))
        scores = {j.competency.value: _score(j, said) for j in judgement.competencies}
        missing = {c.value for c in Competency} - set(scores)
        scores |= {name: CompetencyScore(0.0, "low", []) for name in missing}
        scores, flags = cap_by_evidence(scores, scoring)
        overall = sum(COMPETENCY_WEIGHTS[Competency(k)] * s.score for k, s in scores.items())
        return EvaluationReport(
            session_id=session_id,
            overall_score=round(overall, 1),
            competency_scores=scores,
            went_well=[_feedback(f, said) for f in judgement.went_well],
            went_okay=[_feedback(f, said) for f in judgement.went_okay],
            needs_improvement=flags + [_feedback(f, said) for f in judgement.needs_improvement],
            improvement_plan=ImprovementPlan(
                judgement.priority_areas,
                [ActionItem(i, step, []) for i, step in enumerate(judgement.concrete_steps, 1)],
                judgement.resources,
            ),
            communication_mode_analysis=modes,
        )


def _score(judgement: CompetencyJudgement, said: str) -> CompetencyScore:
    """The model's score, with only the quotes the candidate really said, and a confidence
    no higher than that evidence supports (high: three or more, medium: one or two)."""
    evidence = [q for q in judgement.evidence if _quoted(q, said)]
    supported = "high" if len(evidence) >= 3 else "medium" if evidence else "low"
    confidence = min(judgement.confidence, supported, key=CONFIDENCE_ORDER.index)
    return CompetencyScore(round(judgement.score, 1), confidence, evidence)


def _quoted(quote: str, said: str) -> bool:
    """True if the quote (ignoring case, punctuation at the ends and an ellipsis) was said."""
    core = normalise(quote.strip().strip("\"'“”.…"))
    return bool(core) and core in said


def _feedback(item: FeedbackItem, said: str) -> Feedback:
    return Feedback(item.category, item.description, [q for q in item.evidence if _quoted(q, said)])

"""The built-in evaluator on hand-written interviews: it judges reasoning, not vocabulary."""

from __future__ import annotations

from functools import cache

import pytest

from benchmarks.judgement import Interview, load_interviews, load_robustness
from interview_platform.core.evaluation.builtin import BuiltinEvaluator
from interview_platform.core.evaluation.report import EvaluationReport, ModeAnalysis
from interview_platform.core.evaluation.rubric import score
from interview_platform.core.interviewer.problems import Competency, default_bank
from interview_platform.core.interviewer.selection import brief_for, custom_brief
from interview_platform.core.models import ExperienceLevel, Message, ProblemBrief, Role
from interview_platform.core.understanding.recognition import default_reader

BANK = default_bank()
NO_MODES = ModeAnalysis({}, [])
URL = brief_for(BANK.get("url-shortener"), ExperienceLevel.MID)


@cache
def interviews() -> dict[str, Interview]:
    return {interview.slug: interview for interview in load_interviews()}


def evaluate(brief: ProblemBrief, answers: list[str]) -> EvaluationReport:
    history = [Message(Role.CANDIDATE, answer) for answer in answers]
    return BuiltinEvaluator(BANK).evaluate("", brief, history, NO_MODES)


def graded(slug: str, kind: str, asked: str | None = None) -> float:
    brief = interviews()[asked or slug].brief(BANK)
    return evaluate(brief, interviews()[slug].answers[kind]).overall_score


@pytest.mark.parametrize("slug", ["url-shortener", "rate-limiter", "file-storage"])
def test_strong_beats_average_beats_weak_beats_another_problem(slug: str) -> None:
    scores = {kind: graded(slug, kind) for kind in ("strong_jargon", "average_jargon", "weak")}
    off_topic = graded("chat-system", "strong_jargon", asked=slug)
    assert scores["strong_jargon"] > scores["average_jargon"] > scores["weak"] > off_topic


@pytest.mark.parametrize("slug", ["url-shortener", "payment-system", "online-chess"])
def test_a_keyword_salad_scores_far_below_a_reasoned_answer(slug: str) -> None:
    assert graded(slug, "salad") < 30
    assert graded(slug, "salad") < graded(slug, "weak")


def test_the_same_reasoning_in_plain_words_scores_about_the_same() -> None:
    jargon, plain = graded("rate-limiter", "strong_jargon"), graded("rate-limiter", "strong_plain")
    assert abs(jargon - plain) <= 15


@pytest.mark.parametrize(
    ("answer", "asked"), [("url-shortener", "news-feed"), ("payment-system", "online-chess")]
)
def test_a_good_answer_to_another_problem_scores_low(answer: str, asked: str) -> None:
    assert graded(answer, "strong_jargon", asked=asked) <= 35


def test_a_strong_answer_is_not_a_flat_hundred_and_still_gets_pushed() -> None:
    report = evaluate(URL, interviews()["url-shortener"].answers["strong_jargon"])
    assert 60 <= report.overall_score < 100
    assert any("Push next" in item.description for item in report.needs_improvement)


def test_plans_quote_the_candidate_and_differ_between_transcripts() -> None:
    strong = evaluate(URL, interviews()["url-shortener"].answers["strong_plain"])
    average = evaluate(URL, interviews()["url-shortener"].answers["average_plain"])
    steps = [s.description for s in strong.improvement_plan.concrete_steps]
    assert steps != [s.description for s in average.improvement_plan.concrete_steps]
    said = " ".join(interviews()["url-shortener"].answers["strong_plain"])
    quoted = [s.split('"')[1].removesuffix("...") for s in steps if s.count('"') >= 2]
    assert any(quote in said for quote in quoted)


def test_evidence_sits_under_the_competency_it_supports() -> None:
    answers = interviews()["payment-system"].answers["strong_jargon"]
    brief = brief_for(BANK.get("payment-system"), ExperienceLevel.MID)
    scoring = score(brief, BANK, answers, set(), default_reader())
    for competency in Competency:
        if competency is Competency.COMMUNICATION:
            continue
        own = {
            claim.text
            for evidence in scoring.evidence.values()
            if evidence.concept.competency is competency
            for claim in evidence.claims
        }
        backing = {c.text for c in scoring.claims if c.support}
        assert set(scoring.scores[competency.value].evidence) <= own | backing, competency


def test_the_same_answers_score_lower_for_a_more_senior_level() -> None:
    answers = interviews()["url-shortener"].answers["average_jargon"]
    url = BANK.get("url-shortener")
    junior = evaluate(brief_for(url, ExperienceLevel.JUNIOR), answers).overall_score
    staff = evaluate(brief_for(url, ExperienceLevel.STAFF), answers).overall_score
    assert junior > staff


def test_one_wall_of_text_communicates_no_better_than_the_same_turns() -> None:
    turns = interviews()["news-feed"].answers["strong_jargon"]
    brief = interviews()["news-feed"].brief(BANK)
    spread = evaluate(brief, turns).competency_scores["communication"].score
    wall = evaluate(brief, ["\n".join(turns)]).competency_scores["communication"].score
    assert wall <= spread


def test_a_problem_outside_the_bank_is_judged_on_its_own_substance() -> None:
    brief = custom_brief(
        "Design a parking garage reservation system for a city", ExperienceLevel.MID
    )
    relevant = [
        "First the requirements: drivers reserve a spot in a garage ahead of time and get a "
        "code to open the gate. I'd keep one row per spot per hour, because double booking is "
        "the thing that must never happen.",
        "To stop two drivers taking the same spot, the booking takes a row lock on that spot's "
        "hour, so the second driver sees it is gone instead of both paying for it.",
    ]
    off_topic = ["My favourite film is about pirates and the sea, with songs and a parrot."]
    assert evaluate(brief, relevant).overall_score > evaluate(brief, off_topic).overall_score + 10


def notes(report: EvaluationReport) -> list[str]:
    return [f.description for f in report.needs_improvement if f.category == "evaluation_note"]


def test_no_answers_scores_zero_with_a_note() -> None:
    for history in ([], [Message(Role.INTERVIEWER, "What would you like to clarify?")]):
        report = BuiltinEvaluator(BANK).evaluate("", URL, history, NO_MODES)
        assert report.overall_score == 0
        assert all(s.confidence_level == "low" for s in report.competency_scores.values())
        assert notes(report) and "nothing to score" in notes(report)[0]


def test_awkward_inputs_get_a_sane_score_and_a_note() -> None:
    cases = load_robustness()
    huge = evaluate(URL, ["We store each link in a table keyed by its short code. " * 20_000])
    spanish = evaluate(URL, cases["not_english"])
    repeated = evaluate(URL, cases["repeated"])
    code = evaluate(URL, cases["code_and_urls"])
    for report in (huge, spanish, repeated):
        assert 0 <= report.overall_score < 60
    assert any("characters was read" in n for n in notes(huge))
    assert any("not in English" in n for n in notes(spanish))
    assert any("repeated" in n for n in notes(repeated))
    assert 30 < code.overall_score < 100  # a decent answer; the code and links are not read

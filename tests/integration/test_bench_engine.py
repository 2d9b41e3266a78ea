"""`bench engine` on a small size: the report's shape and sanity, not its speed."""

from __future__ import annotations

import json

import pytest

from benchmarks.engine import (
    EngineReport,
    format_text,
    interviewer_question,
    judgement_json,
    run_overhead,
    run_tokens,
)
from benchmarks.judgement import KINDS, load_interviews, run_judgement
from interview_platform.core.evaluation.llm import Judgement


@pytest.fixture(scope="module")
def report() -> EngineReport:
    return EngineReport(
        judgement=run_judgement(problems=2),
        tokens=run_tokens(8),  # memory starts folding old turns into a summary at turn 7
        overhead=run_overhead(history_messages=20, calls=5),
    )


def test_judgement_scores_every_kind_of_every_problem_and_the_wrong_problems(
    report: EngineReport,
) -> None:
    judged = report.judgement.benchmark

    assert len(judged.scores) == 2
    assert all(set(scores) == {*KINDS, "off_topic"} for scores in judged.scores.values())
    assert judged.pairs == 2 * 6
    assert len(judged.wrong_problem) == 2
    assert 0 <= judged.accuracy <= 1
    assert all(0 <= v <= 100 for s in judged.scores.values() for v in s.values())
    assert report.judgement.words_only.scores.keys() == judged.scores.keys()
    assert {"empty", "one_megabyte", "not_english", "repeated"} <= set(report.judgement.robustness)


def test_the_hand_written_interviews_are_complete() -> None:
    interviews = load_interviews()
    benchmark = [i for i in interviews if i.set == "benchmark"]
    assert len(benchmark) >= 8
    assert sum(1 for i in benchmark if not i.in_bank) >= 2
    assert {i.set for i in interviews} == {"benchmark", "calibration"}
    assert all(set(KINDS) <= set(i.answers) for i in interviews)


def test_tokens_are_counted_by_the_server_and_below_the_full_history(
    report: EngineReport,
) -> None:
    tokens = report.tokens

    assert tokens.total_tokens > 0
    assert {"question_generation", "response_analysis", "evaluation"} <= set(tokens.by_operation)
    assert tokens.llm_replies == 8 and tokens.llm_evaluation
    assert len(tokens.reply_calls) == 8 and tokens.summary_calls
    assert 0 < tokens.ratio < 1
    assert set(tokens.per_turn) == {5, 8}


def test_overhead_is_timed_for_both_engines(report: EngineReport) -> None:
    assert [t.calls for t in report.overhead] == [5, 5]
    assert all(t.history_messages >= 20 for t in report.overhead)
    assert all(0 < t.p50_ms <= t.p95_ms <= t.max_ms for t in report.overhead)


def test_the_report_prints_a_verdict_per_goal_and_serialises(report: EngineReport) -> None:
    lines = format_text(report)
    goals = report.goals()

    assert len(goals) == 6 + 2 + 2
    verdicts = lines[lines.index("Goals") + 1 :]
    assert len(verdicts) == len(goals)
    assert all(line.split()[0] in ("MET", "MISSED") for line in verdicts)
    data = json.loads(json.dumps(report.as_dict()))
    assert set(data) == {"judgement", "tokens", "overhead", "goals"}


def test_the_scripted_judgement_fits_the_schema_and_quotes_the_candidate() -> None:
    prompt = "interviewer: Hi.\ncandidate: I would use a cache. Then shard it.\n"

    judgement = Judgement.model_validate_json(judgement_json(prompt))

    assert judgement.competencies[0].evidence == ["I would use a cache"]
    assert interviewer_question(1) != interviewer_question(2)

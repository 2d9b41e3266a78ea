"""`bench engine` on a small size: the report's shape and sanity, not its speed."""

from __future__ import annotations

import json

import pytest

from interview_platform.benchmarks.engine import (
    PAIRS,
    EngineReport,
    format_text,
    interviewer_question,
    judgement_json,
    run_discrimination,
    run_overhead,
    run_tokens,
)
from interview_platform.core.evaluation.llm import Judgement


@pytest.fixture(scope="module")
def report() -> EngineReport:
    return EngineReport(
        discrimination=run_discrimination(2),
        tokens=run_tokens(8),  # memory starts folding old turns into a summary at turn 7
        overhead=run_overhead(history_messages=20, calls=5),
    )


def test_discrimination_grades_every_pair_of_every_problem(report: EngineReport) -> None:
    result = report.discrimination

    assert len(result.problems) == 2
    assert result.pairs_total == 2 * len(PAIRS)
    assert 0 <= result.accuracy <= 1
    assert len(result.failures) == result.pairs_total - result.pairs_correct
    spreads = result.per_kind()
    assert set(spreads) == {"strong", "average", "weak", "off_topic"}
    assert all(0 <= s.min <= s.mean <= s.max <= 100 for s in spreads.values())


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

    assert len(goals) == 5
    verdicts = lines[lines.index("Goals") + 1 :]
    assert len(verdicts) == len(goals)
    assert all(line.split()[0] in ("MET", "MISSED") for line in verdicts)
    data = json.loads(json.dumps(report.as_dict()))
    assert set(data) == {"discrimination", "tokens", "overhead", "goals"}


def test_the_scripted_judgement_fits_the_schema_and_quotes_the_candidate() -> None:
    prompt = "interviewer: Hi.\ncandidate: I would use a cache. Then shard it.\n"

    judgement = Judgement.model_validate_json(judgement_json(prompt))

    assert judgement.competencies[0].evidence == ["I would use a cache"]
    assert interviewer_question(1) != interviewer_question(2)

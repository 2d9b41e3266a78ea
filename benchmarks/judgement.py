"""`bench engine`, judgement part: the built-in evaluator on hand-written interviews.

The answers in `benchmarks/answers/` were written by hand as candidates speak, at four levels
(strong, average, weak, and a strong answer to another problem), with plain-word and jargon
variants, plus keyword salads; none of them was written from the rubric. Figures:

- ordering: strong > average > weak > off-topic, per problem and variant;
- the salad ceiling: the best score of a keyword list, in or out of the bank;
- the plain-words drop: jargon minus plain score of the same strong answer;
- the wrong-problem ceiling: the best score of a strong answer to another problem;
- the spread by level, and the strong natural answers' range at mid level;
- the time to evaluate a whole interview, and the robustness inputs' scores and notes.

The calibration set (three other problems) is what thresholds were tuned on; the benchmark
set is reported separately so the figures are not the ones the tuning saw.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from interview_platform.core.evaluation.builtin import BuiltinEvaluator
from interview_platform.core.evaluation.report import EvaluationReport, ModeAnalysis
from interview_platform.core.interviewer.problems import ProblemBank, default_bank
from interview_platform.core.interviewer.selection import brief_for, custom_brief
from interview_platform.core.models import ExperienceLevel, Message, ProblemBrief, Role
from interview_platform.core.understanding.recognition import ConceptReader, default_reader

ANSWERS_DIR = Path(__file__).with_name("answers")
LEVEL = ExperienceLevel.MID
KINDS = ("strong_jargon", "strong_plain", "average_jargon", "average_plain", "weak", "salad")
ORDERS = (
    ("strong_jargon", "average_jargon", "weak", "off_topic"),
    ("strong_plain", "average_plain", "weak", "off_topic"),
)
GOAL_SALAD = 30.0
GOAL_DROP_MEAN, GOAL_DROP_MAX = 8.0, 15.0
GOAL_WRONG_PROBLEM = 35.0
GOAL_STRONG_RANGE = (65.0, 90.0)
GOAL_EVALUATION_S = 2.0


@dataclass(frozen=True)
class Interview:
    slug: str
    statement: str
    in_bank: bool
    set: str
    answers: dict[str, list[str]]

    def brief(self, bank: ProblemBank) -> ProblemBrief:
        if self.in_bank:
            return brief_for(bank.get(self.slug), LEVEL)
        return custom_brief(self.statement, LEVEL)


def load_interviews(folder: Path = ANSWERS_DIR) -> list[Interview]:
    interviews = []
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("set") not in ("benchmark", "calibration"):
            continue
        answers = {k: [str(turn) for turn in v] for k, v in raw["answers"].items()}
        interviews.append(
            Interview(raw["slug"], raw["statement"], raw["in_bank"], raw["set"], answers)
        )
    return interviews


def load_robustness(folder: Path = ANSWERS_DIR) -> dict[str, list[str]]:
    raw = yaml.safe_load((folder / "robustness.yaml").read_text(encoding="utf-8"))
    cases = raw.get("answers", raw) if isinstance(raw, dict) else {}
    return {k: [str(t) for t in v] for k, v in cases.items() if isinstance(v, list)}


def transcript(answers: Sequence[str]) -> list[Message]:
    return [Message(Role.CANDIDATE, answer) for answer in answers]


@dataclass
class Judged:
    """Scores of one set of interviews, by problem then kind, and what the figures say."""

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    wrong_problem: dict[str, float] = field(default_factory=dict)  # "asked <- answered"
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    pairs: int = 0

    @property
    def accuracy(self) -> float:
        return (self.pairs - len(self.failures)) / self.pairs if self.pairs else 0.0

    def kind(self, name: str) -> list[float]:
        return [s[name] for s in self.scores.values() if name in s]

    def drops(self) -> list[float]:
        return [s["strong_jargon"] - s["strong_plain"] for s in self.scores.values()]

    def as_dict(self) -> dict[str, Any]:
        drops = self.drops()
        return {
            "scores": self.scores,
            "ordering_accuracy": round(self.accuracy, 4),
            "ordering_failures": self.failures,
            "salad_ceiling": max(self.kind("salad"), default=0.0),
            "plain_words_drop": {
                "mean": round(statistics.fmean(drops), 1) if drops else 0.0,
                "max": round(max(drops), 1) if drops else 0.0,
            },
            "wrong_problem_ceiling": max(self.wrong_problem.values(), default=0.0),
            "wrong_problem": self.wrong_problem,
            "by_level": {k: _spread(self.kind(k)) for k in (*KINDS, "off_topic")},
            "evaluation_seconds_p95": round(_p95(self.seconds), 3),
        }


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "min": round(min(values), 1),
        "mean": round(statistics.fmean(values), 1),
        "max": round(max(values), 1),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


class Judge:
    def __init__(self, evaluator: BuiltinEvaluator | None = None, bank: ProblemBank | None = None):
        self._bank = bank or default_bank()
        self._evaluator = evaluator or BuiltinEvaluator(self._bank)

    def report(self, brief: ProblemBrief, answers: Sequence[str]) -> EvaluationReport:
        return self._evaluator.evaluate("", brief, transcript(answers), ModeAnalysis({}, []))

    def timed(self, brief: ProblemBrief, answers: Sequence[str], judged: Judged) -> float:
        started = time.perf_counter()
        value = self.report(brief, answers).overall_score
        judged.seconds.append(time.perf_counter() - started)
        return value

    def judge(self, interviews: Sequence[Interview]) -> Judged:
        judged = Judged()
        for interview in interviews:
            brief = interview.brief(self._bank)
            judged.scores[interview.slug] = {
                kind: self.timed(brief, interview.answers[kind], judged)
                for kind in KINDS
                if kind in interview.answers
            }
        for index, interview in enumerate(interviews):
            brief = interview.brief(self._bank)
            for other in interviews:
                if other.slug != interview.slug:
                    value = self.report(brief, other.answers["strong_jargon"]).overall_score
                    judged.wrong_problem[f"{interview.slug} <- {other.slug}"] = value
            rival = interviews[(index + 1) % len(interviews)].slug
            judged.scores[interview.slug]["off_topic"] = judged.wrong_problem.get(
                f"{interview.slug} <- {rival}", 0.0
            )
        _check_order(judged)
        return judged


def _check_order(judged: Judged) -> None:
    for slug, scores in judged.scores.items():
        for order in ORDERS:
            for higher, lower in itertools.pairwise(order):
                judged.pairs += 1
                if not scores[higher] > scores[lower]:
                    judged.failures.append(
                        f"{slug}: {higher} {scores[higher]:.1f} <= {lower} {scores[lower]:.1f}"
                    )


@dataclass
class JudgementReport:
    """The built-in evaluator on hand-written interviews, semantic and words-only."""

    benchmark: Judged
    calibration: Judged
    words_only: Judged
    semantic: bool
    robustness: dict[str, dict[str, Any]]

    def goals(self) -> list[tuple[str, str, str, bool]]:
        """(name, figure, target, met) for each target of the issue."""
        b = self.benchmark.as_dict()
        drop = b["plain_words_drop"]
        strong = self.benchmark.kind("strong_jargon") + self.benchmark.kind("strong_plain")
        low, high = (min(strong), max(strong)) if strong else (0.0, 0.0)
        return [
            (
                "Ordering strong > average > weak > off-topic",
                f"{self.benchmark.accuracy:.1%} of {self.benchmark.pairs} pairs",
                "100%",
                self.benchmark.accuracy >= 1.0,
            ),
            (
                "Keyword-salad ceiling",
                f"{b['salad_ceiling']:.1f}",
                f"< {GOAL_SALAD:.0f}",
                b["salad_ceiling"] < GOAL_SALAD,
            ),
            (
                "Plain-words drop (mean / max)",
                f"{drop['mean']:.1f} / {drop['max']:.1f}",
                f"<= {GOAL_DROP_MEAN:.0f} / <= {GOAL_DROP_MAX:.0f}",
                drop["mean"] <= GOAL_DROP_MEAN and drop["max"] <= GOAL_DROP_MAX,
            ),
            (
                "Good answer to another problem, ceiling",
                f"{b['wrong_problem_ceiling']:.1f}",
                f"<= {GOAL_WRONG_PROBLEM:.0f}",
                b["wrong_problem_ceiling"] <= GOAL_WRONG_PROBLEM,
            ),
            (
                "Strong natural answers at mid level",
                f"{low:.1f}-{high:.1f}",
                f"{GOAL_STRONG_RANGE[0]:.0f}-{GOAL_STRONG_RANGE[1]:.0f}, never 100",
                GOAL_STRONG_RANGE[0] <= low and high <= GOAL_STRONG_RANGE[1],
            ),
            (
                "Evaluation of a whole interview, p95",
                f"{b['evaluation_seconds_p95']:.2f} s",
                f"<= {GOAL_EVALUATION_S:.0f} s",
                b["evaluation_seconds_p95"] <= GOAL_EVALUATION_S,
            ),
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "semantic": self.semantic,
            "benchmark": self.benchmark.as_dict(),
            "calibration": self.calibration.as_dict(),
            "words_only": self.words_only.as_dict(),
            "robustness": self.robustness,
        }


def run_judgement(folder: Path = ANSWERS_DIR, problems: int | None = None) -> JudgementReport:
    """Both sets judged (the benchmark set also words-only), plus the robustness inputs."""
    interviews = load_interviews(folder)
    chosen = [i for i in interviews if i.set == "benchmark"][:problems]
    calibration = [i for i in interviews if i.set == "calibration"][:problems]
    reader = default_reader()
    judge = Judge(BuiltinEvaluator(default_bank(), reader))
    words_only = Judge(BuiltinEvaluator(default_bank(), ConceptReader(None)))
    return JudgementReport(
        benchmark=judge.judge(chosen),
        calibration=judge.judge(calibration),
        words_only=words_only.judge(chosen),
        semantic=reader.semantic,
        robustness=robustness(judge, folder),
    )


def format_judgement(report: JudgementReport) -> list[str]:
    b = report.benchmark
    reading = "words and meaning (sentence encoder)" if report.semantic else "words only"
    lines = [
        f"Judgement: built-in evaluator ({reading}) on hand-written interviews, "
        f"{len(b.scores)} problems, {LEVEL.value} level",
        f"  {'answer':<16}{'min':>7}{'mean':>7}{'max':>7}",
    ]
    for kind, spread in b.as_dict()["by_level"].items():
        if spread:
            lines.append(
                f"  {kind:<16}{spread['min']:>7.1f}{spread['mean']:>7.1f}{spread['max']:>7.1f}"
            )
    lines += [f"  ordering failure: {failure}" for failure in b.failures]
    words = report.words_only.as_dict()
    drop = words["plain_words_drop"]
    lines.append(
        f"  words only (no encoder): ordering {report.words_only.accuracy:.1%}, plain-words "
        f"drop mean {drop['mean']:.1f} / max {drop['max']:.1f}, salad "
        f"{words['salad_ceiling']:.1f}, wrong problem {words['wrong_problem_ceiling']:.1f}"
    )
    calibration = report.calibration.as_dict()
    lines.append(
        f"  calibration set ({len(report.calibration.scores)} problems, tuned on): ordering "
        f"{report.calibration.accuracy:.1%}, salad {calibration['salad_ceiling']:.1f}, "
        f"drop {calibration['plain_words_drop']['mean']:.1f}"
    )
    for name, result in report.robustness.items():
        note = f" ({result['notes'][0]})" if result["notes"] else ""
        lines.append(f"  input {name}: {result['overall']:.1f}{note}")
    return lines


def robustness(judge: Judge, folder: Path = ANSWERS_DIR) -> dict[str, Any]:
    bank = default_bank()
    brief = brief_for(bank.get("url-shortener"), LEVEL)
    cases = load_robustness(folder) if (folder / "robustness.yaml").is_file() else {}
    cases |= {
        "empty": [],
        "one_megabyte": ["We store links in a table keyed by the short code. " * 20_000],
    }
    results = {}
    for name, answers in cases.items():
        report = judge.report(brief, answers)
        notes = [f.description for f in report.needs_improvement if f.category == "evaluation_note"]
        results[name] = {"overall": report.overall_score, "notes": notes}
    return results

"""`python -m benchmarks engine`: how well the evaluator ranks candidates, what an LLM
interview costs in tokens, and how much time the app itself adds to each turn.

Three measurements, each printed with its goal (MET / MISSED); none of them fails the run:

- Judgement: the built-in evaluator on hand-written interviews (benchmarks/judgement.py):
  ordering, the keyword-salad and wrong-problem ceilings, the plain-words drop, the spread.
- Tokens: a whole interview on the OpenAI protocol against a loopback server that counts
  prompt tokens like a real one, compared with resending the full history every turn.
- Overhead: `submit_answer` against a zero-latency in-process model over a long history.
"""

from __future__ import annotations

import itertools
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tests.support.fake_provider_server import (
    Body,
    Recorded,
    prompt_tokens,
    serve,
    text,
)

from benchmarks.judgement import (
    JudgementReport,
    format_judgement,
    load_interviews,
    run_judgement,
)
from benchmarks.storage import percentile
from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import AISettings, Settings
from interview_platform.core.evaluation.llm import CompetencyJudgement, FeedbackItem, Judgement
from interview_platform.core.interviewer import prompts
from interview_platform.core.interviewer.problems import Competency, ProblemBank, default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.interviewer.state import STATE_KEY
from interview_platform.core.models import (
    CommunicationMode,
    ExperienceLevel,
    Message,
    ProblemBrief,
    Role,
    SessionConfig,
)
from interview_platform.core.ports.chat import ProviderLookup
from interview_platform.providers.langchain_provider import LangChainProvider
from interview_platform.storage.database import create_database_engine
from interview_platform.storage.sql_store import SQLDataStore

Echo = Callable[[str], None]

LEVEL = ExperienceLevel.MID
GOAL_TOTAL_TOKENS = 50_000
GOAL_TOKEN_RATIO = 0.4
GOAL_P95_MS = 20.0
TOKEN_CHECKPOINTS = (5, 15, 30)
OVERHEAD_HISTORY = 100
OVERHEAD_CALLS = 50
DUMMY_KEY = "sk-bench-0123456789abcdefghijklmnop"
# High enough that the session budget never hands the interview to the built-in engine
# mid-run: the benchmark measures what the LLM path spends, uncapped.
UNCAPPED_BUDGET = 10_000_000


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    name: str
    figure: str
    target: str
    met: bool


@dataclass(frozen=True)
class Spread:
    min: float
    mean: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(round(min(values), 1), round(statistics.fmean(values), 1), round(max(values), 1))


@dataclass(frozen=True)
class OperationTokens:
    calls: int
    input_tokens: int
    output_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass
class Tokens:
    turns: int
    problem: str
    by_operation: dict[str, OperationTokens]
    interview_input: int  # response_analysis: the replies and the memory summaries
    baseline_input: int  # resending system prompt + the whole history every turn
    baseline_output: int
    reply_calls: list[tuple[int, int]]  # (input, output) of each reply call, by turn
    summary_calls: list[tuple[int, int]]  # (input, output) of each memory-summary call
    llm_replies: int  # interviewer replies written by the LLM (the rest fell back)
    llm_evaluation: bool

    @property
    def total_tokens(self) -> int:
        return sum(op.total_tokens for op in self.by_operation.values())

    @property
    def ratio(self) -> float:
        return self.interview_input / self.baseline_input if self.baseline_input else 0.0

    @property
    def per_turn(self) -> dict[int, int]:
        """Tokens of the reply call at turns 5, 15, 30 and the last one."""
        turns = sorted({t for t in TOKEN_CHECKPOINTS if t <= self.turns} | {self.turns})
        return {t: sum(self.reply_calls[t - 1]) for t in turns if t <= len(self.reply_calls)}


@dataclass(frozen=True)
class Timing:
    engine: str
    history_messages: int
    calls: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    @classmethod
    def of(cls, engine: str, history: int, samples: list[float]) -> Timing:
        return cls(
            engine,
            history,
            len(samples),
            round(statistics.median(samples), 2),
            round(percentile(samples, 0.95), 2),
            round(max(samples), 2),
        )


@dataclass
class EngineReport:
    judgement: JudgementReport
    tokens: Tokens
    overhead: list[Timing]

    def goals(self) -> list[Goal]:
        t = self.tokens
        goals = [Goal(*goal) for goal in self.judgement.goals()]
        goals += [
            Goal(
                f"Tokens: {t.turns}-turn interview + evaluation",
                f"{t.total_tokens:,}",
                f"<= {GOAL_TOTAL_TOKENS:,}",
                t.total_tokens <= GOAL_TOTAL_TOKENS,
            ),
            Goal(
                "Tokens: interview input vs resending the full history",
                f"{t.ratio:.2f}",
                f"<= {GOAL_TOKEN_RATIO}",
                t.ratio <= GOAL_TOKEN_RATIO,
            ),
        ]
        goals += [
            Goal(
                f"Overhead: {timing.engine} turn p95",
                f"{timing.p95_ms:.2f} ms",
                f"<= {GOAL_P95_MS:.0f} ms",
                timing.p95_ms <= GOAL_P95_MS,
            )
            for timing in self.overhead
        ]
        return goals

    def as_dict(self) -> dict[str, Any]:
        t = self.tokens
        return {
            "judgement": self.judgement.as_dict(),
            "tokens": {
                "turns": t.turns,
                "problem": t.problem,
                "total_tokens": t.total_tokens,
                "by_operation": {
                    name: asdict(op) | {"total_tokens": op.total_tokens}
                    for name, op in t.by_operation.items()
                },
                "interview_input_tokens": t.interview_input,
                "baseline_input_tokens": t.baseline_input,
                "baseline_output_tokens": t.baseline_output,
                "ratio": round(t.ratio, 4),
                "per_turn": {str(turn): tokens for turn, tokens in t.per_turn.items()},
                "reply_calls": [list(call) for call in t.reply_calls],
                "summary_calls": [list(call) for call in t.summary_calls],
                "llm_replies": t.llm_replies,
                "llm_evaluation": t.llm_evaluation,
            },
            "overhead": [asdict(timing) for timing in self.overhead],
            "goals": [asdict(goal) for goal in self.goals()],
        }


def handwritten_answers(slug: str | None) -> Iterator[str]:
    """A hand-written candidate's turns for the problem, strong then average, round and round."""
    interview = next(i for i in load_interviews() if i.slug == slug)
    return itertools.cycle(interview.answers["strong_jargon"] + interview.answers["average_jargon"])


# -- tokens ---------------------------------------------------------------------------------

QUESTION_TOPICS = (
    "the write path for new records",
    "how reads are served under peak load",
    "the schema and the primary key you chose",
    "what happens when one database replica fails",
    "the cache and how you keep it consistent",
    "how you would shard the data as it grows",
    "the public API and its error responses",
    "the queue between the services",
)


def interviewer_question(n: int) -> str:
    """A realistic interviewer turn of about 40 words, different for every `n`."""
    topic = QUESTION_TOPICS[n % len(QUESTION_TOPICS)]
    return (
        f"Thanks, that makes sense. Let us look more closely at {topic}. Suppose peak "
        f"traffic grows {n + 2} times over the next year: what breaks first, how would you "
        "notice it in your metrics, and what would you change in the design to absorb it?"
    )


def interview_summary(n: int) -> str:
    """A realistic running summary of about 100 words (the summary prompt allows 150)."""
    return (
        "The candidate proposed a stateless service tier behind a load balancer, a primary "
        "database with read replicas, and a cache in front of the hot reads. They clarified "
        "the functional requirements and the expected scale, sketched the API and the data "
        "model, and explained the trade-offs of consistency against latency. Covered well: "
        "requirements, high-level design, caching. Still missing: failure handling across "
        "regions, capacity numbers for storage, and monitoring. Questions already asked: "
        f"write path, read path, schema, replica failure, sharding (summary {n})."
    )


def judgement_json(evaluation_prompt: str) -> str:
    """A valid Judgement for the evaluator's schema, quoting the candidate's own words."""
    answers = [
        line.removeprefix(f"{Role.CANDIDATE.value}: ")
        for line in evaluation_prompt.splitlines()
        if line.startswith(f"{Role.CANDIDATE.value}: ")
    ]
    quotes = list(dict.fromkeys(a.split(". ")[0].strip() for a in answers if a.strip()))[:3]
    confidence = "high" if len(quotes) >= 3 else "medium" if quotes else "low"
    judgement = Judgement(
        competencies=[
            CompetencyJudgement(
                competency=competency,
                score=72 + 3 * index,
                confidence=confidence,
                evidence=quotes,
            )
            for index, competency in enumerate(Competency)
        ],
        went_well=[
            FeedbackItem(
                category="requirements_gathering",
                description="Clarified the requirements and the scale before designing.",
                evidence=quotes[:1],
            )
        ],
        went_okay=[
            FeedbackItem(
                category="scalability",
                description="Scaling plan is sound but light on capacity numbers.",
                evidence=quotes[1:2],
            )
        ],
        needs_improvement=[
            FeedbackItem(
                category="reliability_and_fault_tolerance",
                description="Say what happens when a region or a dependency fails.",
            )
        ],
        priority_areas=["Failure handling", "Capacity estimates"],
        concrete_steps=[
            "Walk through one failure of each component and its recovery.",
            "Estimate storage and bandwidth for five years before choosing the database.",
        ],
        resources=["Designing Data-Intensive Applications, chapters 5 to 9"],
    )
    return judgement.model_dump_json()


@dataclass
class ScriptedOpenAIServer:
    """The loopback server's default reply: interviewer turns, summaries and judgements.

    Every reply reports the request's prompt tokens (about four characters a token, as a
    real server would) and its own length as output tokens; each call is logged by kind.
    """

    calls: list[tuple[str, int, int]] = field(default_factory=list)  # kind, in, out
    _count: Iterator[int] = field(default_factory=itertools.count)

    def __call__(self, request: Recorded) -> tuple[int, str, Body]:
        n = next(self._count)
        messages = request.body.get("messages", [])
        first = str(messages[0].get("content", "")) if messages else ""
        last = str(messages[-1].get("content", "")) if messages else ""
        if "response_format" in request.body or "tools" in request.body:
            kind, content = "evaluation", judgement_json(first)
        elif first.startswith("Summarise this system design interview"):
            kind, content = "summary", interview_summary(n)
        elif last.startswith("Open the interview"):
            kind, content = "opening", interviewer_question(n)
        else:
            kind, content = "reply", interviewer_question(n)
        output_tokens = max(1, len(content) // 4)
        self.calls.append((kind, prompt_tokens(request), output_tokens))
        if "tools" in request.body and "response_format" not in request.body:
            return _tool_call(request, content, prompt_tokens(request), output_tokens)
        return text(content, input_tokens=None, output_tokens=output_tokens)(request)


def _tool_call(
    request: Recorded, arguments: str, input_tokens: int, output_tokens: int
) -> tuple[int, str, Body]:
    """A non-streamed OpenAI reply that calls the requested tool (function-calling mode)."""
    tool = request.body["tools"][0]["function"]["name"]
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": request.body.get("model", "model"),
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": tool, "arguments": arguments},
                        }
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {
            "prompt_tokens": input_tokens,
            "completion_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        },
    }
    return 200, "application/json", [json.dumps(body).encode()]


@contextmanager
def _sqlite_services(
    folder: Path, settings: Settings, provider_factory: ProviderLookup | None = None
) -> Iterator[Services]:
    store = SQLDataStore(create_database_engine(f"sqlite:///{folder / 'bench.db'}"))
    services = bootstrap(
        settings, data_store=store, provider_factory=provider_factory, console_logs=False
    )
    try:
        yield services
    finally:
        services.close()


def _as_openai(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def baseline_input_tokens(brief: ProblemBrief, history: Sequence[Message], turns: int) -> int:
    """Input tokens if every turn resent the system prompt and the whole conversation.

    Counted like the loopback server counts a request (its JSON at four characters a
    token), so the ratio compares like with like.
    """
    system = _as_openai("system", prompts.system_prompt(brief))
    chat = [
        _as_openai("assistant", m.content)
        if m.role is Role.INTERVIEWER
        else _as_openai("user", prompts.delimited("answer", m.content))
        for m in history
    ]
    total = 0
    for turn in range(1, turns + 1):
        # Before the reply to answer `turn`: the opening, `turn` answers, `turn - 1` replies.
        sent = [system, *chat[: 2 * turn]]
        total += prompt_tokens(Recorded("/v1/chat/completions", {}, {"messages": sent}))
    return total


def run_tokens(turns: int, bank: ProblemBank | None = None) -> Tokens:
    """A `turns`-turn OpenAI interview plus its evaluation, against a counting server."""
    bank = bank or default_bank()
    problem = bank.problems[0]
    brief = brief_for(problem, LEVEL)
    script = ScriptedOpenAIServer()
    with serve() as server, tempfile.TemporaryDirectory() as folder:
        server.default = script
        settings = Settings(
            _env_file=None,
            openai_api_key=DUMMY_KEY,
            data_dir=Path(folder),
            log_file_path=Path(folder) / "app.log",
            max_tokens_per_session=UNCAPPED_BUDGET,
            ai=AISettings(
                openai_base_url=f"{server.url}/v1", retry_delay_seconds=0, timeout_seconds=10
            ),
        )
        with _sqlite_services(Path(folder), settings) as services:
            sessions = services.session_manager
            config = SessionConfig([CommunicationMode.TEXT], "openai", "gpt-4o-mini")
            session = sessions.create_session(config, "bench", problem=brief)
            sessions.start_session(session.id)
            candidate = handwritten_answers(brief.slug)
            for _ in range(turns):
                sessions.submit_answer(session.id, next(candidate))
            sessions.end_session(session.id)
            sessions.evaluate_session(session.id)
            history = sessions.get_conversation(session.id)
            records = services.data_store.get_token_usage(session.id)
    by_operation: dict[str, OperationTokens] = {}
    for record in records:
        before = by_operation.get(record.operation, OperationTokens(0, 0, 0))
        by_operation[record.operation] = OperationTokens(
            before.calls + 1,
            before.input_tokens + record.usage.input_tokens,
            before.output_tokens + record.usage.output_tokens,
        )
    interview = by_operation.get("response_analysis", OperationTokens(0, 0, 0))
    return Tokens(
        turns=turns,
        problem=problem.slug,
        by_operation=by_operation,
        interview_input=interview.input_tokens,
        baseline_input=baseline_input_tokens(brief, history, turns),
        baseline_output=sum(o for kind, _, o in script.calls if kind == "reply"),
        reply_calls=[(i, o) for kind, i, o in script.calls if kind == "reply"],
        summary_calls=[(i, o) for kind, i, o in script.calls if kind == "summary"],
        llm_replies=sum(
            1
            for m in history[1:]
            if m.role is Role.INTERVIEWER and m.metadata.get("engine") == "openai"
        ),
        llm_evaluation="evaluation" in by_operation,
    )


# -- overhead -------------------------------------------------------------------------------


def zero_latency_provider() -> LangChainProvider:
    """LangChain's fake chat model behind the app's real provider adapter: no model time."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    reply = AIMessage(content=interviewer_question(0))
    return LangChainProvider(
        name="fake",
        model="fake",
        build=lambda: GenericFakeChatModel(messages=itertools.cycle([reply])),
    )


def run_overhead(
    history_messages: int = OVERHEAD_HISTORY, calls: int = OVERHEAD_CALLS
) -> list[Timing]:
    """p50/p95/max of `submit_answer` with no model latency, on a SQLite file store."""
    return [
        _time_turns("fake", "LLM interviewer (zero-latency model)", history_messages, calls),
        _time_turns("builtin", "built-in interviewer", history_messages, calls),
    ]


def _time_turns(provider_name: str, label: str, history_messages: int, calls: int) -> Timing:
    provider = zero_latency_provider()
    bank = default_bank()
    brief = brief_for(bank.problems[0], LEVEL)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,
            data_dir=Path(folder),
            log_file_path=Path(folder) / "app.log",
            max_tokens_per_session=UNCAPPED_BUDGET,
        )
        with _sqlite_services(Path(folder), settings, lambda name, model: provider) as services:
            sessions = services.session_manager
            config = SessionConfig([CommunicationMode.TEXT], provider_name, provider_name)
            session = sessions.create_session(config, "bench", problem=brief)
            sessions.start_session(session.id)
            candidate = handwritten_answers(brief.slug)
            opening = sessions.get_conversation(session.id)[0]
            if provider_name == "builtin":
                _prefill_builtin(services, session.id, opening, history_messages)
            else:
                while len(sessions.get_conversation(session.id)) < history_messages:
                    sessions.submit_answer(session.id, next(candidate))
            start_length = len(sessions.get_conversation(session.id))
            samples = []
            for _ in range(calls):
                answer = next(candidate)
                started = time.perf_counter()
                sessions.submit_answer(session.id, answer)
                samples.append((time.perf_counter() - started) * 1000)
                if provider_name == "builtin":
                    # Keep the interview live: a built-in interview is over after about 40
                    # messages, and a turn after the end is a shortcut, not a real turn.
                    services.data_store.save_conversation(
                        session.id, _restated(opening, "Go on, please.")
                    )
    return Timing.of(label, start_length, samples)


def _restated(opening: Message, content: str) -> Message:
    """An interviewer message that carries the opening's (early, unfinished) state."""
    return Message(Role.INTERVIEWER, content, metadata={STATE_KEY: opening.metadata[STATE_KEY]})


def _prefill_builtin(services: Services, session_id: str, opening: Message, size: int) -> None:
    """Answers and interviewer turns up to `size` messages, the interview still under way."""
    role = Role.CANDIDATE
    for n in range(size - 1):
        if role is Role.CANDIDATE:
            message = Message(Role.CANDIDATE, f"Answer {n}: I would start with a simple design.")
        else:
            message = _restated(opening, f"Question {n}: what would you do next?")
        services.data_store.save_conversation(session_id, message)
        role = Role.INTERVIEWER if role is Role.CANDIDATE else Role.CANDIDATE


# -- the whole run --------------------------------------------------------------------------


def run_engine_benchmark(problem_count: int, turns: int, output: str, echo: Echo) -> EngineReport:
    bank = default_bank()
    problem_count = min(problem_count, len(bank.problems))
    report = EngineReport(
        judgement=run_judgement(problems=problem_count),
        tokens=run_tokens(turns, bank),
        overhead=run_overhead(),
    )
    if output == "json":
        echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in format_text(report):
            echo(line)
    return report


def _verdict(met: bool) -> str:
    return "MET" if met else "MISSED"


def format_text(report: EngineReport) -> list[str]:
    t = report.tokens
    lines = ["Engine benchmark", "", *format_judgement(report.judgement)]
    lines += [
        "",
        f"Tokens: {t.turns}-turn interview + evaluation on the OpenAI protocol "
        f"(loopback server counting prompt tokens; problem {t.problem})",
        f"  {'operation':<22}{'calls':>6}{'input':>10}{'output':>9}{'total':>10}",
    ]
    for name, op in sorted(t.by_operation.items()):
        lines.append(
            f"  {name:<22}{op.calls:>6}{op.input_tokens:>10,}{op.output_tokens:>9,}"
            f"{op.total_tokens:>10,}"
        )
    lines += [
        f"  {'total':<22}{'':>6}{'':>10}{'':>9}{t.total_tokens:>10,}"
        f"   goal <= {GOAL_TOTAL_TOKENS:,}   {_verdict(t.total_tokens <= GOAL_TOTAL_TOKENS)}",
        f"  interview input (replies + summaries) {t.interview_input:,} vs resending the full "
        f"history each turn {t.baseline_input:,} (+ the same {t.baseline_output:,} output)",
        f"  ratio {t.ratio:.2f}   goal <= {GOAL_TOKEN_RATIO}   "
        f"{_verdict(t.ratio <= GOAL_TOKEN_RATIO)}",
        "  tokens of the reply call at turn "
        + ", ".join(f"{turn}: {tokens:,}" for turn, tokens in t.per_turn.items()),
    ]
    for name, calls in (("replies", t.reply_calls), ("memory summaries", t.summary_calls)):
        if calls:
            lines.append(
                f"  {name}: {len(calls)} calls, {sum(i for i, _ in calls):,} input + "
                f"{sum(o for _, o in calls):,} output, "
                f"{statistics.fmean(i + o for i, o in calls):,.0f} tokens a call"
            )
    if t.llm_replies < t.turns or not t.llm_evaluation:
        lines.append(
            f"  note: the LLM wrote {t.llm_replies}/{t.turns} replies"
            + ("" if t.llm_evaluation else " and not the evaluation")
            + "; the rest fell back to the built-in engine"
        )
    lines += [
        "",
        "Overhead: app time per submit_answer, zero model latency, SQLite file store",
        f"  {'engine':<40}{'history':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    for timing in report.overhead:
        lines.append(
            f"  {timing.engine:<40}{timing.history_messages:>8}{timing.p50_ms:>9.2f}"
            f"{timing.p95_ms:>9.2f}{timing.max_ms:>9.2f}"
            f"   goal p95 <= {GOAL_P95_MS:.0f} ms   {_verdict(timing.p95_ms <= GOAL_P95_MS)}"
        )
    lines += ["", "Goals"]
    lines += [
        f"  {_verdict(goal.met):<7} {goal.name}: {goal.figure} (goal {goal.target})"
        for goal in report.goals()
    ]
    return lines

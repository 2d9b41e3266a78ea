"""The built-in interviewer on the shipped problem bank: phases, follow-ups, no repeats,
clarifying answers from the problem's facts, and pacing by the clock."""

from __future__ import annotations

import pytest

from interview_platform.core.interviewer import phrasing
from interview_platform.core.interviewer.builtin import BuiltinInterviewer
from interview_platform.core.interviewer.clarifying import NO_FACT
from interview_platform.core.interviewer.followups import wants_more
from interview_platform.core.interviewer.problems import PHASE_ORDER, Phase, default_bank
from interview_platform.core.interviewer.reading import Context, read_turn
from interview_platform.core.interviewer.selection import brief_for, choose_problem, custom_brief
from interview_platform.core.interviewer.simulation import CandidateKind, ScriptedCandidate
from interview_platform.core.interviewer.state import InterviewState
from interview_platform.core.models import (
    ExperienceLevel,
    InterviewResponse,
    Message,
    ProblemBrief,
    ResumeData,
    Role,
    WorkExperience,
)
from interview_platform.core.understanding.recognition import (
    ConceptEvidence,
    ConceptReader,
    default_reader,
)

BANK = default_bank()
URL = brief_for(BANK.get("url-shortener"), ExperienceLevel.MID)
CACHE = brief_for(BANK.get("distributed-cache"), ExperienceLevel.MID)
URL_FACTS = BANK.get("url-shortener").facts
semantic = pytest.mark.skipif(
    not default_reader().semantic, reason="the packaged sentence encoder is not installed"
)

# A hand-written candidate for the URL shortener, in plain words.
URL_ANSWERS = [
    "People paste a long link and get a short one back; opening the short one takes you to "
    "the original page. Links stay for five years.",
    "Clicks outnumber new links about 100 to 1, so this is heavily read-leaning.",
    "Around 1,000 redirects a second on average and 12 new links a second.",
    "Each link is about 500 bytes, so five years of links is roughly 1 TB.",
    "A POST to /links with the long URL returns the short code.",
    "I'd store each code next to its long address and the owner, keyed by the code.",
    "Codes come from a counter written out in base 62, which keeps them short.",
    "We put a box in front that spreads requests over the servers.",
    "We'll keep the links in Redis.",
    "Popular links stay in memory because most clicks go to a few links.",
    "When one machine is not enough we split the links across machines by code.",
    "If the database primary dies, a replica takes over within seconds.",
]


def said(response: InterviewResponse) -> Message:
    return Message(Role.INTERVIEWER, response.content, metadata=response.metadata)


class Conversation:
    """An interview driven by hand: each answer at a given minute."""

    def __init__(
        self,
        brief: ProblemBrief = URL,
        duration: float | None = None,
        interviewer: BuiltinInterviewer | None = None,
    ) -> None:
        self.brief, self.duration = brief, duration
        self.interviewer = interviewer or BuiltinInterviewer(BANK)
        self.history = [said(self.interviewer.opening(brief, duration))]

    def answer(self, text: str, minute: float = 1.0) -> InterviewResponse:
        self.history.append(Message(Role.CANDIDATE, text))
        reply = self.interviewer.reply(self.brief, self.history, minute, self.duration)
        self.history.append(said(reply))
        return reply

    def start_in(self, phase: Phase) -> None:
        """Pretend the interview has reached `phase`."""
        state = InterviewState(phase=phase, last_kind="probe", replies=3)
        self.history.append(Message(Role.INTERVIEWER, "Go on.", metadata=state.to_metadata()))


def run(kind: CandidateKind, turns: int = 60, minutes_per_turn: float = 1.5) -> list[Message]:
    interviewer = BuiltinInterviewer(BANK)
    candidate = ScriptedCandidate(kind, URL, BANK)
    history = [said(interviewer.opening(URL))]
    for turn in range(1, turns + 1):
        if history[-1].metadata["kind"] in ("wrap_up", "closed"):
            break
        history.append(Message(Role.CANDIDATE, candidate.answer(history)))
        history.append(said(interviewer.reply(URL, history, turn * minutes_per_turn)))
    return history


def questions(history: list[Message]) -> list[str]:
    return [m.content for m in history if m.role is Role.INTERVIEWER]


def kinds(history: list[Message]) -> list[str]:
    return [m.metadata["kind"] for m in history if m.role is Role.INTERVIEWER]


def test_opening_states_the_problem_the_level_and_the_time() -> None:
    opening = BuiltinInterviewer(BANK).opening(URL)
    assert "URL" in opening.content or "url" in opening.content.lower()
    assert BANK.get("url-shortener").levels[ExperienceLevel.MID].scale in opening.content
    assert opening.metadata["phase"] == Phase.REQUIREMENTS
    assert "about 45 minutes" in opening.content
    assert "about 20 minutes" in BuiltinInterviewer(BANK).opening(URL, 20).content


@pytest.mark.parametrize("kind", list(CandidateKind))
def test_never_repeats_a_question_and_ends(kind: CandidateKind) -> None:
    history = run(kind)
    asked = questions(history)
    assert len(asked) == len(set(asked)), "a question was repeated"
    assert history[-1].metadata["kind"] == "wrap_up"


def test_a_strong_candidate_walks_through_every_phase_in_order() -> None:
    phases = [Phase(m.metadata["phase"]) for m in run(CandidateKind.STRONG) if m.metadata]
    seen = list(dict.fromkeys(phases))
    assert seen == sorted(seen, key=PHASE_ORDER.index)
    assert {Phase.REQUIREMENTS, Phase.HIGH_LEVEL_DESIGN, Phase.SCALING} <= set(seen)


def test_strong_candidates_are_pushed_harder_and_weak_ones_get_hints() -> None:
    strong = kinds(run(CandidateKind.STRONG))
    weak = kinds(run(CandidateKind.WEAK))
    assert "escalation" in strong and "hint" not in strong
    assert "hint" in weak and "escalation" not in weak
    assert "clarify" in weak


def test_a_vague_short_answer_gets_a_clarifying_question_quoting_it() -> None:
    reply = Conversation().answer("Maybe a database, not sure.")
    assert reply.metadata["kind"] == "clarify"
    assert '"Maybe a database, not sure."' in reply.content


def test_a_bare_drawing_is_talked_through_not_quoted_back() -> None:
    reply = Conversation().answer(f"{phrasing.DRAWING_MARKER} Components: Box.")
    assert reply.metadata["kind"] == "clarify"
    assert "[Whiteboard snapshot]" not in reply.content
    assert "Your drawing shows components: Box" in reply.content


# -- never asking about what was already said --------------------------------------------


@semantic
def test_operations_and_a_value_limit_are_not_asked_about_again() -> None:
    talk = Conversation(CACHE)
    answers = {
        "functional_scope": "The cache must support get, set, delete and compare-and-set, "
        "and values can be up to 1 MB.",
        "latency_target": "Reads should come back within 2 ms at p99.",
        "node_count": "So roughly 20 machines with 64 GB of memory each.",
        "durability_expectations": "Losing a node's data is fine, we go back to the database.",
    }
    stated: set[str] = set()
    for minute, (concept, answer) in enumerate(answers.items(), start=1):
        stated.add(concept)
        reply = talk.answer(answer, minute)
        assert reply.metadata.get("concept") not in stated, reply.content
        assert "how large can a value be" not in reply.content
        assert "what must this cache support" not in reply.content
    assert stated <= set(talk.history[-1].metadata["interview"]["covered"])


@semantic
def test_plain_words_for_load_balancing_count() -> None:
    talk = Conversation()
    talk.start_in(Phase.HIGH_LEVEL_DESIGN)
    reply = talk.answer("We put a box in front that spreads requests over the servers.")
    state = reply.metadata["interview"]
    assert "stateless_app_tier" in state["covered"] + state["named"]
    for minute, answer in enumerate(URL_ANSWERS[8:], start=2):
        reply = talk.answer(answer, minute)
        assert reply.metadata.get("concept") != "stateless_app_tier"
    assert "behind a single short domain" not in " ".join(questions(talk.history))


@semantic
def test_a_design_point_made_early_is_kept_for_later() -> None:
    phases = BANK.get("url-shortener").phases
    early = "We put a box in front that spreads requests over the servers."
    turn = read_turn([early], phases, default_reader(), Context(Phase.REQUIREMENTS))
    assert "stateless_app_tier" in turn.ahead and "stateless_app_tier" not in turn.covered


def test_a_point_made_early_is_built_on_when_its_question_comes() -> None:
    talk = Conversation()
    others = [c.id for c in BANK.get("url-shortener").concepts(Phase.HIGH_LEVEL_DESIGN)]
    state = InterviewState(
        phase=Phase.HIGH_LEVEL_DESIGN,
        covered=[cid for cid in others if cid != "stateless_app_tier"],
        mentioned={"stateless_app_tier": "We put a box in front that spreads requests."},
        last_kind="probe",
    )
    talk.history.append(Message(Role.INTERVIEWER, "Go on.", metadata=state.to_metadata()))
    reply = talk.answer("What is the read/write ratio?")
    assert reply.metadata["concept"] == "stateless_app_tier"
    assert '"We put a box in front that spreads requests"' in reply.content


def test_only_the_new_answers_are_read() -> None:
    class CountingReader(ConceptReader):
        def __init__(self) -> None:
            super().__init__(None)
            self.read_sizes: list[int] = []

        def read(self, claims, concepts):  # type: ignore[no-untyped-def]
            self.read_sizes.append(len(claims))
            result: dict[str, ConceptEvidence] = super().read(claims, concepts)
            return result

    reader = CountingReader()
    talk = Conversation(interviewer=BuiltinInterviewer(BANK, reader))
    for minute, answer in enumerate(URL_ANSWERS[:6], start=1):
        talk.answer(answer, minute)
    assert max(reader.read_sizes) <= 3, reader.read_sizes


# -- clarifying questions get facts -----------------------------------------------------------


def test_the_read_write_ratio_question_gets_the_ratio() -> None:
    reply = Conversation().answer("What is the read/write ratio?")
    assert URL_FACTS.read_write_ratio in reply.content
    assert reply.metadata["kind"] in ("probe", "hint")  # and the interview goes on
    assert reply.content.rstrip().endswith("?")


def test_a_consistency_question_gets_the_consistency_fact() -> None:
    reply = Conversation().answer("Is read-your-writes needed?")
    assert URL_FACTS.consistency in reply.content
    assert URL_FACTS.read_write_ratio not in reply.content


def test_two_questions_get_two_answers() -> None:
    reply = Conversation().answer("What latency do redirects need? And is it global?")
    assert URL_FACTS.latency in reply.content and URL_FACTS.regions in reply.content


def test_an_answered_requirement_is_not_asked_back() -> None:
    reply = Conversation().answer("How fast must a redirect be?")
    assert URL_FACTS.latency in reply.content
    assert reply.metadata.get("concept") != "redirect_latency_and_availability"


def test_traffic_questions_get_the_traffic_fact() -> None:
    reply = Conversation().answer("How many URLs per day should I plan for, and reads?")
    assert URL_FACTS.traffic in reply.content


def test_a_problem_specific_question_gets_its_own_fact() -> None:
    reply = Conversation().answer("Can users choose a custom alias?")
    assert "custom alias of up to 30 letters" in reply.content


def test_a_url_with_a_question_mark_is_not_a_question() -> None:
    reply = Conversation().answer(
        "I'd follow https://example.com/docs?page=2 for the API shape and keep it simple."
    )
    assert NO_FACT not in reply.content
    assert not any(fact in reply.content for fact in (URL_FACTS.traffic, URL_FACTS.latency))


def test_outside_the_bank_the_candidate_states_an_assumption() -> None:
    brief = custom_brief("Design a parking garage occupancy tracker with live dashboards")
    reply = Conversation(brief).answer("How many garages are there? What latency is needed?")
    assert reply.content.count(NO_FACT) == 1
    assert reply.metadata["kind"] in ("probe", "hint")


# -- follow-ups ------------------------------------------------------------------------------


def test_a_choice_without_a_reason_gets_a_why_quoting_it() -> None:
    talk = Conversation()
    talk.start_in(Phase.HIGH_LEVEL_DESIGN)
    reply = talk.answer("We'll keep the links in Redis.")
    assert reply.metadata["kind"] == "follow_up"
    assert '"We\'ll keep the links in Redis"' in reply.content
    assert "reading the database directly" in reply.content
    second = talk.answer("Codes are produced by a counter service.", 2)
    assert second.metadata["kind"] != "follow_up", "two follow-ups in a row"


def test_a_justified_choice_gets_no_why() -> None:
    talk = Conversation()
    talk.start_in(Phase.HIGH_LEVEL_DESIGN)
    reply = talk.answer("Popular links stay in Redis because most clicks go to a few links.")
    assert reply.metadata["kind"] != "follow_up"
    assert "because most clicks go to a few links" in reply.content  # quoted back


def test_a_technique_only_named_gets_a_how() -> None:
    talk = Conversation()
    talk.start_in(Phase.SCALING)
    reply = talk.answer("Sharding, replicas and a CDN.")
    assert reply.metadata["kind"] == "follow_up"
    assert "shard" in reply.content.lower()
    assert reply.metadata["concept"] == "mapping_store_sharding"


def test_follow_up_wordings_vary() -> None:
    texts = set()
    for replies in range(3, 7):
        talk = Conversation()
        state = InterviewState(phase=Phase.HIGH_LEVEL_DESIGN, last_kind="probe", replies=replies)
        talk.history.append(Message(Role.INTERVIEWER, "Go on.", metadata=state.to_metadata()))
        texts.add(talk.answer("We'll keep the links in Redis.").content)
    assert len(texts) >= 3


# -- acknowledgements --------------------------------------------------------------------------


def test_acknowledgements_quote_the_candidate_vary_and_read_as_english() -> None:
    talk = Conversation()
    replies = [talk.answer(answer, minute) for minute, answer in enumerate(URL_ANSWERS, 1)]
    texts = [r.content for r in replies]
    quoting = [t for t in texts if '"' in t]
    assert len(quoting) >= 4
    assert len({t.split('"')[0] for t in quoting}) >= 3, "acknowledgements are all alike"
    assert not any("_" in t for t in texts)
    assert not any("which covers" in t for t in texts)


def test_labels_are_plain_english() -> None:
    concepts = {c.id: c for c in BANK.get("distributed-cache").concepts()}
    assert phrasing.label(concepts["in_memory_structure"]) == "in-memory structure"
    assert phrasing.label(concepts["cap_trade_off"]) == "CAP trade-off"
    assert phrasing.label(concepts["build_vs_buy"]) == "build versus buy"
    every = [c for p in BANK.problems for c in p.concepts()]
    assert not any("_" in phrasing.label(c) for c in every)


def test_a_justified_claim_is_the_one_quoted() -> None:
    reply = Conversation().answer(
        "Users shorten links and open them. Clicks outnumber new links about 100 to 1, "
        "because links get shared widely."
    )
    assert '"Clicks outnumber new links about 100 to 1' in reply.content


# -- pacing by the clock --------------------------------------------------------------------------


def test_ten_quick_answers_early_on_do_not_wrap_up() -> None:
    talk = Conversation()
    replies = [talk.answer(a, 0.25 * n) for n, a in enumerate(URL_ANSWERS[:10], start=1)]
    assert not {"wrap_up", "closed"} & {r.metadata["kind"] for r in replies}
    assert not any("close to time" in r.content or "wrapping up" in r.content for r in replies)


def test_wrap_up_comes_at_about_80_percent_and_later_messages_stay_useful() -> None:
    talk = Conversation()
    for minute, answer in zip((3, 8, 13, 18, 23, 28, 33, 35), URL_ANSWERS, strict=False):
        assert talk.answer(answer, minute).metadata["kind"] != "wrap_up"
    wrap = talk.answer(URL_ANSWERS[8], 36.5)
    assert wrap.metadata["kind"] == "wrap_up" and "about 8 minutes left" in wrap.content
    dive = talk.answer("I'd add a second region and worry most about the counter.", 39)
    assert dive.metadata["kind"] == "deep_dive" and dive.content.endswith("?")
    first = talk.answer("Good question, I'd think about it more.", 46)
    second = talk.answer("Thanks!", 47)
    assert first.metadata["kind"] == second.metadata["kind"] == "closed"
    assert first.content != second.content and "End Interview" in first.content
    asked = talk.answer("What is the read/write ratio, by the way?", 48)
    assert URL_FACTS.read_write_ratio in asked.content
    more = talk.answer("Yes, let's go deeper.", 49)
    assert more.metadata["kind"] == "deep_dive"
    closing = [m.content for m in talk.history[-9:] if m.metadata.get("kind") == "closed"]
    assert len(closing) == len(set(closing))


@pytest.mark.parametrize(
    ("message", "more"),
    [
        ("Yes, let's go deeper.", True),
        ("Sure", True),
        ("Could we do one more?", True),
        ("Ok, thanks again.", False),
        ("No, that's all.", False),
        ("Thanks!", False),
    ],
)
def test_a_request_for_more_is_told_from_a_goodbye(message: str, more: bool) -> None:
    assert wants_more(message) is more


def test_after_time_runs_out_it_wraps_up() -> None:
    reply = Conversation().answer("Requirements: shorten and redirect, with analytics.", 60)
    assert reply.metadata["kind"] == "wrap_up"


def test_a_shorter_interview_is_paced_proportionally() -> None:
    short, full = Conversation(duration=20), Conversation(duration=45)
    for talk in (short, full):
        talk.answer(URL_ANSWERS[0], 10)
    short_phase = Phase(short.history[-1].metadata["phase"])
    full_phase = Phase(full.history[-1].metadata["phase"])
    assert PHASE_ORDER.index(short_phase) > PHASE_ORDER.index(full_phase)
    assert short.answer(URL_ANSWERS[1], 16.5).metadata["kind"] == "wrap_up"
    assert full.answer(URL_ANSWERS[1], 16.5).metadata["kind"] != "wrap_up"


def test_state_survives_a_restart_because_it_lives_in_the_messages() -> None:
    history = run(CandidateKind.AVERAGE, turns=5)
    history.append(Message(Role.CANDIDATE, "We could shard by code."))
    again = [BuiltinInterviewer(BANK).reply(URL, history, 9) for _ in range(2)]
    assert again[0] == again[1]


def test_old_state_without_the_new_fields_still_loads() -> None:
    old = {"interview": {"phase": "api", "covered": ["x"], "constraints_shared": True}}
    state = InterviewState.from_metadata(old)
    assert state is not None and state.phase is Phase.API and state.named == []


def _resume(level: ExperienceLevel, domains: list[str], title: str) -> ResumeData:
    return ResumeData(
        "u", "n", "e", level, 6, domains, [WorkExperience("Acme", title, "2020-2024", "")]
    )


def test_problem_choice_follows_domains_role_and_level() -> None:
    payments = choose_problem(
        BANK, _resume(ExperienceLevel.SENIOR, ["backend", "security"], "Payments Engineer")
    )
    assert payments.slug == "payment-system" and payments.level is ExperienceLevel.SENIOR
    mobile = choose_problem(BANK, _resume(ExperienceLevel.JUNIOR, ["mobile"], "iOS Developer"))
    assert mobile.level is ExperienceLevel.JUNIOR
    assert "mobile" in BANK.get(mobile.slug or "").domains
    default = choose_problem(BANK, None)
    assert default.slug == BANK.problems[0].slug and default.level is ExperienceLevel.MID
    assert choose_problem(BANK, None, avoid=[default.slug or ""]).slug != default.slug

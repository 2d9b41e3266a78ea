"""A candidate's answers as claims: short statements, each read for how deep it goes.

A claim is *named* when it is a bare noun phrase or an item of a list ("load balancer,
sharding, CDN"), *explained* when it says what something does or how (it has a predicate),
and *justified* when it also gives a reason, a number, a comparison, a failure case or a
trade-off, in the claim itself or in a follow-on sentence that refers back to it ("That
way...", "Otherwise...").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

MAX_ANSWER_CHARS = 20_000
RIGHT_QUOTE = "\u2019"
STRIP_CHARS = " \t-:\u2013\u2014"
MAX_CLAIM_WORDS = 60
MIN_LIST_ITEMS = 3
SHORT_ITEM_WORDS = 4

_CODE_BLOCK = re.compile(r"```.*?(```|$)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9])|\n+|;\s+|(?<=[.!?])$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_WORD = re.compile(r"[a-z0-9][a-z0-9'+#.-]*")

# Words that make a clause out of a noun phrase: subjects, auxiliaries, modals, and the
# verbs candidates use most. A list of names has none of them.
PREDICATE_WORDS = frozenset(
    [
        "i",
        "we",
        "you",
        "it",
        "they",
        "he",
        "she",
        "this",
        "that",
        "these",
        "those",
        "there",
        "which",
        "who",
        "what",
        "each",
        "every",
        "one",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "would",
        "will",
        "can",
        "could",
        "should",
        "must",
        "might",
        "may",
        "shall",
        "'ll",
        "'d",
        "'re",
        "'ve",
        "do",
        "does",
        "did",
        "don't",
        "doesn't",
        "didn't",
        "have",
        "has",
        "had",
        "use",
        "uses",
        "using",
        "used",
        "store",
        "stores",
        "stored",
        "keep",
        "keeps",
        "kept",
        "put",
        "puts",
        "send",
        "sends",
        "sent",
        "read",
        "reads",
        "write",
        "writes",
        "go",
        "goes",
        "goes",
        "make",
        "makes",
        "need",
        "needs",
        "want",
        "wants",
        "get",
        "gets",
        "got",
        "call",
        "calls",
        "return",
        "returns",
        "check",
        "checks",
        "run",
        "runs",
        "split",
        "splits",
        "spread",
        "spreads",
        "hold",
        "holds",
        "give",
        "gives",
        "take",
        "takes",
        "let",
        "lets",
        "pick",
        "picks",
        "add",
        "adds",
        "move",
        "moves",
        "save",
        "saves",
        "look",
        "looks",
        "fetch",
        "fetches",
        "push",
        "pushes",
        "pull",
        "pulls",
        "handle",
        "handles",
        "assign",
        "assigns",
    ]
)

FUNCTION_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "for",
        "with",
        "against",
        "on",
        "by",
        "from",
        "per",
        "into",
        "over",
        "under",
        "between",
        "across",
        "through",
        "at",
        "via",
    }
)
PHRASE_WORDS = 5

REASON = re.compile(
    r"\b(because|since|so that|so we|so it|so the|so users?|in order to|which means|"
    r"that means|that way|this way|to avoid|to prevent|to keep|otherwise|the reason|"
    r"due to|given that|as long as|which lets|which gives|which keeps|to make sure|"
    r"so (a|an|most|all|each|no|only|it|we|they|the|that|users?|clients?|readers?|writers?|"
    r"nothing|none|every|any)\b)\b"
)
COMPARISON = re.compile(
    r"\b(instead of|rather than|compared (to|with)|versus|vs\.?|better than|worse than|"
    r"cheaper|faster|slower|simpler|than|prefer|as opposed to)\b"
)
TRADE_OFF = re.compile(
    r"\b(trade ?offs?|at the cost of|the cost is|the downside|downsides?|the catch|"
    r"we lose|we give up|we gain|the price (is|we pay)|drawback|on the other hand|"
    r"but then|the risk is|acceptable|worth it)\b"
)
FAILURE = re.compile(
    r"\b(if (the |a |an |one |that |this )?\w+( \w+)? (fails|goes down|dies|crashes|is down|"
    r"is lost|is slow|times out|restarts|becomes unavailable)|when (the |a )?\w+( \w+)? "
    r"(fails|goes down|dies|crashes)|failover|fail over|outage|retr(y|ies)|crash(es)?|"
    r"goes down|is down|partition(ed)? from|split brain|lost)\b"
)
NUMBER = re.compile(
    r"\b\d{2,}[\d,.]*\b|\b\d[\d,.]*\s*(%|percent|ms|milliseconds?|seconds?|s\b|minutes?|hours?|days?|years?|"
    r"k\b|m\b|b\b|thousand|million|billion|trillion|qps|rps|tps|requests?|writes?|reads?|"
    r"users?|bytes?|kb|mb|gb|tb|pb|per|x\b|times|nodes?|servers?|machines?|shards?|"
    r"replicas?|copies|regions?|nines?)|\b(one|two|three|five|ten|hundred|a thousand|"
    r"a million|a billion) (million|billion|thousand|hundred|per|times|copies|replicas|"
    r"regions|nodes|servers|machines|seconds|milliseconds)\b"
)
HEDGE = re.compile(
    r"\b(maybe|i guess|not sure|no idea|somehow|or something|kind of|sort of|"
    r"i don'?t know|dunno|whatever|stuff like that|probably just|i suppose)\b"
)
BACK_REFERENCE = re.compile(
    r"^(that|this|which|so|because|since|otherwise|the reason|that way|this way|"
    r"it means|the point|the downside|the trade ?off|but|if)\b"
)
JUSTIFICATIONS = {
    "reason": REASON,
    "comparison": COMPARISON,
    "trade_off": TRADE_OFF,
    "failure": FAILURE,
    "number": NUMBER,
}


class Depth(IntEnum):
    ABSENT = 0
    NAMED = 1
    EXPLAINED = 2
    JUSTIFIED = 3


@dataclass(frozen=True)
class Claim:
    text: str
    turn: int
    depth: Depth
    support: tuple[str, ...] = ()

    @property
    def plain(self) -> str:
        return plain(self.text)


def plain(text: str) -> str:
    """Lower case, hyphens, slashes and underscores as spaces, whitespace collapsed."""
    lowered = text.lower().replace("-", " ").replace("/", " ").replace("_", " ")
    return " ".join(lowered.replace(RIGHT_QUOTE, "'").split())


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace(RIGHT_QUOTE, "'"))


def prose(answer: str) -> str:
    """The answer without code blocks, inline code and URLs, capped in length."""
    text = _CODE_BLOCK.sub(" ", answer[:MAX_ANSWER_CHARS])
    return _URL.sub(" ", _INLINE_CODE.sub(" ", text))


def statements(answer: str) -> list[str]:
    """Sentences, bullet points and semicolon clauses of one answer."""
    parts = _SENTENCE_END.split(prose(answer))
    cleaned = (_BULLET.sub("", part or "").strip(STRIP_CHARS) for part in parts)
    return [_cap(part) for part in cleaned if len(words(part)) >= 1]


def _cap(statement: str) -> str:
    tokens = statement.split()
    return " ".join(tokens[:MAX_CLAIM_WORDS])


def has_predicate(text: str) -> bool:
    """A clause, not a bare name: a subject or verb word, or a phrase built with function
    words ("share folders with other users", "4 MB blocks balance size against efficiency")."""
    tokens = [part for token in words(text) for part in token.split("'") if part]
    if any(token in PREDICATE_WORDS for token in tokens) or _verb_like(tokens):
        return True
    return len(tokens) >= PHRASE_WORDS and any(token in FUNCTION_WORDS for token in tokens)


def _verb_like(tokens: list[str]) -> bool:
    """'to <verb>': 'to keep', 'to serve'."""
    return any(a == "to" and len(b) > 2 for a, b in itertools.pairwise(tokens))


def list_items(text: str) -> list[str] | None:
    """The items, when the statement is mostly a list of short names."""
    body = text.split(":", 1)[1] if ":" in text else text
    items = [i.strip() for i in re.split(r",|\band\b|\bplus\b|&|\+", body) if i.strip()]
    short = [i for i in items if len(words(i)) <= SHORT_ITEM_WORDS and not _justified(i)]
    if len(items) >= MIN_LIST_ITEMS and len(short) >= 0.75 * len(items):
        return items
    return None


def _justified(text: str) -> tuple[str, ...]:
    low = plain(text)
    return tuple(kind for kind, pattern in JUSTIFICATIONS.items() if pattern.search(low))


def _depth(text: str) -> tuple[Depth, tuple[str, ...]]:
    """How deep a statement goes; a hedged one ("maybe", "I guess") one level less."""
    support = _justified(text)
    clause = has_predicate(text) or "number" in support
    if list_items(text) is not None or not clause or len(words(text)) < 4:
        return Depth.NAMED, ()
    depth = Depth.JUSTIFIED if support else Depth.EXPLAINED
    if HEDGE.search(plain(text)):
        return Depth(depth - 1), ()
    return depth, support


def claims_of(answer: str, turn: int) -> list[Claim]:
    parts = statements(answer)
    claims = []
    for index, text in enumerate(parts):
        depth, support = _depth(text)
        follow = parts[index + 1] if index + 1 < len(parts) else ""
        if depth is Depth.EXPLAINED and BACK_REFERENCE.match(plain(follow)):
            support = _justified(follow)
            depth = Depth.JUSTIFIED if support else depth
        claims.append(Claim(text, turn, depth, support))
    return claims


def split_claims(answers: Sequence[str]) -> list[Claim]:
    """Every answer's claims, in order; a statement repeated word for word counts once."""
    seen: set[str] = set()
    claims: list[Claim] = []
    for turn, answer in enumerate(answers):
        for claim in claims_of(answer, turn):
            if claim.plain not in seen:
                seen.add(claim.plain)
                claims.append(claim)
    return claims


def questions_asked(answers: Iterable[str]) -> int:
    """Real questions: statements ending in '?' once code and URLs are removed."""
    return sum(
        1
        for answer in answers
        for part in re.split(r"(?<=\?)", prose(answer))
        if _is_question(part)
    )


def _is_question(part: str) -> bool:
    return part.rstrip().endswith("?") and len(words(part)) >= 3

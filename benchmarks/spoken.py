"""Word error rate and technical-term recall on spoken system-design answers.

The answers (`spoken/answers.yaml`) were written by hand, as candidates speak, by someone who
never saw the glossary or the correction code. Each is synthesized with every voice (two
engines: espeak-ng and flite), transcribed by the offline model without biasing, with
hotwords and with an initial prompt, each then with and without near-miss correction; the
`ordinary` and `mixed` sentences count the everyday words correction wrongly changed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import Levenshtein

from benchmarks.storage import Echo
from interview_platform.communication.local_whisper import LocalWhisperTranscriber
from interview_platform.communication.term_correction import TermCorrector
from interview_platform.communication.transcription import SAMPLE_RATE, Biasing, read_wav
from interview_platform.communication.vocabulary import Vocabulary, build_vocabulary
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for, custom_brief, problem_wording
from interview_platform.core.models import ExperienceLevel
from interview_platform.errors import CommunicationError

SPOKEN_ANSWERS = Path(__file__).with_name("spoken") / "answers.yaml"
WER_GOAL = 0.08
TERM_GOAL = 0.90
SECONDS_GOAL_15 = 1.0
CORRECTED = " + correction"
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
_ONES += "fifteen sixteen seventeen eighteen nineteen"
ONES = _ONES.split()
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Voice:
    name: str
    command: tuple[str, ...]  # the text, then the output file, are appended

    def available(self) -> bool:
        return shutil.which(self.command[0]) is not None


VOICES = (
    Voice("espeak-ng en-us", ("espeak-ng", "-v", "en-us", "-s", "160", "-w", "{out}", "{text}")),
    Voice("flite slt", ("flite", "-voice", "slt", "-t", "{text}", "-o", "{out}")),
)


@dataclass(frozen=True)
class SpokenAnswer:
    id: str
    problem: str
    text: str
    terms: tuple[str, ...]
    keep: tuple[str, ...] = ()


@dataclass
class Tally:
    """Errors and counts for one way of transcribing, over every answer and voice."""

    errors: int = 0
    words: int = 0
    terms_right: int = 0
    terms: int = 0
    loops: int = 0
    refused: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0
    kept_changed: int = 0
    kept: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def wer(self) -> float:
        return self.errors / max(1, self.words)

    @property
    def recall(self) -> float:
        return self.terms_right / max(1, self.terms)

    @property
    def per_15_s(self) -> float:
        return 15 * self.seconds / max(1e-9, self.audio_seconds)


def load_answers() -> dict[str, list[SpokenAnswer]]:
    """The `answers`, `ordinary` and `mixed` lists of spoken/answers.yaml."""
    path = SPOKEN_ANSWERS
    data = yaml.safe_load(path.read_text("utf-8"))
    return {
        group: [
            SpokenAnswer(
                item["id"],
                item["problem"],
                " ".join(item["text"].split()),
                tuple(item.get("terms", [])),
                tuple(item.get("keep", [])),
            )
            for item in data[group]
        ]
        for group in ("answers", "ordinary", "mixed")
    }


def spoken_number(number: int) -> str:
    """An integer as said: 302 -> "three hundred two", 2048 -> "two thousand forty eight"."""
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f" {ONES[ones]}" if ones else "")
    for size, name in (
        (10**9, "billion"),
        (10**6, "million"),
        (1000, "thousand"),
        (100, "hundred"),
    ):
        if number >= size:
            high, low = divmod(number, size)
            return f"{spoken_number(high)} {name}" + (f" {spoken_number(low)}" if low else "")
    return str(number)


def comparable(text: str) -> list[str]:
    """Words as compared: lower case, hyphens as spaces, digits as said, no punctuation."""
    lowered = text.lower().replace("-", " ").replace("/", " ").replace("%", " percent")
    lowered = _NUMBER.sub(lambda m: f" {spoken_number(int(m.group(0)))} ", lowered)
    return _WORD.findall(lowered)


def word_errors(reference: str, heard: str) -> tuple[int, int]:
    """Substitutions, insertions and deletions of words, and the reference's word count."""
    truth = comparable(reference)
    return Levenshtein.distance(truth, comparable(heard)), len(truth)


def term_heard(term: str, heard: str) -> bool:
    """The term's words in a row in what was heard (a plural "s" either side allowed)."""
    wanted = [w.rstrip("s") for w in comparable(term)]
    got = [w.rstrip("s") for w in comparable(heard)]
    size = len(wanted)
    return any(got[i : i + size] == wanted for i in range(len(got) - size + 1))


def looped(text: str) -> bool:
    """A repetition loop: one short run of characters or words said over and over."""
    squeezed = re.sub(r"\W+", "", text.lower())
    if re.search(r"(.{1,6})\1{7,}", squeezed):
        return True
    found = text.lower().split()
    return any(
        found[i : i + size] * 4 == found[i : i + 4 * size]
        for size in (1, 2, 3, 4, 5)
        for i in range(max(0, len(found) - 4 * size + 1))
    )


@cache
def vocabulary_for(problem: str) -> Vocabulary:
    """The vocabulary of the problem an answer was given to (bank title or "other: ...")."""
    bank = default_bank()
    if problem.startswith("other:"):
        brief = custom_brief(problem.removeprefix("other:").strip())
    else:
        brief = brief_for(next(p for p in bank.problems if p.title == problem), ExperienceLevel.MID)
    return build_vocabulary(problem_wording(brief, bank))


def synthesize(text: str, voice: Voice, folder: Path) -> bytes:
    raw, wav = folder / "raw.wav", folder / "answer.wav"
    command = [part.format(out=raw, text=text) for part in voice.command]
    subprocess.run(command, check=True, capture_output=True)
    subprocess.run(
        ["sox", "-D", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(wav)],
        check=True,
        capture_output=True,
    )
    return wav.read_bytes()


Transcribe = Callable[[bytes, Vocabulary], tuple[str, float, float]]


def _transcriber(biasing: Biasing) -> Transcribe:
    model = LocalWhisperTranscriber(biasing=biasing)

    def run(wav: bytes, vocabulary: Vocabulary) -> tuple[str, float, float]:
        """What was heard ("" when the guards refused the clip), seconds taken, duration."""
        started = time.perf_counter()
        try:
            transcript = model.transcribe(wav, vocabulary)
        except CommunicationError:
            return "", time.perf_counter() - started, read_wav(wav).duration_s
        return transcript.text, time.perf_counter() - started, transcript.duration_s

    return run


def measure(
    echo: Echo, limit: int | None = None, voices: Sequence[Voice] = VOICES
) -> dict[str, Any]:
    """Transcribe every answer with every voice and way of biasing; print and return the
    tallies (`limit` answers of each list when given, for a quick run)."""
    missing = LocalWhisperTranscriber().available()
    usable = [v for v in voices if v.available()]
    if missing is not None or shutil.which("sox") is None or len(usable) < len(voices):
        reason = missing or "espeak-ng, flite and sox are needed (apt-get install them)"
        echo(f"  skipped: {reason}")
        return {"skipped": reason}
    groups = {name: items[:limit] for name, items in load_answers().items()}
    corrector = TermCorrector()
    ways = {biasing: _transcriber(biasing) for biasing in Biasing}
    tallies = {
        f"{biasing.value}{suffix}": Tally() for biasing in Biasing for suffix in ("", CORRECTED)
    }
    heard_texts: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-spoken-") as scratch:
        for voice in usable:
            for group, items in groups.items():
                for answer in items:
                    wav = synthesize(answer.text, voice, Path(scratch))
                    vocabulary = vocabulary_for(answer.problem)
                    for biasing, transcribe in ways.items():
                        heard, seconds, duration = transcribe(wav, vocabulary)
                        fixed = corrector.correct(heard, vocabulary).text
                        heard_texts[f"{voice.name}|{group}|{answer.id}|{biasing.value}"] = heard
                        for suffix, text in (("", heard), (CORRECTED, fixed)):
                            tally = tallies[f"{biasing.value}{suffix}"]
                            _count(tally, group, answer, text, heard, seconds, duration)
    _report(echo, tallies, groups, usable)
    figures: dict[str, Any] = {name: _figures(tally) for name, tally in tallies.items()}
    figures["heard"] = heard_texts
    return figures


def _count(
    tally: Tally,
    group: str,
    answer: SpokenAnswer,
    text: str,
    heard: str,
    seconds: float,
    duration: float,
) -> None:
    tally.loops += int(looped(text))
    tally.refused += int(not heard)
    if group == "answers":
        errors, words = word_errors(answer.text, text)
        tally.errors += errors
        tally.words += words
        tally.seconds += seconds
        tally.audio_seconds += duration
        for term in answer.terms:
            right = term_heard(term, text)
            tally.terms += 1
            tally.terms_right += int(right)
            if not right:
                tally.misses.append(term)
    for word in answer.keep:
        if term_heard(word, heard):
            tally.kept += 1
            tally.kept_changed += int(not term_heard(word, text))


def _figures(tally: Tally) -> dict[str, Any]:
    return {
        "wer": round(tally.wer, 4),
        "term_recall": round(tally.recall, 4),
        "loops": tally.loops,
        "refused": tally.refused,
        "seconds_per_15s": round(tally.per_15_s, 3),
        "everyday_words_changed": tally.kept_changed,
        "everyday_words_checked": tally.kept,
    }


def _report(
    echo: Echo,
    tallies: dict[str, Tally],
    groups: dict[str, list[SpokenAnswer]],
    voices: list[Voice],
) -> None:
    answers = groups["answers"]
    echo(
        f"  {len(answers)} answers x {len(voices)} voices ({', '.join(v.name for v in voices)}), "
        f"{sum(len(a.text.split()) for a in answers)} words, "
        f"{sum(len(a.terms) for a in answers)} terms per voice; "
        f"{len(groups['ordinary']) + len(groups['mixed'])} everyday-word sentences"
    )
    echo(
        f"  {'':24s} {'WER':>7s} {'terms':>7s} {'loops':>6s} {'s/15 s':>7s} "
        f"{'refused':>8s} {'everyday words changed':>23s}"
    )
    for name, tally in tallies.items():
        echo(
            f"  {name:24s} {tally.wer:7.1%} {tally.recall:7.1%} {tally.loops:6d} "
            f"{tally.per_15_s:7.2f} {tally.refused:8d} "
            f"{tally.kept_changed:>11d} of {tally.kept:<4d}"
        )
    echo(
        f"  goals with biasing: WER <= {WER_GOAL:.0%}, terms >= {TERM_GOAL:.0%}, no loop, "
        f"15 s of audio in <= {SECONDS_GOAL_15:.0f} s"
    )

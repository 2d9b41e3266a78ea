"""Resume text to `ResumeData`, offline and deterministic: no network, no model.

Years: every date range on an entry line of the experience section is a period ("Present",
"Current", "Now", "Today", "Ongoing" mean the month of `today`, which counts; a bare year
means the middle of that year). Ends after today are clipped to today and periods that start
later are dropped. Overlapping and adjacent periods are merged before summing, so concurrent
jobs count once; internships and jobs outside tech count like any other job. The total is
rounded to whole years, half up. Ranges in bullets, education, projects or any other
section never count.

The level comes only from those years and the entries' titles, never from free text such as
"Level: Staff" or an instruction planted in a summary. Every pattern is linear in its input
and only the first `MAX_ANALYSED_CHARS` characters are analysed, so no text can make this slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from interview_platform.core.models import Education, ExperienceLevel, ResumeData, WorkExperience

MAX_ANALYSED_CHARS = 100_000
MAX_YEARS = 70
DOMAINS = (
    "frontend",
    "backend",
    "distributed-systems",
    "cloud",
    "devops",
    "data",
    "ml",
    "mobile",
    "security",
)

_F = re.IGNORECASE | re.ASCII

# ---------------------------------------------------------------------------- date ranges

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19|20)[0-9]{2}"


def _date(p: str) -> str:
    return (
        rf"(?:(?<![a-z])(?P<{p}mon>{_MONTH})\.?\s{{0,3}},?\s{{0,3}}(?P<{p}y1>{_YEAR})(?![0-9])"
        rf"|(?<![0-9/.])(?P<{p}mm>0?[1-9]|1[0-2])\s?[/.]\s?(?P<{p}y2>{_YEAR})(?![0-9])"
        rf"|(?<![0-9])(?P<{p}y3>{_YEAR})[-/.](?P<{p}mm3>0[1-9]|1[0-2])(?![0-9])"
        rf"|(?<![0-9])(?P<{p}y4>{_YEAR})(?![0-9]))"
    )


_SEP = (
    r"(?:\s{0,3}[-\u2010-\u2015\u2212~]{1,2}\s{0,3}|\s{1,3}(?:to|until|till|through|thru)\s{1,3})"
)
_PRESENT = r"(?P<present>present|current(?:ly)?|now|today|ongoing|to\s?date|date)(?![a-z])"
_SHORT = (
    rf"(?<![a-z])(?P<m1>{_MONTH})\.?{_SEP}(?P<m2>{_MONTH})\.?\s{{0,3}},?\s{{0,3}}"
    rf"(?P<y>{_YEAR})(?![0-9])"
)
_RANGE = re.compile(rf"{_SHORT}|{_date('s')}{_SEP}(?:{_date('e')}|{_PRESENT})", _F)


@dataclass(frozen=True, order=True)
class Period:
    """A stretch of work from the first day of `start`'s month to the day before `end`."""

    start: date
    end: date

    @property
    def months(self) -> int:
        return _index(self.end) - _index(self.start)


def _index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _point(m: re.Match[str], p: str, *, end: bool) -> int:
    """A date as a month index; an end is exclusive, a bare year is mid-year."""
    g = m.groupdict()
    if g[p + "mon"]:
        year, month = int(g[p + "y1"]), _month(g[p + "mon"])
    elif g[p + "mm"]:
        year, month = int(g[p + "y2"]), int(g[p + "mm"])
    elif g[p + "mm3"]:
        year, month = int(g[p + "y3"]), int(g[p + "mm3"])
    else:
        return int(g[p + "y4"]) * 12 + 6
    return year * 12 + month - (0 if end else 1)


def _bounds(m: re.Match[str], now: int) -> tuple[int, int]:
    if m["m1"]:
        year, first, last = int(m["y"]), _month(m["m1"]), _month(m["m2"])
        return year * 12 + first - 1 - (12 if last < first else 0), year * 12 + last
    return _point(m, "s", end=False), now if m["present"] else _point(m, "e", end=True)


def find_periods(text: str, today: date) -> list[Period]:
    """The date ranges in `text` as periods, clipped to `today`; empty ones are dropped."""
    now = _index(today) + 1
    periods = []
    for m in _RANGE.finditer(text[:MAX_ANALYSED_CHARS]):
        start, end = _bounds(m, now)
        if start < min(end, now):
            periods.append(Period(_day(start), _day(min(end, now))))
    return periods


def merge_periods(periods: Iterable[Period]) -> list[Period]:
    """Periods with every overlap and every adjacency joined, in order."""
    merged: list[Period] = []
    for period in sorted(periods):
        if merged and period.start <= merged[-1].end:
            merged[-1] = Period(merged[-1].start, max(merged[-1].end, period.end))
        else:
            merged.append(period)
    return merged


def total_years(periods: Iterable[Period]) -> int:
    """Whole years covered by the periods, counting concurrent time once, half rounded up."""
    months = sum(p.months for p in merge_periods(periods))
    return min(MAX_YEARS, (months + 6) // 12)


# ---------------------------------------------------------------------------- level

_ORDER = (
    ExperienceLevel.JUNIOR,
    ExperienceLevel.MID,
    ExperienceLevel.SENIOR,
    ExperienceLevel.STAFF,
)
_JUNIOR_TITLE = re.compile(r"\b(?:intern|internship|junior|jr|graduate|trainee|apprentice)\b", _F)
_ASSOCIATE_TITLE = re.compile(r"\bassociate\b", _F)
_SENIOR_TITLE = re.compile(r"\b(?:senior|sr|lead)\b", _F)
_STAFF_TITLE = re.compile(
    r"\b(?:(?<!technical )staff|principal|distinguished|architect|director|head of)\b", _F
)


def _at_least(level: ExperienceLevel, floor: ExperienceLevel) -> ExperienceLevel:
    return max(level, floor, key=_ORDER.index)


def _at_most(level: ExperienceLevel, cap: ExperienceLevel) -> ExperienceLevel:
    return min(level, cap, key=_ORDER.index)


def experience_level(years: int, titles: Sequence[str]) -> ExperienceLevel:
    """The level from years, adjusted by the most recent title (`titles` is newest first).

    Years alone: junior under 3, mid 3-5, senior 6-9, staff 10+. Staff, principal,
    distinguished, architect, director or head of: at least senior, staff from 8 years.
    Senior or lead: at least senior from 4 years. Intern, junior, graduate, trainee: junior;
    associate: at most mid. A title never lifts a career of a year or less above mid.
    """
    level = _ORDER[(years >= 3) + (years >= 6) + (years >= 10)]
    recent = titles[0] if titles else ""
    if _STAFF_TITLE.search(recent):
        floor = _ORDER[3 if years >= 8 else 2 if years >= 2 else 1]
        level = _at_least(level, floor)
    elif _SENIOR_TITLE.search(recent):
        level = _at_least(level, _ORDER[2 if years >= 4 else 1])
    if _JUNIOR_TITLE.search(recent):
        level = ExperienceLevel.JUNIOR
    elif _ASSOCIATE_TITLE.search(recent):
        level = _at_most(level, ExperienceLevel.MID)
    return level


# ---------------------------------------------------------------------------- domains

_KEYWORDS: dict[str, str] = {  # canonical|alias, ... per domain
    "frontend": (
        "react|react.js|reactjs, vue|vue.js|vuejs, angular, css|css3|scss|sass,"
        " html|html5, typescript, next.js|nextjs, redux, webpack|vite, svelte, tailwind,"
        " frontend|front end"
    ),
    "backend": (
        "django, flask, fastapi, spring|spring boot, node|node.js|nodejs, express.js,"
        " golang, java, api|apis|rest api|rest apis|restful, graphql, grpc,"
        " microservices|microservice, postgres|postgresql, mysql, redis, backend|back end,"
        " rails|ruby on rails, .net|asp.net, c#, php, laravel, server side"
    ),
    "distributed-systems": (
        "kafka, cassandra, consensus, raft, paxos, sharding|sharded, replication,"
        " distributed|distributed systems, zookeeper, etcd, consistent hashing,"
        " event sourcing"
    ),
    "cloud": (
        "aws|amazon web services, gcp|google cloud, azure, lambda, s3, ec2,"
        " cloudformation, cloud, serverless, eks, gke"
    ),
    "devops": (
        "kubernetes|k8s, terraform, ci|ci/cd|continuous integration|continuous delivery,"
        " docker, sre|site reliability, ansible, helm, jenkins, github actions|gitlab ci,"
        " prometheus, grafana, devops, infrastructure|infrastructure as code,"
        " argo cd|argocd"
    ),
    "data": (
        "spark|pyspark, airflow, etl|elt, dbt, data warehouse|data warehousing, snowflake,"
        " bigquery, redshift, databricks, hadoop, hive, data pipeline|data pipelines,"
        " data engineer|data engineering, data lake, pandas, flink"
    ),
    "ml": (
        "pytorch, tensorflow, keras, machine learning, deep learning,"
        " nlp|natural language processing, llm|llms|large language models,"
        " scikit|scikit learn|sklearn, ml|mlops, computer vision,"
        " hugging face|huggingface, xgboost"
    ),
    "mobile": (
        "ios, android, swift|swiftui, kotlin, react native, flutter|dart, objective c,"
        " mobile, xcode, jetpack compose"
    ),
    "security": (
        "security|appsec|infosec, iam, oauth|oauth2|oidc,"
        " pentest|pentesting|penetration testing, cryptography, siem, owasp, zero trust,"
        " threat modeling|threat modelling, vulnerability|vulnerabilities"
    ),
}


def _key(alias: str) -> str:
    return " ".join(alias.lower().replace("-", " ").split())


_LOOKUP = {
    _key(alias): (domain, entry.split("|")[0])
    for domain, entries in _KEYWORDS.items()
    for entry in entries.split(", ")
    for alias in entry.split("|")
}
_KEYWORD = re.compile(
    r"(?<![\w#+.])(?:"
    + "|".join(
        r"[\s-]{1,3}".join(map(re.escape, alias.split()))
        for alias in sorted(_LOOKUP, key=len, reverse=True)
    )
    + r")(?![\w#+])",
    _F,
)
_GO_SKILL = re.compile(r"go(?:lang)?(?:\s{0,3}\(golang\))?", _F)


def _keywords(text: str) -> set[tuple[str, str]]:
    return {_LOOKUP[_key(m[0])] for m in _KEYWORD.finditer(text[:MAX_ANALYSED_CHARS])}


def domain_expertise(skills: Sequence[str], titles: Sequence[str], text: str) -> list[str]:
    """At most four domains with evidence, strongest first (`titles` is newest first).

    Each distinct keyword in the skills or the text counts 1, each domain keyword in the most
    recent title 3 and in an older title 2. A domain needs 2, or a hit in the recent title.
    "Go" counts only as a whole skill; in free text only "golang" does.
    """
    evidence = _keywords(text).union(*(_keywords(skill) for skill in skills))
    evidence |= {("backend", "go") for skill in skills if _GO_SKILL.fullmatch(skill.strip())}
    score = dict.fromkeys(DOMAINS, 0)
    for domain, _ in evidence:
        score[domain] += 1
    recent: set[str] = set()
    for position, title in enumerate(titles):
        found = {domain for domain, _ in _keywords(title)}
        for domain in found:
            score[domain] += 3 if position == 0 else 2
        recent |= found if position == 0 else set()
    chosen = [d for d in DOMAINS if score[d] >= 2 or d in recent]
    return sorted(chosen, key=lambda d: -score[d])[:4]


# ---------------------------------------------------------------------------- lines, sections

_HEADINGS: dict[str, str] = {  # kind: the spellings of its headings
    "experience": (
        "experience, work experience, professional experience, employment history,"
        " employment, work history, career history, relevant experience,"
        " industry experience, professional background, career"
    ),
    "education": (
        "education, academic background, education and training, academic history,"
        " academics, qualifications, education and qualifications"
    ),
    "skills": (
        "skills, technical skills, technologies, core skills, key skills, tech stack,"
        " skills and tools, tools, tools and technologies, core competencies,"
        " competencies, skills summary, technical proficiencies, technical expertise,"
        " skills and technologies"
    ),
    "summary": (
        "summary, profile, about, about me, professional summary, objective,"
        " career objective, professional profile, overview, executive summary,"
        " career summary"
    ),
    "projects": (
        "projects, personal projects, selected projects, side projects, open source,"
        " key projects, open source contributions"
    ),
    "certifications": (
        "certifications, certificates, certification, licenses and certifications,"
        " licences and certifications"
    ),
    "other": (
        "languages, interests, hobbies, awards, honors, honours, publications,"
        " volunteer experience, volunteering, references, contact, achievements,"
        " activities, extracurricular activities, courses, coursework,"
        " relevant coursework, awards and honors"
    ),
}
_HEADING = {name: kind for kind, names in _HEADINGS.items() for name in names.split(", ")}
_INLINE_KINDS = frozenset({"skills", "summary", "certifications"})
_CLEAN: dict[int, str | None] = dict.fromkeys((*range(32), *range(127, 161)), " ")
_CLEAN |= {9: "   ", 0x200B: None, 0xFEFF: None}
_WIDE_SPACE = re.compile(r"\s{4,}")
_BULLET = re.compile(
    r"(?:[\u2022\u25aa\u25e6\u2023\u00b7\u25cf\u25cb\u25a0\u27a2\u25ba]|[-*+>\u2013\u2014](?=\s))\s{0,3}"
)


@dataclass(frozen=True)
class Line:
    """One cleaned line of a resume: no control characters, no run of more than 3 spaces."""

    text: str
    bullet: bool = False


@dataclass
class Section:
    """`kind` is "header" (before any heading), "other", or a kind of `_HEADINGS`."""

    kind: str
    lines: list[Line]


def _line(raw: str) -> Line:
    text = _WIDE_SPACE.sub("   ", raw.translate(_CLEAN)).strip()
    bullet = _BULLET.match(text)
    return Line(text[bullet.end() :].strip(), True) if bullet else Line(text)


def _heading_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", text.lower().replace("&", " and ")).split())


def _heading(line: Line, current: str) -> tuple[str | None, str]:
    """The kind of section the line opens, and any content after "Skills:" and the like."""
    if len(line.text) <= 60 and (kind := _HEADING.get(_heading_key(line.text))):
        return kind, ""
    label, colon, rest = line.text.partition(":")
    if not colon or line.bullet or len(label) > 40 or current in ("experience", "projects"):
        return None, ""
    kind = _HEADING.get(_heading_key(label))
    return (kind, rest.strip()) if kind in _INLINE_KINDS else (None, "")


def find_sections(text: str) -> list[Section]:
    """The text split at its headings; lines before the first heading are the "header"."""
    sections = [Section("header", [])]
    for raw in text[:MAX_ANALYSED_CHARS].splitlines():
        line = _line(raw)
        kind, rest = _heading(line, sections[-1].kind)
        if kind:
            sections.append(Section(kind, [Line(rest)] if rest else []))
        else:
            sections[-1].lines.append(line)
    return sections


# ---------------------------------------------------------------------------- name and email

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}"
    r"(?![a-z0-9-])",
    _F,
)
_NAME_LABEL = re.compile(r"^(?:name|resume|cv)\s{0,3}[:\-\u2013\u2014]\s{0,3}", _F)
_NAME_SPLIT = re.compile(r"\s{0,3}[|\u2022\u00b7,;\u2013\u2014]\s{0,3}|\s{1,3}-\s{1,3}")
_NAME_SUFFIX = re.compile(r"\s(?:resume|r\u00e9sum\u00e9|cv)$", re.IGNORECASE)
_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "di", "la", "le", "bin", "al"})
_NOT_NAME = frozenset(
    {"resume", "r\u00e9sum\u00e9", "curriculum", "vitae", "cv", "inc", "llc", "ltd", "gmbh"}
    | {"corp", "university", "college", "street", "avenue", "road", "senior", "junior"}
    | {"staff", "principal", *(word for name in _HEADING for word in name.split())}
)
_TITLE_NOUN = re.compile(
    r"\b(?:engineer|developer|programmer|manager|intern|internship|scientist|analyst"
    r"|architect|consultant|designer|teacher|administrator|sre|head|specialist|officer"
    r"|researcher|founder|co-founder|cto|ceo|vp|president|technician|assistant|coordinator"
    r"|instructor|tutor|lecturer|professor|fellow|contractor|freelancer|swe|sde|devops"
    r"|director|lead|owner|accountant|nurse|associate|advisor|strategist|writer|tester)s?\b",
    _F,
)
_TITLE_MODIFIER = re.compile(r"\b(?:senior|junior|staff|principal|chief|sr|jr)\b", _F)


def find_email(text: str) -> str:
    match = _EMAIL.search(text[:MAX_ANALYSED_CHARS])
    return match[0] if match else ""


def _looks_like_name(candidate: str) -> bool:
    words = candidate.split()
    if not 2 <= len(words) <= 4 or len(candidate) > 60 or _TITLE_NOUN.search(candidate):
        return False
    for position, word in enumerate(words):
        inner = 0 < position < len(words) - 1
        if word.lower().strip(".") in _NOT_NAME or not any(c.isalpha() for c in word):
            return False
        if not all(c.isalpha() or c in ".'\u2019-" for c in word):
            return False
        if not word[0].isupper() and not (inner and word in _PARTICLES):
            return False
    return True


def find_name(sections: Sequence[Section]) -> str:
    """The first header line (or, with no header, early line) that reads as a person's name."""
    header = [line.text for line in sections[0].lines if line.text][:10]
    early = [line.text for s in sections[1:] for line in s.lines[:3] if line.text][:3]
    for text in header or early:
        first = _NAME_SPLIT.split(_NAME_LABEL.sub("", text[:200]), maxsplit=1)[0]
        candidate = _NAME_SUFFIX.sub("", first.strip())
        if _looks_like_name(candidate):
            return candidate.title() if candidate.isupper() else candidate
    return ""


# ---------------------------------------------------------------------------- experience

_PART_SPLIT = re.compile(
    r"\s{0,3}[|\u2022\u00b7]\s{0,3}|\s{1,3}[-\u2013\u2014]\s{1,3}|[\u2013\u2014]|,\s{1,3}"
    r"|\s{3}|\s(?:at|@)\s"
)
_NOT_COMPANY = frozenset({"remote", "hybrid", "on-site", "onsite", "full-time", "part-time"})
_LABELLED = re.compile(r"[\w ]{1,30}:(?:\s|$)")
_EMPTY_BRACKETS = re.compile(r"[(\[]\s{0,3}\|\s{0,3}[)\]]")


@dataclass(frozen=True)
class _Entry:
    job: WorkExperience
    periods: tuple[Period, ...]

    @property
    def recency(self) -> tuple[date, date]:
        if not self.periods:
            return date.min, date.min
        return max(p.end for p in self.periods), max(p.start for p in self.periods)


def _header_like(line: Line) -> bool:
    """A short line that is not a bullet, a sentence or a "Label: value" line."""
    words = line.text.split()
    if not words or line.bullet or len(line.text) > 120 or len(words) > 12:
        return False
    sentence = line.text.endswith(".") and len(words[-1]) > 5
    return not sentence and not _LABELLED.match(line.text)


def _header_start(lines: Sequence[Line], dated: int, floor: int) -> int:
    first = dated
    while first > floor and dated - first < 2 and _header_like(lines[first - 1]):
        first -= 1
    return first


def _tidy(part: str) -> str:
    part = part.strip(" ,;:[]|-\u2013\u2014")
    return part.strip(" ()") if part.count("(") != part.count(")") else part


def _parts(header: Sequence[str]) -> list[str]:
    """The header's pieces (title, company, place) without its dates or empty brackets."""
    stripped = (_EMPTY_BRACKETS.sub(" | ", _RANGE.sub(" | ", text)) for text in header)
    parts = (_tidy(part) for s in stripped for part in _PART_SPLIT.split(s))
    return [p for p in parts if p and p.strip("()").lower() not in _NOT_COMPANY]


def _job(header: Sequence[str], description: Sequence[str], today: date) -> _Entry:
    parts = _parts(header)
    titled = [p for p in parts if _TITLE_NOUN.search(p)] or [
        p for p in parts if _TITLE_MODIFIER.search(p)
    ]
    title = titled[0] if titled else (parts[0] if len(parts) > 1 else "")
    company = next((p for p in parts if p != title), "")
    ranges = [m[0].strip() for text in header for m in _RANGE.finditer(text)]
    periods = tuple(p for text in header for p in find_periods(text, today))
    job = WorkExperience(company, title, ranges[0] if ranges else "", "\n".join(description))
    return _Entry(job, periods)


def _wants_title(header: Sequence[str]) -> bool:
    return not any(map(_TITLE_NOUN.search, _parts(header)))


def _experience_entries(lines: Sequence[Line], today: date) -> list[_Entry]:
    """Entries anchored on their non-bullet date lines, with up to two header lines above."""
    dated = [i for i, line in enumerate(lines) if not line.bullet and _RANGE.search(line.text)]
    firsts = [_header_start(lines, i, dated[k - 1] + 1 if k else 0) for k, i in enumerate(dated)]
    entries = []
    for k, i in enumerate(dated):
        stop = firsts[k + 1] if k + 1 < len(dated) else len(lines)
        header = [line.text for line in lines[firsts[k] : i + 1]]
        following = lines[i + 1] if i + 1 < stop else Line("")
        if _wants_title(header) and _header_like(following) and _TITLE_NOUN.search(following.text):
            header.append(following.text)
        description = [line.text for line in lines[firsts[k] + len(header) : stop] if line.text]
        entries.append(_job(header, description, today))
    return entries


# ---------------------------------------------------------------------------- education, skills

_INSTITUTION = re.compile(
    r"\b(?i:universi\w*|college|institute|institut|school|academy|polytechnic|politecnico"
    r"|hochschule|conservatory|bootcamp)\b|\b(?:MIT|ETH|EPFL|IIT|UCLA|KTH|NYU|CMU|UCL)\b"
)
_DEGREE = re.compile(
    r"(?<![\w.])(?:B\.?\s?(?:Sc|S|A|Eng|E|Tech|Com)\.?|M\.?\s?(?:Sc|S|A|Eng|Tech|Phil)\.?|MBA"
    r"|Ph\.?\s?D\.?|D\.?\s?Phil\.?|(?i:bachelor(?:'s|\u2019s)?(?:\s(?:of|in)\s(?:science|arts"
    r"|engineering|technology))?|master(?:'s|\u2019s)?(?:\s(?:of|in)\s(?:science|arts"
    r"|engineering|technology|education|business\sadministration))?"
    r"|doctor(?:ate)?(?:\sof\sphilosophy)?|associate(?:'s)?\sdegree|diploma|certificate))(?!\w)"
)
_DATED = re.compile(rf"(?<![a-z])(?:{_MONTH}\.?\s{{0,3}})?(?<![0-9]){_YEAR}(?![0-9])", _F)
_LEADING_OF = re.compile(r"^(?:in|of)\s", _F)


def _education_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    years = [m[0][-4:] for m in _DATED.finditer(text)]
    if years:
        fields["year"] = years[-1]
    segments = [s.strip(" ,;:()[]|-") for s in _PART_SPLIT.split(_DATED.sub(" ", text))]
    segments = [s for s in segments if s]
    for position, segment in enumerate(segments):
        if "institution" not in fields and _INSTITUTION.search(segment):
            fields["institution"] = segment
        elif "degree" not in fields and (degree := _DEGREE.search(segment)):
            fields["degree"] = degree[0].strip()
            rest = _LEADING_OF.sub("", segment[degree.end() :].strip(" ,:;-()")).strip(" ,:;-()")
            after = segments[position + 1] if position + 1 < len(segments) else ""
            if not rest and after and not (_INSTITUTION.search(after) or _DEGREE.search(after)):
                rest = after
            fields["field"] = rest
    return fields


def _education_entries(lines: Sequence[Line]) -> list[Education]:
    entries: list[Education] = []
    current: dict[str, str] = {}

    def flush() -> None:
        if current.get("institution") or current.get("degree"):
            entries.append(
                Education(
                    current.get("institution", ""),
                    current.get("degree", ""),
                    current.get("field", ""),
                    current.get("year", ""),
                )
            )
        current.clear()

    for line in lines:
        if not line.text or line.bullet:
            if not line.text:
                flush()
            continue
        fields = _education_fields(line.text)
        if any(key in current for key in ("institution", "degree") if key in fields):
            flush()
        for key, value in fields.items():
            current.setdefault(key, value)
    flush()
    return entries


def _split_items(text: str) -> list[str]:
    """Split on commas, semicolons, pipes and bullets outside parentheses."""
    items, depth, start = [], 0, 0
    for position, char in enumerate(text):
        depth += (char in "([") - (char in ")]" and depth > 0)
        if depth == 0 and char in ",;|\u2022\u00b7\u25aa\u25cf":
            items.append(text[start:position])
            start = position + 1
    return [*items, text[start:]]


def _skill_items(lines: Sequence[Line]) -> list[str]:
    found = []
    for line in lines:
        label, colon, rest = line.text.partition(":")
        text = rest if colon and len(label) <= 40 and len(label.split()) <= 4 else line.text
        for item in _split_items(text):
            skill = re.sub(r"^and\s", "", item.strip(" .*-\u2013")).strip()
            if (
                skill
                and len(skill) <= 50
                and len(skill.split()) <= 6
                and any(map(str.isalnum, skill))
            ):
                found.append(skill)
    return found


# ---------------------------------------------------------------------------- the extractor


def extract_resume(text: str, user_id: str, today: date) -> ResumeData:
    """The resume's fields read from its text; any text gives a result, at worst an empty one."""
    sections = find_sections(text)
    body = [s for s in sections if s.kind != "header"]
    entries = [
        entry
        for s in body
        if s.kind == "experience"
        for entry in _experience_entries(s.lines, today)
    ]
    titles = [e.job.title for e in sorted(entries, key=lambda e: e.recency, reverse=True)]
    years = total_years(p for entry in entries for p in entry.periods)
    skills = _dedupe(item for s in body if s.kind == "skills" for item in _skill_items(s.lines))
    return ResumeData(
        user_id=user_id,
        name=find_name(sections),
        email=find_email(text),
        experience_level=experience_level(years, titles),
        years_of_experience=years,
        domain_expertise=domain_expertise(skills, titles, _joined(body)),
        work_experience=[entry.job for entry in entries],
        education=[e for s in body if s.kind == "education" for e in _education_entries(s.lines)],
        skills=skills,
        raw_text=text,
    )


def _joined(sections: Sequence[Section]) -> str:
    return "\n".join(line.text for s in sections for line in s.lines)


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())

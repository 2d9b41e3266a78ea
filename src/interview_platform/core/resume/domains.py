"""Domain expertise (frontend, backend, distributed-systems, ...) from skills and titles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from interview_platform.core.resume.dates import MAX_ANALYSED_CHARS

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
        "aws|amazon web services, gcp|google cloud|google cloud platform,"
        " azure|microsoft azure, lambda|aws lambda, s3, ec2, ecs, fargate, dynamodb, sqs,"
        " cloudformation, cloud, serverless, eks, gke, aks, kubernetes|k8s, openshift,"
        " cloud run, cloud functions|azure functions"
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


def _lookup() -> dict[str, list[tuple[str, str]]]:
    """Each alias's (domain, canonical keyword) pairs."""
    lookup: dict[str, list[tuple[str, str]]] = {}
    for domain, entries in _KEYWORDS.items():
        for entry in entries.split(", "):
            for alias in entry.split("|"):
                lookup.setdefault(_key(alias), []).append((domain, entry.split("|")[0]))
    return lookup


_LOOKUP = _lookup()
_PLATFORMS = frozenset({("cloud", "aws"), ("cloud", "gcp"), ("cloud", "azure")})
_TERM_PAIRS = frozenset(pair for alias in _LOOKUP for pair in pairwise(alias.split()))
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
    return {
        found
        for match in _KEYWORD.finditer(text[:MAX_ANALYSED_CHARS])
        for found in _LOOKUP[_key(match[0])]
    }


def continues_term(before: str, after: str) -> bool:
    """True when `before` then `after` are two words of one known term ("distributed
    systems", "Spring Boot"), e.g. either side of a line break."""
    return (_key(before.strip(" ,;.")), _key(after.strip(" ,;."))) in _TERM_PAIRS


def domain_expertise(
    skills: Sequence[str], titles: Sequence[str], text: str, experience: str = ""
) -> list[str]:
    """At most four domains with evidence, strongest first (`titles` is newest first).

    Each distinct keyword in the skills or the text counts 1 (a keyword may serve two domains:
    Kubernetes is cloud and devops), each domain keyword in the most recent title 3 and in an
    older title 2. A cloud platform (AWS, GCP, Azure) named in the `experience` (what the
    candidate did, not only what they list) counts 2. A domain needs 2, or a hit in the
    recent title. "Go" counts only as a whole skill; in free text only "golang" does.
    """
    evidence = _keywords(text).union(*(_keywords(skill) for skill in skills))
    evidence |= {("backend", "go") for skill in skills if _GO_SKILL.fullmatch(skill.strip())}
    used = _keywords(experience) & _PLATFORMS
    score = dict.fromkeys(DOMAINS, 0)
    for domain, keyword in evidence | used:
        score[domain] += 2 if (domain, keyword) in used else 1
    recent: set[str] = set()
    for position, title in enumerate(titles):
        found = {domain for domain, _ in _keywords(title)}
        for domain in found:
            score[domain] += 3 if position == 0 else 2
        recent |= found if position == 0 else set()
    chosen = [d for d in DOMAINS if score[d] >= 2 or d in recent]
    return sorted(chosen, key=lambda d: -score[d])[:4]

"""Resume reading on real PDFs: a skill wrapped across lines stays one skill, cloud platforms
give the cloud domain, pasted text is read like a text file, and the size limit is stated."""

from __future__ import annotations

import pytest

from interview_platform.core.models import ExperienceLevel
from interview_platform.core.resume.domains import domain_expertise
from interview_platform.core.resume.extraction import extract_resume
from interview_platform.core.resume.reading import ResumeLimits, read_resume
from interview_platform.core.resume_manager import MAX_PASTED_CHARS, ResumeManager
from interview_platform.errors import ValidationError
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.support.resume_fixtures import FIXTURE_TODAY, ResumeFixture
from tests.support.resume_pdf import write_pdf


def payments_engineer(skills: str) -> ResumeFixture:
    """A senior payments engineer whose skills sit in the narrow side column of two."""
    return ResumeFixture(
        slug="senior-payments",
        header=("Samira Haddad", "samira.haddad@example.com | Dublin"),
        main=(
            (
                "Experience",
                (
                    "Senior Software Engineer | Paylane | Jan 2021 \u2013 Present",
                    "- Led the card-authorisation service on AWS: 4k payments per second.",
                    "- Designed idempotent retries and the double-entry ledger on PostgreSQL.",
                    "Software Engineer | Shopwell | Jun 2018 \u2013 Dec 2020",
                    "- Built the checkout API in Java and Spring Boot.",
                ),
            ),
            ("Education", ("BSc Computer Science, Trinity College Dublin, 2018",)),
        ),
        side=(("Skills", (skills,)),),
        layout="two-column",
        level=ExperienceLevel.SENIOR,
        years=8,
        domains=frozenset({"backend", "distributed-systems", "cloud"}),
    )


WRAPPING = "Java, Kotlin, Spring Boot, PostgreSQL, AWS, {}, Kafka, gRPC"


@pytest.mark.parametrize("term", ["distributed systems", "Distributed Systems"])
def test_a_skill_wrapped_across_lines_in_a_pdf_is_one_skill(term: str) -> None:
    pdf = write_pdf(payments_engineer(WRAPPING.format(term)))
    text = read_resume(pdf).text
    first, second = term.split()
    assert f"{first}\n{second}" in text  # the PDF really breaks the line inside the skill

    resume = extract_resume(text, "samira", FIXTURE_TODAY)

    assert term in resume.skills
    assert first not in resume.skills and second not in resume.skills
    assert resume.skills == [*WRAPPING.format(term).split(", ")]


def test_list_lines_that_end_with_a_whole_skill_stay_apart() -> None:
    text = "Skills\nKubernetes | Terraform | Grafana\nAnsible | Linux\nKafka\nevent sourcing\n"

    resume = extract_resume(text, "tomasz", FIXTURE_TODAY)

    assert resume.skills == [
        "Kubernetes",
        "Terraform",
        "Grafana",
        "Ansible",
        "Linux",
        "Kafka",
        "event sourcing",
    ]


def test_aws_used_at_work_gives_the_cloud_domain() -> None:
    pdf = write_pdf(payments_engineer(WRAPPING.format("distributed systems")))

    resume = extract_resume(read_resume(pdf).text, "samira", FIXTURE_TODAY)

    assert set(resume.domain_expertise) == {"backend", "distributed-systems", "cloud"}
    assert resume.experience_level is ExperienceLevel.SENIOR


@pytest.mark.parametrize(
    ("skills", "text", "experience", "cloud"),
    [
        (["AWS"], "", "Ran the ledger on AWS.", True),  # a platform used at work counts 2
        (["Java"], "", "Moved the batch jobs to Google Cloud Platform.", True),
        ([], "", "Hosted on Microsoft Azure.", True),
        (["AWS", "Docker"], "", "", False),  # only listed: one keyword is not enough
        (["AWS", "Kubernetes"], "", "", True),  # Kubernetes is cloud as well as devops
        (["GKE", "Terraform"], "", "", False),
        (["EKS", "DynamoDB"], "", "", True),
    ],
)
def test_cloud_platforms_and_kubernetes_count_for_cloud(
    skills: list[str], text: str, experience: str, cloud: bool
) -> None:
    found = domain_expertise(skills, [], text or " ".join(skills), experience)

    assert ("cloud" in found) is cloud


def manager(logger: LoggingManager, max_mb: float = 5) -> ResumeManager:
    limits = ResumeLimits(max_bytes=int(max_mb * 1024 * 1024))
    return ResumeManager(InMemoryDataStore(), logger, limits=limits, today=lambda: FIXTURE_TODAY)


def test_pasted_text_is_read_like_an_uploaded_text_file(logger: LoggingManager) -> None:
    fixture = payments_engineer(WRAPPING.format("distributed systems"))
    resumes = manager(logger)

    uploaded = resumes.parse_resume(fixture.text().encode("utf-8"), "samira")
    pasted = resumes.paste_resume(fixture.text(), "samira")

    assert pasted == uploaded
    assert resumes.get_resume("samira") == pasted
    assert pasted.name == "Samira Haddad" and "cloud" in pasted.domain_expertise


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n ", "the box is empty"),
        ("a" * (MAX_PASTED_CHARS + 1), f"the limit is {MAX_PASTED_CHARS:,}"),
    ],
)
def test_bad_pasted_text_is_refused_and_nothing_is_saved(
    logger: LoggingManager, text: str, message: str
) -> None:
    resumes = manager(logger)

    with pytest.raises(ValidationError, match=message):
        resumes.paste_resume(text, "samira")

    assert resumes.get_resume("samira") is None


def test_a_file_over_the_limit_is_refused_with_the_real_limit_and_the_paste_route(
    logger: LoggingManager,
) -> None:
    resumes = manager(logger, max_mb=2)

    with pytest.raises(ValidationError) as refused:
        resumes.upload_resume(b"Skills: Java\n" * 200_000, "samira")

    assert "the limit is 2 MB" in str(refused.value)
    assert str(refused.value).endswith("or paste the text.")
    assert resumes.max_file_bytes == 2 * 1024 * 1024

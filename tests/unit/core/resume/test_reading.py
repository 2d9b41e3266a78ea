"""Reading uploaded resumes: real PDFs written by fpdf2, real text files, and fuzzed bytes."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from interview_platform.core.evaluation.report_pdf import latin1
from interview_platform.core.resume.columns import grid_columns
from interview_platform.core.resume.reading import (
    BINARY,
    DAMAGED,
    EMPTY,
    LOCKED,
    SCANNED,
    ResumeLimits,
    ResumeText,
    read_resume,
)
from interview_platform.errors import ValidationError
from tests.support.resume_fixtures import ResumeFixture, Section
from tests.support.resume_pdf import (
    write_encrypted_pdf,
    write_pdf,
    write_scanned_pdf,
)

HEADER = ("Zoë Müller", "zoe@example.com | +49 30 1234 567 | Berlin \u2013 Germany")
SUMMARY: Section = (
    "Summary",
    ("Senior backend engineer with ten years in payments and distributed systems.",),
)
EXPERIENCE: Section = (
    "Experience",
    (
        "Staff Engineer, Acme Pay (2019\u20132024)",
        "- Led the ledger rewrite to event sourcing, cutting reconciliation time by 80%",
        "- Designed the idempotent payouts API used by 4,000 merchants",
        "- Mentored six engineers; two were promoted to senior",
        "Senior Engineer, Globex (2014\u20132019)",
        "- Built the fraud scoring service handling 2,000 requests per second",
        "- Moved batch settlement from cron jobs to Kafka streams",
    ),
)
SKILLS: Section = ("Skills", ("Python", "Go", "PostgreSQL", "Kafka", "Kubernetes"))
EDUCATION: Section = ("Education", ("MSc Computer Science", "TU Berlin, 2014"))

SINGLE = ResumeFixture(
    slug="single", header=HEADER, main=(SUMMARY, EXPERIENCE), side=(SKILLS, EDUCATION)
)
TWO_COLUMN = ResumeFixture(
    slug="two-column",
    header=HEADER,
    main=(SUMMARY, EXPERIENCE),
    side=(SKILLS, EDUCATION),
    layout="two-column",
)
PROJECTS: Section = (
    "Projects",
    tuple(
        f"- Project {n:02d}: migrated service {n:02d} of the billing platform to a "
        "partitioned PostgreSQL cluster with zero downtime"
        for n in range(1, 41)
    ),
)
LONG = ResumeFixture(
    slug="long", header=HEADER, main=(SUMMARY, EXPERIENCE, PROJECTS), side=(SKILLS, EDUCATION)
)
LONG_TWO_COLUMN = ResumeFixture(
    slug="long-two-column",
    header=HEADER,
    main=(SUMMARY, EXPERIENCE, PROJECTS),
    side=(SKILLS, EDUCATION),
    layout="two-column",
)
SHORT = ResumeFixture(
    slug="short",
    header=("Ana Silva", "ana@example.com"),
    main=(("Experience", ("Backend engineer at Initech, 2020-2024, Python and PostgreSQL",)),),
)


def flat(text: str) -> str:
    """The text with every run of whitespace made one space: wrapped lines compare equal."""
    return " ".join(text.split())


def expected(line: str) -> str:
    return flat(latin1(line))


def section_block(section: Section) -> str:
    heading, lines = section
    return flat(" ".join([heading, *map(latin1, lines)]))


def assert_in_order(text: str, parts: list[str]) -> None:
    body, start = flat(text), 0
    for part in parts:
        found = body.find(part, start)
        assert found >= 0, f"{part!r} missing or out of order"
        start = found + len(part)


def refusal(data: bytes, limits: ResumeLimits | None = None) -> str:
    with pytest.raises(ValidationError) as caught:
        read_resume(data, limits) if limits else read_resume(data)
    return str(caught.value)


# -- PDFs -----------------------------------------------------------------------------------------


def test_single_column_pdf_keeps_every_heading_and_line_in_order() -> None:
    result = read_resume(write_pdf(SINGLE))

    assert (result.kind, result.pages) == ("pdf", 1)
    lines = [
        *HEADER,
        *(part for heading, body in (*SINGLE.main, *SINGLE.side) for part in (heading, *body)),
    ]
    assert_in_order(result.text, [expected(line) for line in lines])


def test_two_column_pdf_reads_each_column_whole() -> None:
    result = read_resume(write_pdf(TWO_COLUMN))

    body = flat(result.text)
    for section in (SUMMARY, EXPERIENCE, SKILLS, EDUCATION):
        assert section_block(section) in body, section[0]
    assert body.index(expected(HEADER[1])) < body.index("Skills")
    assert body.index(section_block(SKILLS)) < body.index(section_block(EDUCATION))
    assert body.index(section_block(SUMMARY)) < body.index(section_block(EXPERIENCE))


def test_pypdf_layout_grid_splits_two_columns_when_pdfplumber_cannot() -> None:
    page = PdfReader(io.BytesIO(write_pdf(TWO_COLUMN))).pages[0]
    grid = grid_columns(page.extract_text(extraction_mode="layout"))

    assert grid is not None
    body = flat(grid.text())
    for section in (SUMMARY, EXPERIENCE, SKILLS, EDUCATION):
        assert section_block(section) in body, section[0]
    assert body.startswith(flat(" ".join(map(latin1, HEADER))))


def test_single_column_page_has_no_grid_columns() -> None:
    page = PdfReader(io.BytesIO(write_pdf(LONG))).pages[0]

    assert grid_columns(page.extract_text(extraction_mode="layout")) is None


def test_two_page_pdf_reads_both_pages() -> None:
    result = read_resume(write_pdf(LONG))

    assert result.pages == 2
    assert section_block(PROJECTS) in flat(result.text)
    assert_in_order(result.text, ["Summary", "Experience", "Projects", "Skills", "Education"])


def test_two_column_pdf_over_two_pages_keeps_the_main_column_together() -> None:
    result = read_resume(write_pdf(LONG_TWO_COLUMN, page_format="Letter"))

    assert result.pages == 2
    body = flat(result.text)
    for section in (SKILLS, EDUCATION, EXPERIENCE, PROJECTS):
        assert section_block(section) in body, section[0]


def test_hyphenated_line_ends_are_joined_in_pdf_text() -> None:
    fixture = ResumeFixture(
        slug="hyphen",
        header=("Ana Silva",),
        main=(("Experience", ("Built the payment recon-", "ciliation service for 3 banks")),),
    )

    assert "payment reconciliation service" in read_resume(write_pdf(fixture)).text


def test_pdf_with_more_pages_than_the_limit_is_refused() -> None:
    message = refusal(write_pdf(LONG), ResumeLimits(max_pages=1))

    assert message.startswith("This PDF has 2 pages; the limit is 1.")


def test_oversized_file_is_refused_before_reading_naming_size_and_limit() -> None:
    assert refusal(b"a" * (6 * 1024 * 1024)).startswith("This file is 6 MB; the limit is 5 MB.")
    assert refusal(b"a" * 1_500_000, ResumeLimits(max_bytes=1024 * 1024)).startswith(
        "This file is 1.5 MB; the limit is 1 MB."
    )


def test_password_protected_pdf_is_refused() -> None:
    assert refusal(write_encrypted_pdf(SINGLE, "s3cret")) == LOCKED


def test_pdf_encrypted_with_an_empty_password_is_read() -> None:
    result = read_resume(write_encrypted_pdf(SINGLE, ""))

    assert section_block(EXPERIENCE) in flat(result.text)


def test_scanned_pdf_is_refused_as_having_no_text() -> None:
    assert refusal(write_scanned_pdf()) == SCANNED


def test_truncated_pdf_is_refused_as_damaged() -> None:
    data = write_pdf(SINGLE)

    assert refusal(data[: len(data) // 2]) == DAMAGED


def test_pdf_header_followed_by_garbage_is_refused_as_damaged() -> None:
    assert refusal(b"%PDF-1.7\n" + random.Random(3).randbytes(2000)) == DAMAGED


# -- other files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\ufeff  \n".encode("utf-8")])
def test_empty_or_blank_file_is_refused(data: bytes) -> None:
    assert refusal(data) == EMPTY


@pytest.mark.parametrize(
    "data",
    [random.Random(7).randbytes(4096), bytes(range(1, 32)) * 50, b"\x00\x01\x02" * 300],
    ids=["random", "control-characters", "nul-heavy"],
)
def test_binary_file_is_refused(data: bytes) -> None:
    assert refusal(data) == BINARY


def png_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format=image_format)
    return buffer.getvalue()


def zip_bytes(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (png_bytes("PNG"), "PNG images are not supported"),
        (png_bytes("JPEG"), "JPEG images are not supported"),
        (zip_bytes(["[Content_Types].xml", "word/document.xml"]), "Word documents are not"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Word documents are not"),
        (zip_bytes(["notes.txt"]), "ZIP archives are not supported"),
        (b"{\\rtf1\\ansi Zoe Muller}", "RTF documents are not supported"),
    ],
    ids=["png", "jpeg", "docx", "doc", "zip", "rtf"],
)
def test_known_other_format_is_named(data: bytes, start: str) -> None:
    message = refusal(data)

    assert message.startswith(start)
    assert "PDF" in message


def test_word_document_message_says_what_to_do() -> None:
    assert refusal(zip_bytes(["[Content_Types].xml", "word/document.xml"])) == (
        "Word documents are not supported: save as PDF or paste the text."
    )


# -- text files -----------------------------------------------------------------------------------

WESTERN = (
    "Zoë Müller \u2013 Senior Engineer\nnaïve café résumé\nBuilt payments at Acme, 2019\u20132024\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (WESTERN, "utf-8"),
        (WESTERN, "utf-8-sig"),
        (WESTERN, "utf-16"),
        (WESTERN, "utf-16-le"),
        (WESTERN, "utf-16-be"),
        (WESTERN, "utf-32"),
        (WESTERN, "cp1252"),
        ("Zoë Müller - Senior Engineer\nnaïve café résumé\n", "latin-1"),
        ("Zoë Müller \u2013 Senior Engineer", "cp1252"),
        ("naïve café résumé", "cp1252"),
        ("Zażółć gęślą jaźń, inżynier oprogramowania z Krakowa\n", "cp1250"),
        ("Иван Петров, старший инженер-программист, Москва\n", "cp1251"),
    ],
)
def test_text_in_any_common_encoding_is_read_without_mojibake(text: str, encoding: str) -> None:
    result = read_resume(text.encode(encoding))

    assert result == ResumeText(text=text.strip("\n"), kind="text", pages=1)


def test_markdown_is_kept_as_written() -> None:
    markdown = (
        "# Zoë Müller\n\n"
        "**Senior Engineer** · [zoe.dev](https://zoe.dev)\n\n"
        "## Experience\n\n"
        "- *Acme Pay* (2019\u20132024): led the `ledger` rewrite\n"
        "  - cut reconciliation time by 80%\n\n"
        "| Skill | Years |\n|-------|-------|\n| Python | 10 |"
    )

    assert read_resume(markdown.encode()).text == markdown


def test_text_is_normalised() -> None:
    raw = "Zoe\u00a0Muller   \r\n\ufb01nance and \ufb02ow\r\n\n\n\n\n\nCafe\u0301\n"

    assert read_resume(raw.encode()).text == "Zoe Muller\nfinance and flow\n\n\nCafé"


def test_text_is_capped() -> None:
    assert len(read_resume(b"word " * 100_000).text) == 200_000


# -- fuzzing --------------------------------------------------------------------------------------


def read_or_refuse(data: bytes) -> None:
    """Success or a ValidationError; anything else fails the test."""
    try:
        result = read_resume(data)
    except ValidationError as error:
        assert str(error)
        return
    assert result.text.strip()


SMALL_PDF = write_pdf(SHORT)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data: bytes) -> None:
    read_or_refuse(data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_after_a_pdf_header_never_crash(data: bytes) -> None:
    read_or_refuse(b"%PDF-1.4\n" + data)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(SMALL_PDF) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=20,
    ),
    st.integers(1, len(SMALL_PDF)),
)
def test_mutated_or_truncated_pdf_never_crashes(
    mutations: list[tuple[int, int]], length: int
) -> None:
    data = bytearray(SMALL_PDF)
    for position, value in mutations:
        data[position] = value
    read_or_refuse(bytes(data[:length]))

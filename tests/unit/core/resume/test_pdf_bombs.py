"""read_resume on PDF bombs, in this process: refused by their decompressed size before any
text is extracted, never handed to pdfplumber, which has no limits of its own."""

from __future__ import annotations

import pytest

from interview_platform.core.resume.pdf_limits import TOO_DEMANDING
from interview_platform.core.resume.reading import ResumeLimits, read_resume
from interview_platform.errors import FileTooDemandingError
from tests.support.bombs import MB, pdf_bomb
from tests.support.resume_fixtures import RESUMES
from tests.support.resume_pdf import write_pdf

LIMITS = ResumeLimits(max_content_bytes=MB)


@pytest.mark.parametrize(
    ("decompressed", "pages"),
    [(4 * MB, 1), (MB // 2, 3)],
    ids=["one-stream-over-the-limit", "pages-together-over-the-limit"],
)
def test_a_pdf_bomb_is_refused_by_its_decompressed_size(decompressed: int, pages: int) -> None:
    bomb = pdf_bomb(decompressed, pages)

    with pytest.raises(FileTooDemandingError) as caught:
        read_resume(bomb, LIMITS)

    assert str(caught.value) == TOO_DEMANDING


def test_a_real_resume_fits_well_within_the_limit() -> None:
    pdf = write_pdf(next(r for r in RESUMES if r.layout == "two-column"))

    assert read_resume(pdf, ResumeLimits(max_content_bytes=MB // 4)) == read_resume(pdf)

"""pypdf's limits for a resume: how far any stream may inflate, and how much page content a
PDF may hold in all (pdfplumber, which reads it after pypdf, has no limits of its own)."""

from __future__ import annotations

from contextlib import AbstractContextManager

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError

from interview_platform.errors import FileTooDemandingError

TOO_DEMANDING = (
    "This PDF takes too long or too much memory to read (it may hold a huge or broken "
    "drawing): export it again from your editor, upload a .txt/.md file, or paste the text."
)


def bounded_decompression(limit: int) -> AbstractContextManager[object]:
    """pypdf's decompression and decoding limits, for this thread only, lowered to `limit`."""
    return apply_configuration(
        array_based_stream_maximum_output_length=limit,
        jbig2_maximum_output_length=limit,
        lzw_maximum_output_length=limit,
        run_length_maximum_output_length=limit,
        zlib_maximum_output_length=limit,
        brotli_maximum_output_length=limit,
        image_maximum_buffer_size=limit,
        stream_decoding_work_maximum_length=4 * limit,
    )


def check_content_size(reader: PdfReader, limit: int) -> None:
    """Refuse a PDF whose pages' content, decompressed, adds up to more than `limit`: pypdf
    and pdfplumber each parse all of it, and pdfplumber takes about a second per megabyte."""
    total = 0
    for page in reader.pages:
        try:
            contents = page.get_contents()
            total += len(contents.get_data()) if contents is not None else 0
        except (LimitReachedError, MemoryError):
            raise
        except Exception:  # a damaged page: extraction tries pypdf, then pdfplumber, as before
            continue
        if total > limit:
            raise FileTooDemandingError(TOO_DEMANDING)

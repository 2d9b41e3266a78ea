"""Reads an uploaded resume (PDF, TXT or Markdown) into plain text, judged by content, not name.

Every refusal is a `ValidationError` whose message says what to do instead. PDFs are opened
with pypdf (checks, encryption, page count); text comes from pdfplumber so that a two-column
layout can be read one column after the other, with pypdf's extraction as the fallback.

A PDF can be a bomb: a few KB that inflate to gigabytes. pypdf decompresses no stream beyond
`max_content_bytes`, all pages' content together may not exceed it either (`pdf_limits.py`),
and a stream pypdf refuses refuses the file: pdfplumber has no limit of its own.
`resume/child.py` runs this in a child process bounded in time and memory.
"""

from __future__ import annotations

import codecs
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import pdfplumber
from charset_normalizer import from_bytes
from pypdf import PasswordType, PdfReader
from pypdf.errors import LimitReachedError

from interview_platform.core.resume.columns import Grid, grid_columns, page_text
from interview_platform.core.resume.pdf_limits import (
    TOO_DEMANDING,
    bounded_decompression,
    check_content_size,
)
from interview_platform.errors import FileTooDemandingError, ValidationError

MAX_TEXT_CHARS = 200_000
MIN_PDF_TEXT_CHARS = 50
_MB = 1024 * 1024

EMPTY = "This file is empty. Upload your resume as a PDF or a .txt/.md file, or paste the text."
BINARY = (
    "This file is not a PDF or a text file. Upload a PDF or a .txt/.md file, or paste the text."
)
DAMAGED = "This PDF is damaged or incomplete; export it again or upload a TXT."
EOF_WINDOW = 2048  # a complete PDF ends with %%EOF, give or take trailing bytes
LOCKED = "This PDF is password-protected: remove the password (print to PDF) or upload TXT."
SCANNED = (
    "This PDF has no extractable text (it may be a scan): upload a text-based PDF or TXT, "
    "or paste the text."
)

_IMAGE = "{} images are not supported: upload a text-based PDF or TXT, or paste the text."
_WORD = "Word documents are not supported: save as PDF or paste the text."
_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _WORD),  # .doc (OLE compound file)
    (b"\x89PNG\r\n\x1a\n", _IMAGE.format("PNG")),
    (b"\xff\xd8\xff", _IMAGE.format("JPEG")),
    (b"GIF8", _IMAGE.format("GIF")),
    (b"{\\rtf", "RTF documents are not supported: save as PDF or TXT, or paste the text."),
)
_OPENDOCUMENT = "OpenDocument files are not supported: save as PDF or paste the text."
_OFFICE = "Office documents are not supported: save as PDF or paste the text."
_ZIP = "ZIP archives are not supported: upload the resume itself as a PDF or TXT."

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
     "\u00ad": None, "\u200b": None, "\ufeff": None}
)  # fmt: skip
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\n(?=[a-zà-ÿ])")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{4,}")
_IN_WORD_OK = frozenset("'\u2019\u2018\u00b7-")


@dataclass(frozen=True)
class ResumeLimits:
    max_bytes: int = 5 * _MB
    max_pages: int = 20
    max_content_bytes: int = 8 * _MB  # decompressed: any one stream, and all pages' content
    max_seconds: float = 20.0  # to read one PDF, in a child process (resume/child.py)
    max_memory_bytes: int = 1024 * _MB  # the child's address space
    max_parallel: int = 2  # PDFs read at once (children); more wait up to max_seconds


@dataclass(frozen=True)
class ResumeText:
    text: str
    kind: Literal["pdf", "text"]
    pages: int  # a text file counts as one page


DEFAULT_LIMITS = ResumeLimits()


def read_resume(data: bytes, limits: ResumeLimits = DEFAULT_LIMITS) -> ResumeText:
    """The resume's text; raises ValidationError saying what to do when the file can't be read."""
    if len(data) > limits.max_bytes:
        raise ValidationError(too_large_message(len(data), limits.max_bytes))
    if is_pdf(data):
        return _read_pdf(data, limits)
    _refuse_other_formats(data)
    text = _normalise(_decode(data), join_hyphens=False)
    if not text.strip():
        raise ValidationError(EMPTY)
    return ResumeText(text=text, kind="text", pages=1)


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def too_large_message(size: int, limit: int) -> str:
    size_mb = math.ceil(size / _MB * 10) / 10
    return (
        f"This file is {size_mb:g} MB; the limit is {limit / _MB:.3g} MB. "
        "Upload a smaller file (a PDF without images, or TXT), or paste the text."
    )


def _refuse_other_formats(data: bytes) -> None:
    for magic, message in _OTHER_FORMATS:
        if data.startswith(magic):
            raise ValidationError(message)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        head = data[:4096]
        if b"word/" in head:
            raise ValidationError(_WORD)
        if b"[Content_Types].xml" in head:  # Excel, PowerPoint
            raise ValidationError(_OFFICE)
        if b"opendocument" in head:
            raise ValidationError(_OPENDOCUMENT)
        raise ValidationError(_ZIP)


# -- text files ---------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ValidationError(EMPTY)
    text = _decode_marked(data)
    if text is None:
        text = _decode_unmarked(data)
    if not _mostly_printable(text):
        raise ValidationError(BINARY)
    return text


def _decode_marked(data: bytes) -> str | None:
    """Text with a byte-order mark, or UTF-16 without one; None when neither applies."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _utf16_without_bom(data)
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(BINARY) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= 0.4 * pairs and even_nuls <= 0.05 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.4 * pairs and odd_nuls <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _decode_unmarked(data: bytes) -> str:
    if b"\x00" in data:
        raise ValidationError(BINARY)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _try_decode(data, "cp1252")
    if western is not None and _looks_western(western):
        return western  # charset-normalizer guesses exotic code pages for short Western text
    best = from_bytes(data).best()
    if best is None:
        raise ValidationError(BINARY)
    return str(best)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_western(text: str) -> bool:
    """True when accents are a minority of letters and no symbol sits inside a word."""
    letters = [char for char in text if char.isalpha()]
    accented = sum(1 for char in letters if ord(char) > 127)
    if letters and accented > 0.3 * len(letters):
        return False
    return not any(
        ord(mid) > 127 and not mid.isalpha() and mid not in _IN_WORD_OK
        and before.isalpha() and after.isalpha()
        for before, mid, after in zip(text, text[1:], text[2:], strict=False)
    )  # fmt: skip


def _mostly_printable(text: str) -> bool:
    if "\x00" in text:
        return False
    sample = text[:20_000]
    printable = sum(1 for char in sample if char.isprintable() or char in "\n\r\t\f\v")
    return printable >= 0.95 * len(sample)


def _normalise(text: str, *, join_hyphens: bool) -> str:
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if join_hyphens:
        text = _HYPHEN_BREAK.sub("", text)
    text = _BLANK_RUN.sub("\n\n\n", _TRAILING_SPACE.sub("", text))
    return text.strip("\n")[:MAX_TEXT_CHARS]


# -- PDF ------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, limits: ResumeLimits) -> ResumeText:
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise ValidationError(DAMAGED)  # cut short: whatever pypdf recovers is not all of it
    try:
        with bounded_decompression(limits.max_content_bytes):
            reader = _open_pdf(data, limits)
            check_content_size(reader, limits.max_content_bytes)
            text = _extract_text(data, reader)
    except ValidationError:
        raise
    except (LimitReachedError, MemoryError) as exc:
        raise FileTooDemandingError(TOO_DEMANDING) from exc
    except Exception as exc:  # pypdf/pdfminer errors, RecursionError on bad files
        raise ValidationError(DAMAGED) from exc
    text = _normalise(text, join_hyphens=True)
    if _visible(text) < MIN_PDF_TEXT_CHARS:
        raise ValidationError(SCANNED)
    return ResumeText(text=text, kind="pdf", pages=len(reader.pages))


def _open_pdf(data: bytes, limits: ResumeLimits) -> PdfReader:
    """The PDF, once it opens, is readable without a password and is short enough."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and _decrypt_blank(reader) == PasswordType.NOT_DECRYPTED:
        raise ValidationError(LOCKED)
    pages = len(reader.pages)
    if pages > limits.max_pages:
        raise ValidationError(
            f"This PDF has {pages} pages; the limit is {limits.max_pages}. "
            "Upload a shorter resume, or paste the text."
        )
    if pages == 0:
        raise ValidationError(DAMAGED)
    return reader


def _decrypt_blank(reader: PdfReader) -> PasswordType:
    try:
        return reader.decrypt("")
    except Exception:  # a missing crypto dependency or a broken encryption dictionary
        return PasswordType.NOT_DECRYPTED


def _extract_text(data: bytes, reader: PdfReader) -> str:
    """pypdf's text page by page, a two-column page split at its gutter in pypdf's layout
    rendering; pdfplumber's for pages pypdf cannot read or finds no text on.

    pypdf is about twenty times faster, so pdfplumber only parses the pages that need it.
    """
    texts, grids = _pypdf_pages(reader)
    for index, grid in grids.items():
        if grid is not None:
            texts[index] = grid.text()
    missing = [index for index in grids if index not in texts]
    if not missing:
        if _visible("".join(texts.values())) >= MIN_PDF_TEXT_CHARS:
            return _join(texts)
        found = _plumber_pages(data, dict.fromkeys(grids), reader.is_encrypted)  # other fonts?
        return _join(max(texts, found, key=lambda pages: _visible("".join(pages.values()))))
    found = _plumber_pages(data, {index: grids[index] for index in missing}, reader.is_encrypted)
    for index in missing:
        grid = grids[index]
        if index in found:
            texts[index] = found[index]
        elif grid is not None:
            texts[index] = grid.text()
        else:
            raise ValidationError(DAMAGED)
    return _join(texts)


def _pypdf_pages(reader: PdfReader) -> tuple[dict[int, str], dict[int, Grid | None]]:
    """Text of each single-column page, and the two-column band of each page that has one."""
    texts: dict[int, str] = {}
    grids: dict[int, Grid | None] = {}
    for index, page in enumerate(reader.pages):
        try:
            grids[index] = grid_columns(page.extract_text(extraction_mode="layout"))
            if grids[index] is None:
                texts[index] = page.extract_text()
        except (LimitReachedError, MemoryError):
            raise  # never handed to pdfplumber, which has no limits
        except Exception:  # left to pdfplumber
            grids[index] = None
        if sum(map(len, texts.values())) >= MAX_TEXT_CHARS:
            break
    return texts, grids


def _join(texts: dict[int, str]) -> str:
    return "\n\n".join(texts[index] for index in sorted(texts))


def _visible(text: str) -> int:
    return len(text) - sum(1 for char in text if char.isspace())


def _plumber_pages(data: bytes, grids: dict[int, Grid | None], encrypted: bool) -> dict[int, str]:
    """pdfplumber's text of the given pages (0-based), leaving out a page that pypdf saw in two
    columns but pdfplumber does not; {} when pdfplumber cannot read the file."""
    numbers = [index + 1 for index in grids]
    try:
        with pdfplumber.open(
            io.BytesIO(data), pages=numbers, password="" if encrypted else None
        ) as pdf:
            texts = {
                page.page_number - 1: page_text(page, grids.get(page.page_number - 1) is not None)
                for page in pdf.pages
            }
    except MemoryError:
        raise
    except Exception:
        return {}
    return {index: text for index, text in texts.items() if text is not None}

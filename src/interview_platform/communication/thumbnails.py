"""Small PNG copies of stored pictures, for pages that list them (History's snapshots).

A stored file is not trusted: an older version stored pictures unchecked, and a file can be
damaged on disk. The header's pixel count is read before anything is decoded, and a picture
that is not a PNG, claims too many pixels or fails to decode is refused with a reason the page
shows in its place.
"""

from __future__ import annotations

import io
import struct
from functools import lru_cache
from pathlib import Path

from PIL import Image

from interview_platform.errors import CommunicationError, FileTooDemandingError

THUMBNAIL_SIDE = 800  # pixels, the longer side; History's column is about this wide
MAX_SOURCE_PIXELS = 40_000_000  # what a snapshot may have when stored (4K is 8.3 million)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(head: bytes) -> tuple[int, int]:
    """The width and height a PNG's header (its first 24 bytes) declares, read without decoding
    anything; CommunicationError when the bytes do not start a PNG."""
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise CommunicationError("This file is not a PNG picture (it may be damaged).")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_pixels(width: int, height: int, limit: int = MAX_SOURCE_PIXELS) -> None:
    if width <= 0 or height <= 0 or width * height > limit:
        raise FileTooDemandingError(
            f"This picture claims {width:,} x {height:,} pixels, more than the "
            f"{limit / 1e6:.0f} million that are shown; it was not opened."
        )


def thumbnail(path: Path, side: int = THUMBNAIL_SIDE) -> bytes:
    """A PNG of the picture at `path`, its longer side at most `side` pixels; raises
    CommunicationError, or FileTooDemandingError for a bomb, when it cannot be shown."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise CommunicationError(f"The file cannot be read: {exc.strerror}.") from exc
    return _cached_thumbnail(path, stat.st_mtime_ns, stat.st_size, side)


@lru_cache(maxsize=128)
def _cached_thumbnail(path: Path, mtime_ns: int, size: int, side: int) -> bytes:
    """Keyed by the file's modification time and size, so a replaced file is read again."""
    del mtime_ns, size
    try:
        with path.open("rb") as handle:
            check_pixels(*png_size(handle.read(24)))
            handle.seek(0)
            return _shrink(handle, side)
    except OSError as exc:
        raise CommunicationError(f"The file cannot be read: {exc.strerror}.") from exc


def _shrink(handle: io.BufferedReader, side: int) -> bytes:
    try:
        with Image.open(handle, formats=["PNG"]) as picture:
            check_pixels(*picture.size)  # what Pillow read, should it differ from the header
            picture.thumbnail((side, side))
            out = io.BytesIO()
            picture.save(out, format="PNG", optimize=True)
    except FileTooDemandingError:
        raise
    except Image.DecompressionBombError as exc:
        raise FileTooDemandingError("This picture is too large to open.") from exc
    except Exception as exc:  # truncated, a broken zlib stream, a bad chunk: Pillow's many errors
        raise CommunicationError("This picture is damaged and cannot be shown.") from exc
    return out.getvalue()

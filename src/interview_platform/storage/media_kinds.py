"""How each kind of session media is named (`MediaKind`, `KINDS`) and what its bytes must look
like: the file's signature, a PNG's claimed size, an MP4 that is complete."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import BinaryIO

from interview_platform.core.models import MediaType
from interview_platform.errors import ValidationError

# A picture's largest side and area: a 4K screen is 3840 x 2160. A PNG's header may claim
# any size for a few kilobytes of data, and decoding one of 100,000 x 100,000 pixels (to show
# or shrink it) takes tens of gigabytes.
MAX_PICTURE_SIDE = 8192
MAX_PICTURE_PIXELS = 40_000_000


@dataclass(frozen=True)
class MediaKind:
    """How one media type is named and recognised."""

    media_type: MediaType
    stem: str
    suffix: str
    description: str
    first_unnumbered: bool = False

    def name(self, number: int) -> str:
        if self.first_unnumbered and number == 1:
            return f"{self.stem}{self.suffix}"
        return f"{self.stem}_{number:03d}{self.suffix}"

    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"{self.stem}(?:_(\d{{3,}}))?{re.escape(self.suffix)}")


KINDS = {
    MediaType.AUDIO: MediaKind(MediaType.AUDIO, "recording", ".wav", "audio recording"),
    MediaType.VIDEO: MediaKind(MediaType.VIDEO, "interview", ".mp4", "video", True),
    MediaType.WHITEBOARD: MediaKind(MediaType.WHITEBOARD, "snapshot", ".png", "snapshot"),
    MediaType.SCREEN: MediaKind(MediaType.SCREEN, "capture", ".png", "screen capture"),
}


def looks_like(media_type: MediaType, data: bytes) -> bool:
    """True when the bytes start the way the media type's files do."""
    if media_type is MediaType.AUDIO:
        return data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    if media_type is MediaType.VIDEO:
        return data[4:8] == b"ftyp"
    return data[:8] == b"\x89PNG\r\n\x1a\n"


def check_picture_size(kind: MediaKind, png: bytes) -> None:
    """Refuse a PNG whose header (IHDR, read without decoding) is malformed or claims more
    pixels than a screen holds."""
    if len(png) < 24 or png[12:16] != b"IHDR":
        raise ValidationError(f"The {kind.description} is a damaged PNG file; nothing was saved.")
    width, height = struct.unpack(">II", png[16:24])
    if not (0 < width <= MAX_PICTURE_SIDE and 0 < height <= MAX_PICTURE_SIDE) or (
        width * height > MAX_PICTURE_PIXELS
    ):
        raise ValidationError(
            f"The {kind.description} is {width:,} x {height:,} pixels; at most "
            f"{MAX_PICTURE_SIDE:,} pixels a side and {MAX_PICTURE_PIXELS / 1e6:.0f} million "
            "in all are kept. Nothing was saved."
        )


def mp4_is_complete(handle: BinaryIO, size: int) -> bool:
    """True if the file's top-level ISO BMFF boxes include `moov` and the last one ends at
    the end of the file: a recording cut short (e.g. by a full disk) ends inside a box."""
    offset, kinds = 0, set()
    while offset < size:
        handle.seek(offset)
        header = handle.read(16)
        if len(header) < 8:
            return False
        box_size, kind = struct.unpack(">I4s", header[:8])
        if box_size == 1 and len(header) == 16:
            box_size = struct.unpack(">Q", header[8:])[0]
        elif box_size == 0:  # the last box runs to the end of the file
            box_size = size - offset
        if box_size < 8:
            return False
        kinds.add(kind)
        offset += box_size
    return offset == size and b"moov" in kinds


INCOMPLETE_VIDEO = (
    "The video recording is incomplete (it ends part-way through, e.g. because the disk "
    "filled up); nothing was saved. Check that the disk is not full."
)

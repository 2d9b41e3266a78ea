"""What is wrong with a recording that is no readable WAV file, in words a candidate can act
on; and the audio of one whose header misstates its size (recorders that stream write 0 or
0xFFFFFFFF there)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from interview_platform.errors import ValidationError

MIN_RATE = 4_000  # below this no speech survives; above MAX_RATE no recorder goes
MAX_RATE = 384_000
STREAMED_SIZES = (0, 0xFFFFFFFF)  # "size unknown" as streaming writers leave it
CONTAINERS = (
    (b"ID3", "an MP3"),
    (b"\xff\xfb", "an MP3"),
    (b"\xff\xf3", "an MP3"),
    (b"\xff\xf2", "an MP3"),
    (b"OggS", "an Ogg"),
    (b"\x1aE\xdf\xa3", "a WebM"),
    (b"fLaC", "a FLAC"),
)
EMPTY = "The recording is empty; record again or type your answer."
CUT_SHORT = "The recording's WAV header is cut short; record again or type your answer."
NO_AUDIO = "The recording has no sound after its WAV header; record again or type your answer."
PCM_FORMATS = (1, 0xFFFE)  # plain PCM, and the "extensible" header with a PCM sub-format
MAX_FMT_BYTES = 64


@dataclass(frozen=True)
class WavLayout:
    """What a WAV file's header says, and where its samples lie: found without reading them."""

    rate: int
    channels: int
    width: int  # bytes per sample
    data_start: int
    data_bytes: int  # to the end of the file when the header's size is unknown or too big

    @property
    def frames(self) -> int:
        return self.data_bytes // (self.width * self.channels)

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate


def read_layout(reader: BinaryIO, total: int) -> WavLayout:
    """The layout of the WAV file of `total` bytes in `reader`, read from its headers only
    (seeking past the samples); ValidationError, saying what is wrong, if it is unusable."""
    reader.seek(0)
    _check_riff(reader.read(12))
    fmt, span = _fmt_and_data(reader, total)
    if fmt is None or len(fmt) < 16 or span is None:
        raise ValidationError(CUT_SHORT)
    rate = _checked_rate(fmt)
    kind, channels = int.from_bytes(fmt[0:2], "little"), int.from_bytes(fmt[2:4], "little")
    width = int.from_bytes(fmt[14:16], "little") // 8
    if kind == 0xFFFE and len(fmt) >= 26:
        kind = int.from_bytes(fmt[24:26], "little")
    if kind not in PCM_FORMATS or channels < 1 or width not in (1, 2, 3, 4):
        raise ValidationError(
            f"The recording is not a PCM WAV file this app can read (format {kind}, "
            f"{channels} channels, {8 * width}-bit); record again."
        )
    layout = WavLayout(rate, channels, width, *span)
    if layout.frames < 1 or layout.data_bytes < max(1, int.from_bytes(fmt[12:14], "little")):
        raise ValidationError(NO_AUDIO)
    return layout


def _fmt_and_data(reader: BinaryIO, total: int) -> tuple[bytes | None, tuple[int, int] | None]:
    fmt = None
    offset = 12
    while offset + 8 <= total:
        reader.seek(offset)
        header = reader.read(8)
        ident, size = header[:4], int.from_bytes(header[4:8], "little")
        if ident == b"fmt ":
            fmt = reader.read(min(size, MAX_FMT_BYTES))
        elif ident == b"data":
            start = offset + 8
            cut = size in STREAMED_SIZES or start + size > total
            return fmt, (start, (total if cut else start + size) - start)
        offset += 8 + size + size % 2
    return fmt, None


def check_wav_header(data: bytes) -> None:
    """ValidationError, saying what is wrong, unless `data` starts as a usable WAV file."""
    _check_riff(data)
    fmt, audio = chunk(data, b"fmt "), data_chunk(data)
    if fmt is None or len(fmt) < 16 or audio is None:
        raise ValidationError(CUT_SHORT)
    _checked_rate(fmt)
    if len(audio) < max(1, int.from_bytes(fmt[12:14], "little")):  # not one frame
        raise ValidationError(NO_AUDIO)


def _check_riff(head: bytes) -> None:
    """ValidationError unless `head` (the file's first 12 bytes, or more) opens a RIFF WAVE."""
    if not head:
        raise ValidationError(EMPTY)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise ValidationError(not_wav_message(head))


def _checked_rate(fmt: bytes) -> int:
    """The sample rate the fmt chunk gives; ValidationError if no recorder uses it."""
    rate = int.from_bytes(fmt[4:8], "little")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValidationError(
            f"The recording's WAV header gives a sample rate of {rate} Hz, which no recorder "
            "uses; record again or type your answer."
        )
    return rate


def not_wav_message(data: bytes) -> str:
    kind = container(data)
    found = f"is {kind} file, not a WAV file" if kind else "is not a WAV file"
    return f"The recording {found}; record again or type your answer."


def container(data: bytes) -> str | None:
    """The kind of audio file `data` is, by its first bytes, when it is a common one."""
    if data[4:8] == b"ftyp":
        return "an MP4"
    return next((name for magic, name in CONTAINERS if data.startswith(magic)), None)


def data_chunk(data: bytes) -> bytes | None:
    """The audio bytes of a WAV file: all that follows the data chunk's header when its size
    is unknown or runs past the end of the file; None without a data chunk."""
    for ident, start, size in _chunks(data):
        if ident == b"data":
            end = start + size
            return data[start:] if size in STREAMED_SIZES or end > len(data) else data[start:end]
    return None


def chunk(data: bytes, wanted: bytes) -> bytes | None:
    for ident, start, size in _chunks(data):
        if ident == wanted:
            return data[start : start + size]
    return None


def _chunks(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """(id, where its bytes start, the size its header gives) for each RIFF chunk."""
    offset = 12
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset + 4 : offset + 8], "little")
        yield data[offset : offset + 4], offset + 8, size
        offset += 8 + size + size % 2

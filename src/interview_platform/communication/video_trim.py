"""A finished camera recording that came out larger than the room left for it keeps its
beginning: whole groups of pictures (each from a key frame) are copied, not re-encoded, into a
new MP4 that fits, so it stays playable; the rest is dropped and the candidate told how much
was kept."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from interview_platform.core.ports.files import MB, FileStore
from interview_platform.errors import CommunicationError

INDEX_BYTES = 4_096  # the MP4's headers, besides its index
INDEX_BYTES_PER_PACKET = 48  # an MP4's index grows by about this much per picture


@dataclass(frozen=True)
class Packet:
    size: int
    keyframe: bool
    end_s: float  # when the picture stops showing


@dataclass(frozen=True)
class Kept:
    """What a trimmed recording keeps."""

    seconds: float
    size_bytes: int
    total_seconds: float

    def notice(self, room_bytes: int) -> str:
        return (
            f"The video was larger than the room left for it: kept the first "
            f"{clock(self.seconds)} ({self.size_bytes / MB:.1f} MB) of "
            f"{clock(self.total_seconds)}; the session's storage limits left "
            f"{room_bytes / MB:.1f} MB for it."
        )


def clock(seconds: float) -> str:
    whole = int(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def fit_recording(files: FileStore, session_id: str, path: Path) -> str | None:
    """Trim a finished recording over the room the session's limits leave for it to the whole
    groups of pictures that fit (the encoder's last flush can pass the limit); what was kept,
    for the candidate, or None when it fit. CommunicationError (the recording deleted) when
    not even its first seconds fit."""
    room = files.recording_budget_bytes(session_id, path)
    size = path.stat().st_size
    if size <= room:
        return None
    try:
        kept = keep_what_fits(path, room)
    except (OSError, av.FFmpegError, IndexError):
        kept = None
    if kept is None:
        files.discard_recording(session_id, path)
        raise CommunicationError(
            f"The video ({size / MB:.1f} MB) was not saved: the session's storage limits "
            f"left {room / MB:.1f} MB for it, less than its first seconds need."
        )
    return kept.notice(room)


def keep_what_fits(path: Path, budget_bytes: int) -> Kept | None:
    """Trim the MP4 at `path`, in place, to the whole groups of pictures that fit in
    `budget_bytes`; None (the file untouched) when not even the first group fits."""
    packets = _packets(path)
    if not packets:
        return None
    total_s = max(p.end_s for p in packets)
    count = _fitting(packets, budget_bytes, len(packets) + 1)
    while count:
        trimmed = path.with_name(f"{path.name}.trim")
        try:
            _copy(path, trimmed, count)
            size = trimmed.stat().st_size
            if size <= budget_bytes:
                trimmed.replace(path)
                return Kept(max(p.end_s for p in packets[:count]), size, total_s)
        finally:
            trimmed.unlink(missing_ok=True)
        count = _fitting(packets, budget_bytes - (size - budget_bytes), count)
    return None


def _packets(path: Path) -> list[Packet]:
    with av.open(str(path)) as source:
        stream = source.streams.video[0]
        base = stream.time_base or Fraction(1, 90_000)
        return [
            Packet(p.size, p.is_keyframe, float(((p.pts or 0) + (p.duration or 0)) * base))
            for p in source.demux(stream)
            if p.size
        ]


def _fitting(packets: list[Packet], budget_bytes: int, below: int) -> int:
    """The most packets, fewer than `below` and ending just before a key frame (or at the
    end), whose bytes and index fit in `budget_bytes`; 0 if none."""
    best, used = 0, INDEX_BYTES
    for index, packet in enumerate(packets):
        if packet.keyframe and index and used <= budget_bytes and index < below:
            best = index
        used += packet.size + INDEX_BYTES_PER_PACKET
    if used <= budget_bytes and len(packets) < below:
        best = len(packets)
    return best


def _copy(source_path: Path, target: Path, count: int) -> None:
    with av.open(str(source_path)) as source, av.open(str(target), "w", format="mp4") as out:
        stream = source.streams.video[0]
        copy = out.add_stream_from_template(stream)
        kept = 0
        for packet in source.demux(stream):
            if not packet.size:
                continue
            if kept == count:
                break
            packet.stream = copy
            out.mux(packet)
            kept += 1

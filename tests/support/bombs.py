"""Decompression bombs, built in memory: a PDF whose pages draw a huge run of deflated zeros,
and a PNG that declares a huge canvas of deflated zero rows. Both are a few KB to ~100 KB."""

from __future__ import annotations

import struct
import zlib

MB = 1024 * 1024


def deflated_zeros(size: int, chunk: int = MB) -> bytes:
    """`size` zero bytes, compressed at 1:1000 without ever holding them all in memory."""
    compressor = zlib.compressobj(9)
    zeros = b"\x00" * chunk
    parts = [compressor.compress(zeros) for _ in range(size // chunk)]
    parts.append(compressor.compress(b"\x00" * (size % chunk)))
    parts.append(compressor.flush())
    return b"".join(parts)


def pdf_bomb(decompressed_bytes: int, pages: int = 1) -> bytes:
    """A valid PDF of `pages` pages that all share one FlateDecode content stream of zeros."""
    stream = deflated_zeros(decompressed_bytes)
    kids = " ".join(f"{4 + index} 0 R" for index in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        *[page] * pages,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of width x height, all black: 30000 x 30000 is ~110 KB on
    disk and 900 megapixels once decoded."""
    row = 1 + (width + 7) // 8  # the filter byte, then the packed pixels
    return png(width, height, deflated_zeros(row * height, chunk=row * 1024), bit_depth=1)


def png(width: int, height: int, idat: bytes, *, bit_depth: int = 8, colour: int = 0) -> bytes:
    """A PNG from its header fields and its (already deflated) image data."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

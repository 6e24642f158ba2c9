"""Zip archives a yearly FD index must never be read from: bombs, traversal, encryption, damage."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable

from quant_pipelines.house.documents.safezip import MAX_MEMBER_BYTES, MAX_MEMBERS


def zipped(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of ``members`` (name -> bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb() -> bytes:
    """8 MiB of zeros deflated to a few KiB: inflates about 1000:1."""
    return zipped({"2026FD.xml": b"\0" * (8 * 2**20)})


@functools.cache
def packed_bomb(compression: int, mebibytes: int = 96) -> bytes:
    """``mebibytes`` of zeros bzip2- or LZMA-compressed to a few hundred bytes (Python would
    inflate a 64 KiB read of it in one call, past every size check)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive, archive.open("2026FD.txt", "w") as member:
        for _ in range(mebibytes):
            member.write(bytes(2**20))
    return buffer.getvalue()


def traversal() -> bytes:
    return zipped({"../../2026FD.xml": b"<FinancialDisclosure/>"})


def absolute_path() -> bytes:
    return zipped({"/etc/2026FD.xml": b"<FinancialDisclosure/>"})


def crowd() -> bytes:
    return zipped({f"part{number}.txt": b"x" for number in range(MAX_MEMBERS + 1)})


def giant() -> bytes:
    return zipped({"2026FD.xml": b"<" * (MAX_MEMBER_BYTES + 1)}, compression=zipfile.ZIP_STORED)


def encrypted() -> bytes:
    data = bytearray(zipped({"2026FD.xml": b"<FinancialDisclosure/>"}))
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag in both headers
        at = data.index(marker) + (6 if marker == b"PK\x03\x04" else 8)
        data[at] |= 0x1
    return bytes(data)


def damaged() -> bytes:
    data = bytearray(
        zipped({"2026FD.xml": b"<FinancialDisclosure>" + b"<Member/>" * 500 + b"</FinancialDisclosure>"})
    )
    data[60] ^= 0xFF
    return bytes(data)


def truncated() -> bytes:
    whole = zipped({"2026FD.xml": b"<FinancialDisclosure>" + b"<Member/>" * 500 + b"</FinancialDisclosure>"})
    return whole[: len(whole) // 2]


def html_page() -> bytes:
    return b"<html>Service Unavailable</html>"


# (id, archive, what the refusal says)
CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("bomb", bomb, "zip bomb"),
    ("bzip2-bomb", lambda: packed_bomb(zipfile.ZIP_BZIP2), "compression method 12, not stored or deflated"),
    ("lzma-bomb", lambda: packed_bomb(zipfile.ZIP_LZMA), "compression method 14, not stored or deflated"),
    ("traversal", traversal, "points outside the archive"),
    ("absolute-path", absolute_path, "points outside the archive"),
    ("too-many-members", crowd, f"more than the {MAX_MEMBERS} allowed"),
    ("oversized", giant, "inflates past"),
    ("encrypted", encrypted, "is encrypted"),
    ("damaged", damaged, "damaged"),
    ("truncated", truncated, "not a zip archive"),
    ("not-a-zip", html_page, "not a zip archive"),
]

"""Read named members of an untrusted zip archive in memory, within hard limits.

Nothing is extracted to disk, but a hostile archive is still refused outright: too many
members, path-traversal names, encryption, a member larger than the cap or one that
inflates far beyond what any real index does (a zip bomb). Only stored and deflated members
are read: Python inflates a bzip2 or LZMA member's whole compressed read in one unbounded call,
so no size check could run before the memory is gone.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable

MAX_MEMBERS = 16
MAX_MEMBER_BYTES = 64 * 2**20
MAX_TOTAL_BYTES = 128 * 2**20
# Real FD indexes deflate 5-21x; a zip bomb reaches ~1000x.
MAX_RATIO = 200
_RATIO_FLOOR = 2**20
_CHUNK = 2**16
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_UNSAFE_NAME = re.compile(r"(^[/\\])|(^[A-Za-z]:)|((^|[/\\])\.\.([/\\]|$))|\x00")


class UnsafeArchive(ValueError):
    """The archive is not a zip, or breaks a safety limit; the message is one line."""


def read_members(content: bytes, names: Iterable[str]) -> dict[str, bytes]:
    """The members whose file names match ``names`` (case-insensitively), keyed by lowercased name."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnsafeArchive(f"not a zip archive ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeArchive(f"{len(infos)} members, more than the {MAX_MEMBERS} allowed")
        for info in infos:
            if _UNSAFE_NAME.search(info.filename):
                raise UnsafeArchive(f"member name {info.filename!r} points outside the archive")
            if info.flag_bits & 0x1:
                raise UnsafeArchive(f"member {info.filename!r} is encrypted")
            if info.compress_type not in _METHODS:
                raise UnsafeArchive(
                    f"member {info.filename!r} uses compression method {info.compress_type},"
                    " not stored or deflated (refused unread)"
                )
        wanted = {name.lower() for name in names}
        members, total = {}, 0
        for info in infos:
            if info.is_dir() or info.filename.lower() not in wanted:
                continue
            data = _read_capped(archive, info)
            total += len(data)
            if total > MAX_TOTAL_BYTES:
                raise UnsafeArchive(f"members larger than {MAX_TOTAL_BYTES} bytes in total")
            members[info.filename.lower()] = data
    return members


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Inflate one member, measuring what really comes out rather than trusting its header."""
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > MAX_MEMBER_BYTES:
                    raise UnsafeArchive(f"member {info.filename!r} inflates past {MAX_MEMBER_BYTES} bytes")
                if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
                    raise UnsafeArchive(
                        f"member {info.filename!r} inflates more than {MAX_RATIO}:1 (a zip bomb)"
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as exc:
        raise UnsafeArchive(f"member {info.filename!r} is damaged ({exc})") from None
    return b"".join(chunks)

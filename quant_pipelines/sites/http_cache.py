"""The conditional-GET cache: the last body of a URL with its ETag / Last-Modified, on disk.

Each URL keeps two files under the cache directory, the body and a small JSON record
naming the validators and the body's sha256. Both are written to a temporary file and
renamed into place, so a crash leaves the old pair or the new one, never a torn file; a
body that does not match its record is treated as absent.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CachedResponse:
    """A cached body and the validators the server sent with it."""

    url: str
    content: bytes
    etag: str | None
    last_modified: str | None

    def validators(self) -> dict[str, str]:
        """Request headers that ask the server for the body only if it changed."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class ConditionalCache:
    """Bodies and validators of conditionally fetched URLs in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def lookup(self, url: str) -> CachedResponse | None:
        """The cached response for ``url``, or None when absent, unreadable or inconsistent."""
        record_path, body_path = self._paths(url)
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            content = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if record.get("url") != url or hashlib.sha256(content).hexdigest() != record.get("sha256"):
            return None
        return CachedResponse(url, content, record.get("etag"), record.get("last_modified"))

    def store(self, url: str, content: bytes, *, etag: str | None, last_modified: str | None) -> None:
        """Remember ``content`` for ``url`` when the server gave a validator to revalidate it with."""
        if not etag and not last_modified:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        record_path, body_path = self._paths(url)
        record = {
            "url": url,
            "etag": etag,
            "last_modified": last_modified,
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
        }
        # Body first: a record never points at a body that is not fully written.
        _write_atomically(body_path, content)
        _write_atomically(record_path, json.dumps(record, indent=1).encode("utf-8"))

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return self.directory / f"{key}.json", self.directory / f"{key}.body"


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""A cache of parsed catalog files, so a command does not re-parse every YAML file each time it starts.

Parsing YAML is most of the cost of loading the catalog (and importing the YAML parser is much of
the rest). The cache maps the SHA-256 of each file's bytes to what the parser made of it, stored as
JSON in the user cache folder. It is never a source of truth:

- the key is the file's content, so an edited, added or removed file (or another set of
  UPRIGHT_CATALOG_DIRS) is simply a miss and is parsed again: the cache cannot be stale;
- every cached value still goes through the same model validation and cross-checks as a freshly
  parsed file, so the Catalog is checked exactly as without a cache;
- each entry carries a checksum of its own value: an entry that does not match it (a damaged or
  edited cache) is treated as missing; a cache file that is unreadable, not JSON, from another
  format version or of the wrong shape is ignored as a whole; either way it is replaced; it is written to a temporary file and renamed, so a reader never sees half
  of one (two processes writing at once: the last rename wins, both files were whole);
- values JSON cannot hold exactly (dates, non-text keys) are not cached: such a file is parsed each time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "MISSING", "ParseCache"]

FORMAT = 1  # raise when the stored shape or the parser's output changes
MISSING: Any = object()


class ParseCache:
    """Parsed files by content hash. `lookup`/`store` during a load, then `save` once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.old = self._read(path)
        self.used: dict[str, Any] = {}
        self.changed = False

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("files"), dict)
        ):
            return {}
        files: dict[str, Any] = data["files"]
        return files

    @staticmethod
    def key(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()

    @staticmethod
    def _checksum(value: Any) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()

    def lookup(self, key: str) -> Any:
        """The parsed value for this content, or MISSING (also when the entry is damaged)."""
        entry = self.old.get(key)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == self._checksum(entry[1])):
            return MISSING
        self.used[key] = entry
        return entry[1]

    def store(self, key: str, value: Any) -> None:
        try:
            if json.loads(json.dumps(value)) != value:
                return
        except (TypeError, ValueError):
            return
        self.used[key] = [self._checksum(value), value]
        self.changed = True

    def save(self) -> None:
        """Write what this load used (dropping entries of files that are gone), if anything changed."""
        if not self.changed and self.used.keys() == self.old.keys():
            return
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "files": self.used}, out, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            # A read-only or full cache folder only costs speed; the catalog itself is fine.
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)

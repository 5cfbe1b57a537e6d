"""Files that hold health data are the person's alone: folders 0700, files 0600.

Other accounts on the same computer must not read the database, its WAL/SHM files or an export.
POSIX modes only; on Windows these calls change nothing harmful."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "make_private", "private_folder", "write_private"]

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_folder(folder: Path) -> None:
    """Make the folder (and missing parents) 0700, and tighten it if it exists with wider modes."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    folder.chmod(PRIVATE_DIR)


def make_private(path: Path) -> None:
    """0600 for an existing file (a database made by an older version, its WAL and SHM)."""
    with contextlib.suppress(FileNotFoundError):
        path.chmod(PRIVATE_FILE)


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a file only its owner can read: made 0600 before the first byte lands."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), PRIVATE_FILE)  # an existing file keeps its old mode otherwise
        out.write(data)

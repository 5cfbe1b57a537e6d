"""Backups of a SQLite database, and putting one back.

A backup is made with SQLite's online backup API (one step, so it is one consistent moment even while
the web app writes), into a new file only its owner can read (0600), marked as Upright's with
`PRAGMA application_id`. Restoring checks the file first (a database, Upright's tables, a schema
version this Upright knows, not damaged), keeps the database it replaces aside, and copies the backup
in through the same API so no half-written file is ever in place.

A running `upright serve` holds a shared lock on `<database>.server`; a restore needs it exclusively,
so it refuses while a server runs, and a server cannot start during a restore. PostgreSQL has its own
tools (pg_dump, pg_restore): `postgres_advice` says how."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url

from upright.errors import Conflict, InvalidInput
from upright.store.db import alembic_config, normalize_url

try:  # POSIX; elsewhere the server lock is not taken (restore then trusts the person)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "APPLICATION_ID",
    "BackupInfo",
    "backup_sqlite",
    "postgres_advice",
    "read_backup",
    "restore_sqlite",
    "server_lock",
    "sqlite_path",
]

APPLICATION_ID = 0x55505254  # "UPRT" in the database header: this file is an Upright backup
SQLITE_MAGIC = b"SQLite format 3\x00"
COUNTED = ("people", "screenings", "plans", "sessions", "pain_reports", "break_events")
WORDS = {"people": "people", "screenings": "screenings", "plans": "plans", "sessions": "sessions",
         "pain_reports": "pain scores", "break_events": "break events"}  # fmt: skip


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds: its schema version, how many rows of each kind, the newest session."""

    revision: str
    counts: dict[str, int]
    newest_session: str | None  # as stored (UTC)

    def describe(self) -> str:
        parts = [f"{self.counts.get(t, 0)} {WORDS[t]}" for t in COUNTED if t != "people"]
        newest = f"; newest session {self.newest_session[:10]}" if self.newest_session else ""
        return f"{', '.join(parts)}{newest} (database version {self.revision})"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, None for any other database."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def postgres_advice(url: str) -> str:
    """How to back up and restore a PostgreSQL database with its own tools (no password shown)."""
    given = make_url(normalize_url(url))
    plain = URL.create("postgresql", username=given.username, host=given.host, port=given.port,
                       database=given.database).render_as_string()  # fmt: skip
    return (
        "Your data is in PostgreSQL, which has its own backup tools. Back up with:\n"
        f"  pg_dump --format=custom --file=upright.dump '{plain}'\n"
        "Put it back (stop `upright serve` first) with:\n"
        f"  pg_restore --clean --if-exists --dbname='{plain}' upright.dump\n"
        "Both ask for the password, or read it from ~/.pgpass."
    )


def _known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _info(conn: sqlite3.Connection) -> BackupInfo:
    tables = _tables(conn)
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in COUNTED if t in tables}
    newest = (
        conn.execute("SELECT max(started_at) FROM sessions").fetchone()[0] if "sessions" in tables else None
    )
    return BackupInfo(revision=revision[0] if revision else "none", counts=counts, newest_session=newest)


def read_backup(path: Path) -> BackupInfo:
    """Check that `path` is an Upright database this version can open, and say what it holds.

    Raises InvalidInput("file", ...) with a sentence a person understands when it is not."""
    if not path.is_file():
        raise InvalidInput("file", f"there is no file {path}")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise InvalidInput("file", f"{path.name} is not an Upright backup (it is not a database file)")
    try:
        with closing(_read_only(path)) as conn:
            tables = _tables(conn)
            if not {"people", "alembic_version"} <= tables:
                raise InvalidInput("file", f"{path.name} is a database, but not an Upright backup")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise InvalidInput("file", f"{path.name} is damaged; try an older backup")
            info = _info(conn)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput("file", f"{path.name} cannot be read as a database ({exc})") from None
    if info.revision not in _known_revisions():
        raise InvalidInput(
            "file",
            f"{path.name} comes from a newer Upright (database version {info.revision}); "
            "update Upright first, then restore it",
        )
    return info


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    source.backup(target)  # pages=-1: the whole database in one step, one consistent moment


def backup_sqlite(db_path: Path, dest: Path) -> BackupInfo:
    """Copy the live database at `db_path` into the new file `dest` (0600). Safe while others write."""
    if not db_path.is_file():
        raise InvalidInput("database", f"there is no Upright database at {db_path} yet")
    if dest.exists():
        raise InvalidInput("output", f"{dest} exists already; give a new file name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))  # 0600 before any byte
    try:
        with closing(sqlite3.connect(db_path, timeout=30)) as live, closing(sqlite3.connect(partial)) as out:
            _copy(live, out)
            out.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            out.commit()
            out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            info = _info(out)
        os.chmod(partial, 0o600)
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return info


def restore_sqlite(backup: Path, db_path: Path, *, aside: Path | None) -> BackupInfo:
    """Put `backup` in place of the database at `db_path`. The database it replaces is first copied
    to `aside` (when there is one). The caller holds the server lock (`server_lock(exclusive=True)`)."""
    info = read_backup(backup)
    if aside is not None and db_path.is_file():
        backup_sqlite(db_path, aside)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if not db_path.exists():
        os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT, 0o600))
    with closing(_read_only(backup)) as source, closing(sqlite3.connect(db_path, timeout=30)) as live:
        # The backup API cannot change the page size of a database in WAL mode; leave WAL for the copy
        # (Upright turns it back on when it next opens the database).
        live.execute("PRAGMA journal_mode = DELETE")
        _copy(source, live)
    return info


def _lock_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".server")


@contextmanager
def server_lock(db_path: Path, *, exclusive: bool) -> Iterator[None]:
    """Shared: a server runs on this database. Exclusive: nothing else may run (a restore).
    Raises Conflict when the other kind is held."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fh: IO[Any] = _lock_file(db_path).open("a+")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            except BlockingIOError:
                if exclusive:
                    raise Conflict(
                        "Upright is running (upright serve). Stop it first (Ctrl+C in its window), "
                        "then restore again."
                    ) from None
                raise Conflict(
                    "A restore is putting a backup in place; start Upright when it is done."
                ) from None
        yield
    finally:
        fh.close()  # closing the file frees the lock

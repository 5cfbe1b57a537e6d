"""Open the database, apply migrations, hand out sessions.

SQLite (the default, a file in the user's data folder) runs in WAL mode with foreign keys on, so the
web app and `upright session` in a terminal can use the same file at once. `postgresql://` URLs use
psycopg 3. Only the caller of `Database.transaction()` commits: a request or a command is one unit.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from upright.errors import InvalidInput
from upright.files import PRIVATE_FILE, make_private
from upright.store.person_refs import PersonRefs, person_refs_for

__all__ = [
    "MIGRATIONS_DIR",
    "Database",
    "alembic_config",
    "all_metadata",
    "migrate",
    "migrate_down",
    "normalize_url",
    "open_database",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
NOT_TABLES = frozenset({"db", "repositories", "revision", "backup"})


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 (the driver Upright ships with)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a power cut loses at most the last commit
    cursor.execute(
        "PRAGMA busy_timeout=30000"
    )  # another process writing (the terminal player): wait, do not fail
    cursor.close()


SETTING = "UPRIGHT_DATABASE_URL"  # bad URLs are reported under the name the person sets


def _no_checkpoint_at_commit(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def _private_sqlite_file(database: str) -> None:
    """The file and its WAL/SHM are the person's alone (0600); SQLite makes WAL and SHM with the
    database file's mode. The folder must exist: a typo in the path must not make folders."""
    path = Path(database).expanduser()
    if not path.parent.is_dir():
        raise InvalidInput(SETTING, f"the folder {path.parent} does not exist; make it first or fix the path")
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for suffix in ("", "-wal", "-shm", "-journal"):
        make_private(path.with_name(path.name + suffix))


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput(
            SETTING, "this is not a database address; use sqlite:///path/to/file.db or postgresql://..."
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InvalidInput(
            SETTING, f"{parsed.get_backend_name()!r} is not supported; use sqlite or postgresql"
        )
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for `url` (InvalidInput naming UPRIGHT_DATABASE_URL when it cannot be used).

    hide_parameters: an error's text never carries the values of a query (health data) into logs."""
    url = normalize_url(url)
    parsed = _parse(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                _private_sqlite_file(parsed.database)
            # Connections to a local file are cheap; enough of them that a busy server never queues for one.
            engine = create_engine(
                url,
                connect_args={"check_same_thread": False},
                pool_size=20,
                max_overflow=40,
                pool_timeout=10,
                hide_parameters=True,
            )
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=30, pool_timeout=10, hide_parameters=True
        )
    except (ArgumentError, NoSuchModuleError, TypeError, ValueError) as exc:
        raise InvalidInput(SETTING, f"this address cannot be used: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def all_metadata() -> MetaData:
    """Every table of every store module (tables.py, breaks.py, ...), for Alembic and the schema test.

    Table modules register on the one `Base`; importing them all makes sure none is missed."""
    from upright.store.tables import Base

    for module in pkgutil.iter_modules([str(Path(__file__).resolve().parent)]):
        if module.name not in NOT_TABLES and not module.ispkg:
            importlib.import_module(f"upright.store.{module.name}")
    return Base.metadata


def alembic_config() -> Config:
    """Alembic's settings in code: no alembic.ini to keep in step with the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (idempotent: an up-to-date database is left alone)."""
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def _begin_immediate(_session: Session, _transaction: Any, connection: Any) -> None:
    """SQLite: take the write lock when the transaction starts, not at its first write. A transaction
    that read first and then tried to write while another process wrote would fail at once ("database
    is locked", busy_timeout cannot help a read lock waiting to become a write lock); this way it waits
    its turn (busy_timeout) from the start. PostgreSQL locks rows instead (see repositories.get_plan)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def migrate_down(engine: Engine, revision: str) -> None:
    """Step the schema back to `revision`. When any step would delete stored rows, nothing runs
    (Conflict, with a sentence; store/migrations/refuse.py)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from upright.store.migrations.refuse import refuse_if_rows

    cfg = alembic_config()
    scripts = ScriptDirectory.from_config(cfg)
    with engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        for step in scripts.iterate_revisions(current, revision):
            keeps = getattr(step.module, "KEEPS", ())
            if keeps and step.revision != revision:
                refuse_if_rows(connection, keeps, before=getattr(step.module, "ADDED", step.revision))
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


class Database:
    """One engine and its session factories for the life of the app or command.

    `sessions` for reads and small writes; `write_sessions` for a transaction whose main job is a write
    (a session result): on SQLite it holds the write lock from its first statement. Both work across
    processes (several `--workers`, or the web app and the terminal player on one file): nothing here
    relies on a lock inside one process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # The person and their revision, read on the event loop (the hot read of page requests).
        self.person_refs: PersonRefs = person_refs_for(engine)
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self.write_sessions, "after_begin", _begin_immediate)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def transaction(self) -> AbstractContextManager[Session]:
        """A session that commits when the block ends normally and rolls back on any error."""
        return _committing(self.sessions)

    def write_transaction(self) -> AbstractContextManager[Session]:
        """`transaction` for a write (see `write_sessions`)."""
        return _committing(self.write_sessions)

    def dispose(self) -> None:
        self.person_refs.close()
        self.engine.dispose()

    # -- SQLite's write-ahead log ------------------------------------------------------------------
    # By default the commit that makes the log pass 1000 pages copies it into the main file and waits
    # for the disk (a checkpoint): every 60 or so stored sessions, one request paid several ms and every
    # writer behind it waited too. A long-running server takes the checkpoints over and runs them off
    # the request path (web/checkpoints.py); commands keep SQLite's default.

    def take_over_checkpoints(self) -> None:
        """From now on this process's connections never checkpoint at commit; the caller calls
        `checkpoint` instead. SQLite only."""
        event.listen(self.engine, "connect", _no_checkpoint_at_commit)
        self.engine.dispose()  # connections made before keep the default: close them

    def hand_back_checkpoints(self) -> None:
        """Copy the whole log into the main file and give commits their checkpoints back (at stop)."""
        if event.contains(self.engine, "connect", _no_checkpoint_at_commit):
            event.remove(self.engine, "connect", _no_checkpoint_at_commit)
        self.checkpoint(whole=True)
        self.engine.dispose()

    def checkpoint(self, *, whole: bool) -> int:
        """Copy the log into the main file; returns the log's length in pages. Not `whole`: only what
        no reader still needs, without waiting for anyone, while writers go on (PASSIVE). `whole`: all
        of it, and the log starts again from nothing (TRUNCATE: waits for the writer of the moment)."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(f"PRAGMA wal_checkpoint({'TRUNCATE' if whole else 'PASSIVE'})")
            row = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        assert row is not None  # the pragma always answers (busy, pages in the log, pages copied)
        return int(row[1])


def open_database(url: str, *, run_migrations: bool = True) -> Database:
    """Open (and by default migrate) the database at `url`. A database that cannot be reached is one
    line naming UPRIGHT_DATABASE_URL (InvalidInput), not a traceback."""
    engine = make_engine(url)
    if run_migrations:
        try:
            migrate(engine)
        except DBAPIError as exc:
            engine.dispose()
            raise InvalidInput(SETTING, f"cannot open the database: {_first_line(exc)}") from None
    return Database(engine)


@contextmanager
def _committing(make: sessionmaker[Session]) -> Iterator[Session]:
    with make() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

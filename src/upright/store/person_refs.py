"""The person's (id, key, revision), read on the event loop: the one read nearly every page request
starts with (the Today page's cache key), without a worker-thread hop or the pool's pre-ping.

It is read from the database on every call, never remembered: another process may have written
(the triggers change `people.revision`) or deleted the person since. `get` answers None when it
cannot tell (no such person yet, a busy or broken connection, a database it does not serve); the
caller then asks the ordinary way (a worker thread and the engine), which also makes the person the
first time and reports a database that is down. So nothing here can make an answer wrong, only slower.

- SQLite: one connection of its own, autocommit (each SELECT sees the newest commit: WAL readers do
  not wait for the writer) and a busy timeout of 0, so the event loop never sleeps in SQLite's busy
  handler; SQLITE_BUSY (a rare WAL recovery) falls back. `query_only`: it cannot write.
- PostgreSQL: a few psycopg async connections (autocommit, one SELECT, prepared by psycopg after a few
  uses). No pre-ping: a connection that fails (the server restarted, the backend was killed) is
  closed and the read is tried once more on a new one, which is what a pre-ping would have bought."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sqlite3
import threading
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

from sqlalchemy import Engine

if TYPE_CHECKING:  # imported when first used: commands on SQLite never load the driver
    import psycopg

__all__ = ["PersonRef", "PersonRefs", "person_refs_for"]


class PersonRef(NamedTuple):
    id: int
    key: str
    revision: int


class PersonRefs(Protocol):
    async def get(self, key: str) -> PersonRef | None: ...

    def close(self) -> None: ...


class _NoRefs:
    """A database this reader does not serve (SQLite in memory, a URL with options): always ask the
    ordinary way."""

    async def get(self, key: str) -> PersonRef | None:
        return None

    def close(self) -> None:
        pass


class _Statement:
    """The repository's statement (repositories.PERSON_REF) in this driver's parameter style, made at
    its first use (a command that never serves a page never builds it)."""

    def __init__(self, engine: Engine) -> None:
        self._dialect = engine.dialect

    @functools.cached_property
    def sql(self) -> str:
        from upright.store.repositories import PERSON_REF

        return str(PERSON_REF.compile(dialect=self._dialect))


class _SqliteRefs:
    def __init__(self, path: str, statement: _Statement) -> None:
        self._path = path
        self._statement = statement
        self._conn: sqlite3.Connection | None = None
        # One connection; an event loop in another thread (tests run several) that finds it in use
        # asks the ordinary way instead of waiting.
        self._lock = threading.Lock()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._path, timeout=0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only=ON")
        return conn

    async def get(self, key: str) -> PersonRef | None:
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._conn is None:
                self._conn = self._open()
            # fetchall: the statement runs to its end, so the read transaction ends here and the next
            # call sees the newest commit (a half-read statement would keep its snapshot).
            rows = self._conn.execute(self._statement.sql, (key,)).fetchall()
        except sqlite3.Error:  # busy (WAL recovery) or damaged: the ordinary way knows what to say
            self._close()
            return None
        finally:
            self._lock.release()
        return PersonRef(*rows[0]) if rows else None

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self._close()


# Connections one process keeps for these reads; a read takes one for about one round trip, so a few
# serve many concurrent requests (others wait for one, on the event loop).
POSTGRES_CONNECTIONS: Final = 4


class _PostgresRefs:
    def __init__(self, conninfo: str, statement: _Statement) -> None:
        self._conninfo = conninfo
        self._statement = statement
        self._idle: list[psycopg.AsyncConnection[tuple[Any, ...]]] = []
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _slots_here(self) -> asyncio.Semaphore:
        """The semaphore belongs to one event loop (tests start several, one after another)."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self._slots, self._loop = asyncio.Semaphore(POSTGRES_CONNECTIONS), loop
        return self._slots

    async def _connect(self) -> psycopg.AsyncConnection[tuple[Any, ...]]:
        import psycopg

        # A server that does not answer at all: give up after a while (libpq would wait for the
        # operating system's own limit, minutes) and let the ordinary way report it.
        return await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True, connect_timeout=10)

    async def get(self, key: str) -> PersonRef | None:
        import psycopg

        async with self._slots_here():
            conn = self._idle.pop() if self._idle else None
            for kept in (conn is not None, False):
                try:
                    if conn is None:
                        conn = await self._connect()
                    cur = await conn.execute(self._statement.sql, {"key": key})
                    row = await cur.fetchone()
                except psycopg.Error:
                    # A kept connection may have died with its server or backend: close it, try once
                    # on a new one. A new one that fails too means the database is down or refuses.
                    if conn is not None:
                        await conn.close()
                        conn = None
                    if kept:
                        continue
                    return None
                except BaseException:  # cancelled mid-read: the connection's state is unknown
                    if conn is not None:
                        await conn.close()
                    raise
                self._idle.append(conn)
                return PersonRef(*row) if row is not None else None
        return None  # pragma: no cover - the loop always returns

    def close(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.pgconn.finish()  # what AsyncConnection.close() does, callable outside the event loop


def person_refs_for(engine: Engine) -> PersonRefs:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.query:
            return _NoRefs()
        return _SqliteRefs(url.database, _Statement(engine))
    if url.get_backend_name() == "postgresql" and url.get_driver_name() == "psycopg":
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return _PostgresRefs(conninfo, _Statement(engine))
    return _NoRefs()

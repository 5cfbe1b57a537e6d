"""Dependencies for the patient's pages and /api/me: the request's database session, the person, the
clock and time zone. (Who may write at all is checked before any of this: web/security.py.)

The session commits when the endpoint returns (scope="function"), before the response is sent, so
a client that got a success knows its data is stored."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Annotated, Any, Final, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from upright import clock
from upright.services.people import current_person, current_person_ref, current_person_ref_async
from upright.store import Database

__all__ = [
    "CurrentPerson",
    "DbDep",
    "LocalTz",
    "NowDep",
    "PersonDep",
    "WriteDbDep",
    "find_person",
    "in_write_transaction",
    "person_in",
    "side_write_turn",
    "write_slots",
]

T = TypeVar("T")


def _end(session: Session, *, ok: bool) -> None:
    """Commit (or roll back) and close, right here on the event loop's thread, on purpose: a commit
    never waits for a lock (locks are taken by the writes before it), and needing a worker thread for
    it could deadlock: every worker busy waiting for a lock that only this commit would free."""
    try:
        if ok:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def _db(request: Request) -> AsyncIterator[Session]:
    """The request's session. Async: opening it needs no worker thread (nothing touches the database
    until the endpoint runs)."""
    database: Database = request.app.state.db
    session = database.sessions()
    try:
        yield session
    except BaseException:
        _end(session, ok=False)
        raise
    _end(session, ok=True)


async def _now() -> datetime:  # async: no worker thread just to read the clock
    return clock.now()


async def _tz() -> tzinfo:
    """The computer's own time zone: personal mode runs on the person's computer."""
    return clock.local_zone()


# At most this many write transactions wait for the database's lock at once in one process, so
# worker threads are always left for the lock holder: FastAPI checks a sync endpoint's response in a
# worker thread *before* this dependency commits, and with every thread waiting for the lock the
# holder could never get there. Order and correctness come from the database's locks, not this.
WRITE_SLOTS: Final = 4
# SQLite lets one transaction write at a time, and a second one waiting for its lock sleeps in steps
# (its busy handler: 1, 2, 5 ... 100 ms) rather than being woken when the lock is free: under load
# most of a write's time went to those sleeps. So one process sends it one write at a time; the rest
# wait here, woken at once. Other processes still take turns through the lock itself (BEGIN
# IMMEDIATE), so nothing depends on this for correctness.
SQLITE_WRITE_SLOTS: Final = 1


def write_slots(app: FastAPI) -> asyncio.Semaphore:
    """This app's turns at writing (WRITE_SLOTS, SQLITE_WRITE_SLOTS)."""
    slots: asyncio.Semaphore | None = getattr(app.state, "write_slots", None)
    if slots is None:
        database: Database = app.state.db
        n = SQLITE_WRITE_SLOTS if database.backend == "sqlite" else WRITE_SLOTS
        slots = app.state.write_slots = asyncio.Semaphore(n)
    return slots


def side_write_turn(app: FastAPI) -> contextlib.AbstractAsyncContextManager[Any]:
    """The turn a short write beside a request's own work takes (the clinic gate's session-seen and
    audit row). On SQLite, this process's turn at writing like the endpoints' writes, instead of
    sleeping in the lock's busy handler behind them (SQLITE_WRITE_SLOTS). None on PostgreSQL: its row
    locks wake a waiter at once, and every request, reads too, would queue behind the writes."""
    database: Database = app.state.db
    return write_slots(app) if database.backend == "sqlite" else contextlib.nullcontext()


async def _db_write(request: Request) -> AsyncIterator[Session]:
    """A session for a request whose main job is a write. On SQLite it takes the write lock at its
    first statement, in the endpoint's worker thread (Database.write_sessions), and waits its turn
    there; on PostgreSQL row locks order the writes. Both hold across server processes, unlike a lock
    inside one process."""
    database: Database = request.app.state.db
    async with write_slots(request.app):
        session = database.write_sessions()
        try:
            yield session
        except BaseException:
            _end(session, ok=False)
            raise
        _end(session, ok=True)


async def in_write_transaction(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in one write transaction (Database.write_transaction) in one worker-thread hop: the
    transaction begins, does all its work and commits in that thread, so the request needs no
    dependency that opens it, nor a second hop to check or commit. Only a few of these wait for the
    database's lock at once (write_slots), so threads are left for reads."""
    database: Database = request.app.state.db

    def run() -> T:
        with database.write_transaction() as s:
            return work(s)

    async with write_slots(request.app):
        return await run_in_threadpool(run)


DbDep = Annotated[Session, Depends(_db, scope="function")]
# For sync endpoints whose main job is a write (break settings and events): see _db_write.
WriteDbDep = Annotated[Session, Depends(_db_write, scope="function")]
NowDep = Annotated[datetime, Depends(_now)]
LocalTz = Annotated[tzinfo, Depends(_tz)]


@dataclass(frozen=True)
class CurrentPerson:
    """Who the request is for (plain values: safe to keep between requests, unlike a database row)."""

    id: int
    key: str
    # The person's data revision when this request began (people.revision: the database changes it with
    # every write to their rows). Read before anything else the request reads, so a page cached under
    # it can only be newer than it, never older.
    revision: int


def person_in(s: Session, request: Request, now: datetime) -> CurrentPerson:
    """Find (or, the first time, make) the request's person in the transaction `s`.

    Clinic mode: the signed-in patient's own `people` row (the gate has checked the role)."""
    settings = request.app.state.settings
    if settings.is_clinic:
        from upright.services.accounts import person_of_patient

        row = person_of_patient(s, getattr(request.state, "user", None), now=now)
        return CurrentPerson(row.id, row.key, row.revision)
    found = current_person_ref(s.connection(), settings)  # the usual case: one statement, no ORM object
    if found is not None:
        return CurrentPerson(found.id, found.key, found.revision)
    row = current_person(s, settings, now=now)
    return CurrentPerson(row.id, row.key, row.revision)


def _load_person(request: Request, now: datetime) -> CurrentPerson:
    """The person, in a short transaction of its own: its connection is back in the pool at once,
    and the request's own transaction holds no lock for it."""
    database: Database = request.app.state.db
    settings = request.app.state.settings
    # Personal mode, when the event-loop read (find_person) could not tell or does not serve this
    # database (in memory, a URL with options): one statement on a bare connection, no ORM session.
    if not settings.is_clinic:
        with database.engine.connect() as c:
            found = current_person_ref(c, settings)
        if found is not None:
            return CurrentPerson(found.id, found.key, found.revision)
    with database.transaction() as s:
        return person_in(s, request, now)


async def find_person(request: Request, now: datetime) -> CurrentPerson:
    """Looked up for every request, not remembered in the process: with several server processes, one
    of them may have written (a new revision), deleted the person or made them anew since.

    Personal mode reads it on the event loop (one indexed SELECT, no worker thread: the hot read of
    every page); the first time (the person is made), clinic mode, or when that read cannot tell (a
    busy or broken connection) it is one worker-thread hop (_load_person)."""
    settings = request.app.state.settings
    if not settings.is_clinic:
        database: Database = request.app.state.db
        found = await current_person_ref_async(database, settings)
        if found is not None:
            return CurrentPerson(found.id, found.key, found.revision)
    return await run_in_threadpool(_load_person, request, now)


async def _person(request: Request, now: NowDep) -> CurrentPerson:
    return await find_person(request, now)


PersonDep = Annotated[CurrentPerson, Depends(_person)]

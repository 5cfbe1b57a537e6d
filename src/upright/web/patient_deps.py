"""Dependencies for the patient's pages and /api/me: the request's database session, the person, the
clock and time zone, and a same-origin check on every write.

The session commits when the endpoint returns (scope="function"), before the response is sent, so
a client that got a success knows its data is stored."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from upright.services.people import current_person, find_current_person
from upright.store import Database
from upright.store.tables import PersonRow

__all__ = [
    "CurrentPerson",
    "DbDep",
    "LocalTz",
    "NowDep",
    "PersonDep",
    "WriteDbDep",
    "forget_person",
    "same_origin",
]


async def _db(request: Request) -> AsyncIterator[Session]:
    """The request's session. Async so that opening it needs no worker thread (nothing touches the
    database until the endpoint runs); the commit at the end runs in one."""
    database: Database = request.app.state.db
    session = database.sessions()
    try:
        yield session
        await run_in_threadpool(session.commit)
    except BaseException:
        await run_in_threadpool(session.rollback)
        raise
    finally:
        await run_in_threadpool(session.close)


def _now() -> datetime:  # sync on purpose: pages/breaks.py calls it directly for the Today panel
    return datetime.now(UTC)


async def _tz() -> tzinfo:
    """The computer's own time zone: personal mode runs on the person's computer."""
    zone = datetime.now().astimezone().tzinfo
    return zone or UTC


async def _db_write(request: Request) -> AsyncIterator[Session]:
    """A session for a request whose main job is a write. SQLite has one writer at a time: requests of
    this process take turns here, waiting without holding a worker thread (a thread blocked on a lock
    could starve the one holding it), instead of racing for the file lock and timing out under load."""
    database: Database = request.app.state.db
    lock: asyncio.Lock | None = getattr(request.app.state, "write_lock", None)
    if lock is None and database.backend == "sqlite":
        lock = request.app.state.write_lock = asyncio.Lock()
    async with lock or contextlib.nullcontext():
        session = database.sessions()
        try:
            yield session
            await run_in_threadpool(session.commit)
        except BaseException:
            await run_in_threadpool(session.rollback)
            raise
        finally:
            await run_in_threadpool(session.close)


DbDep = Annotated[Session, Depends(_db, scope="function")]
# For endpoints whose main job is a write (a session result): on SQLite they take turns in-process.
WriteDbDep = Annotated[Session, Depends(_db_write, scope="function")]
NowDep = Annotated[datetime, Depends(_now)]
LocalTz = Annotated[tzinfo, Depends(_tz)]


def _load_person(request: Request, db: Session, now: datetime) -> PersonRow:
    """The person, created in a short transaction of its own the first time. The request's own
    transaction then holds no write lock for a plain page view (SQLite has one writer at a time)."""
    settings = request.app.state.settings
    found = find_current_person(db, settings)
    if found is None:
        database: Database = request.app.state.db
        with database.transaction() as s:
            current_person(s, settings, now=now)
        found = find_current_person(db, settings)
        assert found is not None
    return found


@dataclass(frozen=True)
class CurrentPerson:
    """Who the request is for (plain values: safe to keep between requests, unlike a database row)."""

    id: int
    key: str


async def _person(request: Request, db: DbDep, now: NowDep) -> CurrentPerson:
    """Personal mode has one person: remembered after the first look (forget_person() after a delete)."""
    cached: CurrentPerson | None = getattr(request.app.state, "person", None)
    if cached is None:
        row = await run_in_threadpool(_load_person, request, db, now)
        cached = request.app.state.person = CurrentPerson(row.id, row.key)
    return cached


def forget_person(request: Request) -> None:
    """Call after deleting the person: the next request finds (or makes) them again."""
    request.app.state.person = None


PersonDep = Annotated[CurrentPerson, Depends(_person)]


async def same_origin(request: Request) -> None:
    """Refuse writes a browser made for another site (a page elsewhere posting to this local app).

    Browsers mark every request with Sec-Fetch-Site; scripts and the CLI send none and are allowed."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise HTTPException(status_code=403, detail="This change must come from Upright's own pages.")

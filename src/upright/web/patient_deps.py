"""Dependencies for the patient's pages and /api/me: the request's database session, the person, the
clock and time zone, and a same-origin check on every write.

The session commits when the endpoint returns (scope="function"), before the response is sent, so
a client that got a success knows its data is stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from upright.services.people import current_person, find_current_person
from upright.store import Database
from upright.store.tables import PersonRow

__all__ = ["DbDep", "LocalTz", "NowDep", "PersonDep", "same_origin"]


def _db(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.db
    with database.transaction() as session:
        yield session


def _now() -> datetime:
    return datetime.now(UTC)


def _tz() -> tzinfo:
    """The computer's own time zone: personal mode runs on the person's computer."""
    zone = datetime.now().astimezone().tzinfo
    return zone or UTC


DbDep = Annotated[Session, Depends(_db, scope="function")]
NowDep = Annotated[datetime, Depends(_now)]
LocalTz = Annotated[tzinfo, Depends(_tz)]


def _person(request: Request, db: DbDep, now: NowDep) -> PersonRow:
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


PersonDep = Annotated[PersonRow, Depends(_person)]


def same_origin(request: Request) -> None:
    """Refuse writes a browser made for another site (a page elsewhere posting to this local app).

    Browsers mark every request with Sec-Fetch-Site; scripts and the CLI send none and are allowed."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise HTTPException(status_code=403, detail="This change must come from Upright's own pages.")

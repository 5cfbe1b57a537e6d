"""Small, typed queries over the tables. They add and flush; they never commit (the caller does).

Every function that touches health data takes the person's id, so one person can never read
another's rows by passing a bare record id."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, selectinload

from upright.store.tables import (
    PainReportRow,
    PersonRow,
    PlanRow,
    ProfileRow,
    ScreeningRow,
    SessionItemRow,
    SessionRow,
)


def profile_defaults() -> dict[str, Any]:
    """What a new person starts with (fresh lists each call). The one place these defaults live."""
    return {
        "setting": "home",
        "equipment": [],
        "conditions": [],
        "minutes": 15,
        "focus": "mixed",
        "sessions_per_week": 3,
        "reminders_on": False,
        "voice_on": True,
        "bell_on": False,
    }


__all__ = [
    "LOCAL_PERSON",
    "PERSON_REF",
    "active_plan",
    "add_pain_report",
    "add_plan",
    "add_rows",
    "add_screening",
    "add_session",
    "add_sessions_in_bulk",
    "count_sessions",
    "delete_person",
    "ensure_person",
    "find_person",
    "find_session",
    "first_pain_score",
    "get_person",
    "get_plan",
    "get_profile",
    "get_session",
    "has_plan",
    "history_counts",
    "insert_session",
    "key_pain_rows",
    "last_pain_row",
    "latest_red_flag",
    "latest_screening",
    "latest_screening_outcome",
    "list_plans",
    "list_screenings",
    "list_sessions",
    "lock_plan",
    "pain_reports",
    "pain_rows",
    "person_ref",
    "profile_defaults",
    "recent_screenings",
    "save_profile",
    "session_hash",
    "session_start_times",
    "set_plan_body",
]

LOCAL_PERSON = "local"  # personal mode's one person


def person_ref(c: Connection, key: str) -> Row[int, str, int] | None:
    """(id, key, revision) of the person with this key, on a bare connection: the one read most
    requests start with, kept as cheap as it gets."""
    return c.execute(PERSON_REF, {"key": key}).one_or_none()


# Also read on the event loop, in each driver's own words (store/person_refs.py).
PERSON_REF = select(PersonRow.id, PersonRow.key, PersonRow.revision).where(PersonRow.key == bindparam("key"))


def find_person(s: Session, key: str) -> PersonRow | None:
    return s.scalars(select(PersonRow).where(PersonRow.key == key)).one_or_none()


def ensure_person(s: Session, key: str, *, now: datetime) -> PersonRow:
    """The person with this key, created if missing. Safe when two first requests race."""
    found = find_person(s, key)
    if found is not None:
        return found
    dialect = s.get_bind().dialect.name
    values = {"key": key, "created_at": now}
    if dialect == "postgresql":
        s.execute(postgresql.insert(PersonRow).values(values).on_conflict_do_nothing(index_elements=["key"]))
    elif dialect == "sqlite":
        s.execute(sqlite.insert(PersonRow).values(values).on_conflict_do_nothing(index_elements=["key"]))
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        s.add(PersonRow(**values))
        s.flush()
    person = find_person(s, key)
    assert person is not None
    return person


def get_person(s: Session, person_id: int) -> PersonRow | None:
    return s.get(PersonRow, person_id)


def history_counts(s: Session, person_id: int) -> dict[str, int]:
    """How many rows of each kind of history the person has (the profile and break settings are
    settings, not history; a clinic's prescriptions, clearances and alerts are history)."""
    from upright.store.breaks import BreakEventRow
    from upright.store.clinic_care import ClearanceRow, ClinicAlertRow, PrescriptionRow

    columns = {"screenings": ScreeningRow.person_id, "plans": PlanRow.person_id, "sessions": SessionRow.person_id,
               "pain_reports": PainReportRow.person_id, "break_events": BreakEventRow.person_id,
               "prescriptions": PrescriptionRow.person_id, "clearances": ClearanceRow.person_id,
               "clinic_alerts": ClinicAlertRow.person_id}  # fmt: skip
    return {
        name: s.scalar(select(func.count()).where(column == person_id)) or 0
        for name, column in columns.items()
    }


def add_rows(s: Session, rows: Sequence[object]) -> None:
    """Add rows exactly as given, in this order (their ids follow it), with no side effects: for
    bringing back data that was stored before (services.data_import)."""
    s.add_all(rows)  # the unit of work inserts one table's rows in the order they were added
    s.flush()


def delete_person(s: Session, person_id: int) -> None:
    """Remove the person and, through ON DELETE CASCADE, every row about them."""
    s.execute(delete(PersonRow).where(PersonRow.id == person_id))
    s.expunge_all()


# -- profile -------------------------------------------------------------------------------------


def get_profile(s: Session, person_id: int) -> ProfileRow | None:
    return s.get(ProfileRow, person_id)


def save_profile(s: Session, person_id: int, *, now: datetime, **values: object) -> ProfileRow:
    profile = s.get(ProfileRow, person_id)
    if profile is None:
        profile = ProfileRow(person_id=person_id, updated_at=now, **profile_defaults())
        s.add(profile)
    for name, value in values.items():
        if not hasattr(ProfileRow, name) or name in ("person_id", "person"):
            raise AttributeError(f"profiles has no column {name!r}")
        setattr(profile, name, value)
    profile.updated_at = now
    s.flush()
    return profile


# -- screenings ----------------------------------------------------------------------------------


def add_screening(s: Session, row: ScreeningRow) -> ScreeningRow:
    s.add(row)
    s.flush()
    return row


def latest_screening(s: Session, person_id: int) -> ScreeningRow | None:
    q = (
        select(ScreeningRow)
        .where(ScreeningRow.person_id == person_id)
        .order_by(ScreeningRow.taken_at.desc(), ScreeningRow.id.desc())
        .limit(1)
    )
    return s.scalars(q).one_or_none()


# Statements a session result runs every time, built once: their values are bound parameters.
_LATEST_OUTCOME = (
    select(ScreeningRow.outcome)
    .where(ScreeningRow.person_id == bindparam("person_id"))
    .order_by(ScreeningRow.taken_at.desc(), ScreeningRow.id.desc())
    .limit(1)
)


def latest_screening_outcome(s: Session, person_id: int) -> str | None:
    """Only the newest screening's outcome (one column): enough to know whether a stop stands."""
    return s.connection().execute(_LATEST_OUTCOME, {"person_id": person_id}).scalar()


def recent_screenings(s: Session, person_id: int, *, limit: int) -> Sequence[ScreeningRow]:
    """The newest `limit` screenings, newest first (index ix_screenings_person_taken)."""
    q = (
        select(ScreeningRow)
        .where(ScreeningRow.person_id == person_id)
        .order_by(ScreeningRow.taken_at.desc(), ScreeningRow.id.desc())
        .limit(limit)
    )
    return s.scalars(q).all()


def list_screenings(s: Session, person_id: int) -> Sequence[ScreeningRow]:
    q = (
        select(ScreeningRow)
        .where(ScreeningRow.person_id == person_id)
        .order_by(ScreeningRow.taken_at, ScreeningRow.id)
    )
    return s.scalars(q).all()


# -- plans ---------------------------------------------------------------------------------------


def add_plan(s: Session, row: PlanRow) -> PlanRow:
    """Store a plan and make it the active one (a person follows one program at a time)."""
    s.execute(
        update(PlanRow).where(PlanRow.person_id == row.person_id, PlanRow.is_active).values(is_active=False)
    )
    row.is_active = True
    s.add(row)
    s.flush()
    return row


def active_plan(s: Session, person_id: int) -> PlanRow | None:
    q = (
        select(PlanRow)
        .where(PlanRow.person_id == person_id, PlanRow.is_active)
        .order_by(PlanRow.id.desc())
        .limit(1)
    )
    return s.scalars(q).one_or_none()


def get_plan(s: Session, person_id: int, plan_id: int, *, for_update: bool = False) -> PlanRow | None:
    """The plan; `for_update` locks its row until the transaction ends (PostgreSQL; SQLite's writers
    take turns anyway), so two servers moving its doses at once apply one change after the other.
    NO KEY UPDATE: a session row being stored for this plan holds a key-share lock on it (its foreign
    key), which a plain FOR UPDATE would wait for, and two such transactions would wait for each other.
    (SQLAlchemy spells FOR NO KEY UPDATE as key_share=True.)"""
    q = select(PlanRow).where(PlanRow.person_id == person_id, PlanRow.id == plan_id)
    return s.scalars(q.with_for_update(key_share=True) if for_update else q).one_or_none()


def has_plan(s: Session, person_id: int, plan_id: int) -> bool:
    """Whether this plan is the person's (a session result names it). Its row is kept from being
    deleted until the commit (PostgreSQL's FOR KEY SHARE, the lock a foreign key takes), without
    waiting for the person's other results, which lock it for their doses (lock_plan)."""
    return s.connection().execute(_HAS_PLAN, {"person_id": person_id, "plan_id": plan_id}).first() is not None


_HAS_PLAN = (
    select(PlanRow.id)
    .where(PlanRow.person_id == bindparam("person_id"), PlanRow.id == bindparam("plan_id"))
    .with_for_update(read=True, key_share=True)
)


def lock_plan(s: Session, person_id: int, plan_id: int) -> Row[Any] | None:
    """The plan's (id, source, is_active, body) as plain values, its row locked as in `get_plan`: what
    a stored session result reads to move the doses (has_plan checked earlier that it is theirs)."""
    return s.connection().execute(_LOCK_PLAN, {"person_id": person_id, "plan_id": plan_id}).one_or_none()


_LOCK_PLAN = (
    select(PlanRow.id, PlanRow.source, PlanRow.is_active, PlanRow.body)
    .where(PlanRow.person_id == bindparam("person_id"), PlanRow.id == bindparam("plan_id"))
    .with_for_update(key_share=True)
)


def _table(row_class: Any) -> Table:
    table = row_class.__table__
    assert isinstance(table, Table)
    return table


def set_plan_body(s: Session, person_id: int, plan_id: int, body: dict[str, Any]) -> None:
    """The plan's new body (its doses moved): Core, no ORM object to load or keep in step; the statement
    is built once, as every stored session sends one."""
    s.connection().execute(_SET_PLAN_BODY, {"owner": person_id, "plan": plan_id, "new_body": body})


_PLANS = _table(PlanRow)
_SET_PLAN_BODY = (
    update(_PLANS)
    .where(_PLANS.c.person_id == bindparam("owner"), _PLANS.c.id == bindparam("plan"))
    .values(body=bindparam("new_body"))  # an UPDATE's parameters may not carry its columns' names
)


def first_pain_score(s: Session, person_id: int, contexts: Sequence[str]) -> int | None:
    """The oldest score given in one of these contexts (the person's usual level)."""
    return s.connection().execute(_FIRST_SCORE, {"person_id": person_id, "contexts": list(contexts)}).scalar()


_FIRST_SCORE = (
    select(PainReportRow.score)
    .where(
        PainReportRow.person_id == bindparam("person_id"),
        PainReportRow.context.in_(bindparam("contexts", expanding=True)),
    )
    .order_by(PainReportRow.taken_at, PainReportRow.id)
    .limit(1)
)


def list_plans(s: Session, person_id: int) -> Sequence[PlanRow]:
    return s.scalars(select(PlanRow).where(PlanRow.person_id == person_id).order_by(PlanRow.id)).all()


# -- sessions ------------------------------------------------------------------------------------


def _with_children() -> tuple[object, ...]:
    return (selectinload(SessionRow.items), selectinload(SessionRow.pain_reports))


def find_session(s: Session, person_id: int, client_id: str) -> SessionRow | None:
    q = (
        select(SessionRow)
        .where(SessionRow.person_id == person_id, SessionRow.client_id == client_id)
        .options(*_with_children())  # type: ignore[arg-type]
    )
    return s.scalars(q).one_or_none()


def session_hash(s: Session, person_id: int, client_id: str) -> str | None:
    """The content hash of the session stored under this client id, if any (nothing else is read)."""
    return s.connection().execute(_SESSION_HASH, {"person_id": person_id, "client_id": client_id}).scalar()


_SESSION_HASH = select(SessionRow.content_hash).where(
    SessionRow.person_id == bindparam("person_id"), SessionRow.client_id == bindparam("client_id")
)


def insert_session(
    s: Session, session: dict[str, Any], items: Sequence[dict[str, Any]], pains: Sequence[dict[str, Any]]
) -> tuple[int, list[int]]:
    """Store a session with its exercises and pain scores: one INSERT per table, the rows of a table
    sent together (executemany: SQLite's in one call, PostgreSQL's as multi-row VALUES), no ORM objects.
    The statements are built once and sent on the transaction's connection (not through the ORM
    session's execute, which costs more than SQLite's own work here). Returns the session's id and
    the pain scores' ids in the order given. Raises IntegrityError on a duplicate client id (the
    service decides what that means)."""
    c = s.connection()
    session_id: int = c.execute(_INSERT_SESSION, session).scalar_one()
    if items:
        c.execute(_INSERT_ITEMS, [{**i, "session_id": session_id} for i in items])
    pain_ids: list[int] = []
    if pains:
        pain_ids = list(c.execute(_INSERT_PAINS, [{**p, "session_id": session_id} for p in pains]).scalars())
    return session_id, pain_ids


_INSERT_SESSION = insert(_table(SessionRow)).returning(_table(SessionRow).c.id)
_INSERT_ITEMS = insert(_table(SessionItemRow))
# Several rows with their new ids back, each matched to its row (SQLAlchemy sorts them).
_INSERT_PAINS = insert(_table(PainReportRow)).returning(
    _table(PainReportRow).c.id, sort_by_parameter_order=True
)


def get_session(s: Session, person_id: int, session_id: int) -> SessionRow | None:
    q = (
        select(SessionRow)
        .where(SessionRow.person_id == person_id, SessionRow.id == session_id)
        .options(*_with_children())  # type: ignore[arg-type]
    )
    return s.scalars(q).one_or_none()


def add_session(s: Session, row: SessionRow) -> SessionRow:
    """Add a session with its items and pain reports in one flush (raises IntegrityError on a
    duplicate client id; the service decides what that means)."""
    s.add(row)
    s.flush()
    return row


def add_sessions_in_bulk(
    s: Session, sessions: Sequence[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]
) -> list[tuple[int, list[int]]]:
    """Many sessions at once, each as (session row, its item rows, its pain rows) without session ids
    (services.session_results builds them): one executemany per table, no ORM objects, for filling a
    demo database fast. Returns each session's id with its pain reports' ids, in order.

    The ids are read back afterwards rather than with RETURNING: psycopg then converts each statement
    once, not a multi-row statement per thousand rows (which took more time than the inserts)."""
    if not sessions:
        return []
    s.flush()  # rows they refer to (people, plans) first
    conn = s.connection()
    tables = [SessionRow.__table__, SessionItemRow.__table__, PainReportRow.__table__]
    sessions_t, items_t, pains_t = (t for t in tables if isinstance(t, Table))
    conn.execute(insert(sessions_t), [v for v, _, _ in sessions])
    people = sorted({v["person_id"] for v, _, _ in sessions})
    by_client = {
        (r.person_id, r.client_id): r.id
        for r in conn.execute(
            select(SessionRow.id, SessionRow.person_id, SessionRow.client_id).where(SessionRow.person_id.in_(people))
        )
    }  # fmt: skip
    ids = [by_client[(v["person_id"], v["client_id"])] for v, _, _ in sessions]
    items = [{**i, "session_id": sid} for sid, (_, its, _) in zip(ids, sessions, strict=True) for i in its]
    if items:
        conn.execute(insert(items_t), items)
    pains = [{**p, "session_id": sid} for sid, (_, _, ps) in zip(ids, sessions, strict=True) for p in ps]
    pain_ids: dict[int, list[int]] = {sid: [] for sid in ids}
    if pains:
        conn.execute(insert(pains_t), pains)
        stored = select(PainReportRow.id, PainReportRow.session_id).where(
            PainReportRow.person_id.in_(people), PainReportRow.session_id >= min(ids)
        )
        for pid, sid in conn.execute(stored.order_by(PainReportRow.id)):  # ids follow the insert's order
            if sid in pain_ids:
                pain_ids[sid].append(pid)
    return [(sid, pain_ids[sid]) for sid in ids]


def list_sessions(
    s: Session,
    person_id: int,
    *,
    since: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
    with_children: bool = True,
) -> Sequence[SessionRow]:
    """Newest first (`offset`: skip that many newer ones, for a page further back)."""
    q = select(SessionRow).where(SessionRow.person_id == person_id)
    if since is not None:
        q = q.where(SessionRow.started_at >= since)
    q = q.order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    if with_children:
        q = q.options(*_with_children())  # type: ignore[arg-type]
    return s.scalars(q).all()


def session_start_times(
    s: Session, person_id: int, *, since: datetime | None = None, limit: int = 400
) -> list[datetime]:
    """Just when each session started (newest first): enough for streaks and weekly counts. The limit
    keeps a page fast whatever is stored (60 days at 6 sessions a day is 360)."""
    q = select(SessionRow.started_at).where(SessionRow.person_id == person_id)
    if since is not None:
        q = q.where(SessionRow.started_at >= since)
    return list(s.scalars(q.order_by(SessionRow.started_at.desc()).limit(limit)))


def count_sessions(s: Session, person_id: int) -> int:
    return (
        s.scalar(select(func.count()).select_from(SessionRow).where(SessionRow.person_id == person_id)) or 0
    )


# -- pain ----------------------------------------------------------------------------------------


def add_pain_report(s: Session, row: PainReportRow) -> PainReportRow:
    s.add(row)
    s.flush()
    return row


def pain_reports(s: Session, person_id: int, *, since: datetime | None = None) -> Sequence[PainReportRow]:
    """Oldest first, the order a chart reads."""
    q = select(PainReportRow).where(PainReportRow.person_id == person_id)
    if since is not None:
        q = q.where(PainReportRow.taken_at >= since)
    return s.scalars(q.order_by(PainReportRow.taken_at, PainReportRow.id)).all()


def pain_rows(s: Session, person_id: int) -> Sequence[Row[datetime, int, str, str | None, bool]]:
    """Oldest first, as plain rows (taken_at, score, context, location, red_flag): the charts and the
    alerts read every score, and rows are many times cheaper than objects."""
    q = (
        select(
            PainReportRow.taken_at, PainReportRow.score, PainReportRow.context, PainReportRow.location,
            PainReportRow.red_flag,
        )
        .where(PainReportRow.person_id == person_id)
        .order_by(PainReportRow.taken_at, PainReportRow.id)
    )  # fmt: skip
    return s.execute(q).all()


@functools.cache
def _key_pain_query(with_during: bool) -> Select[Any]:
    """key_pain_rows' one statement, built once (values are bound parameters): the first, the last two
    and the first at each place, as one UNION ALL (each part wrapped, as SQLite wants)."""
    cols = (PainReportRow.taken_at, PainReportRow.score, PainReportRow.context, PainReportRow.location,
            PainReportRow.red_flag, PainReportRow.id)  # fmt: skip
    counted: ColumnElement[bool] = PainReportRow.context.in_(bindparam("contexts", expanding=True))
    if with_during:
        during = and_(PainReportRow.context == "during", PainReportRow.score >= bindparam("during_from"))
        counted = or_(counted, during)
    mine = (PainReportRow.person_id == bindparam("person_id"), counted)
    first = select(*cols).where(*mine).order_by(PainReportRow.taken_at, PainReportRow.id).limit(1)
    last = (
        select(*cols).where(*mine).order_by(PainReportRow.taken_at.desc(), PainReportRow.id.desc()).limit(2)
    )
    ranked = (
        select(
            *cols,
            func.row_number()
            .over(partition_by=PainReportRow.location, order_by=(PainReportRow.taken_at, PainReportRow.id))
            .label("n"),
        )
        .where(*mine, PainReportRow.location.is_not(None))
        .subquery()
    )
    per_place = select(ranked.c.taken_at, ranked.c.score, ranked.c.context, ranked.c.location,
                       ranked.c.red_flag, ranked.c.id).where(ranked.c.n == 1)  # fmt: skip
    parts = [select(*q.subquery().c) for q in (first, last)] + [per_place]
    whole = union_all(*parts).subquery()
    return select(*whole.c)


def key_pain_rows(
    s: Session, person_id: int, contexts: Sequence[str], *, during_from: int | None = None
) -> list[Any]:
    """Oldest first, only the rows the alert rules read (services.checkins.alert_history picks the same):
    the first, the earliest at each place, and the last two, among reports in `contexts` (and "This
    hurts" reports scored `during_from` or more). A few rows however long the history is."""
    params: dict[str, Any] = {"person_id": person_id, "contexts": list(contexts)}
    if during_from is not None:
        params["during_from"] = during_from
    rows: dict[int, Any] = {}  # rows of (taken_at, score, context, location, red_flag, id), by id
    for r in s.connection().execute(_key_pain_query(during_from is not None), params):
        rows[r.id] = r
    return sorted(rows.values(), key=lambda r: (r.taken_at, r.id))


def last_pain_row(s: Session, person_id: int) -> Any | None:
    """The newest pain score of any kind, as a row (taken_at, score, context, location, red_flag)."""
    q = (
        select(PainReportRow.taken_at, PainReportRow.score, PainReportRow.context, PainReportRow.location,
               PainReportRow.red_flag)
        .where(PainReportRow.person_id == person_id)
        .order_by(PainReportRow.taken_at.desc(), PainReportRow.id.desc())
        .limit(1)
    )  # fmt: skip
    return s.execute(q).first()


def latest_red_flag(s: Session, person_id: int) -> PainReportRow | None:
    """The newest pain report that came with a warning sign."""
    q = (
        select(PainReportRow)
        .where(PainReportRow.person_id == person_id, PainReportRow.red_flag)
        .order_by(PainReportRow.taken_at.desc(), PainReportRow.id.desc())
        .limit(1)
    )
    return s.scalars(q).one_or_none()


def pain_scores_between(s: Session, person_id: int, start: datetime, end: datetime) -> list[int]:
    """Every pain score given from `start` up to (not including) `end`, any context."""
    q = select(PainReportRow.score).where(
        PainReportRow.person_id == person_id, PainReportRow.taken_at >= start, PainReportRow.taken_at < end
    )
    return list(s.scalars(q))


def stopped_for_pain_between(s: Session, person_id: int, start: datetime, end: datetime) -> bool:
    """Whether a session that ended from `start` up to `end` was stopped for pain."""
    q = (
        select(SessionRow.id)
        .where(
            SessionRow.person_id == person_id,
            SessionRow.outcome == "stopped_for_pain",
            SessionRow.ended_at >= start,
            SessionRow.ended_at < end,
        )
        .limit(1)
    )
    return s.execute(q).first() is not None

"""The Today page comes from a cache (web/page_cache.py) and is never stale: every kind of write, from
this app or from another process on the same database, and the clock passing midnight or a break
coming due, show at once; a client that has the page already gets a 304. Both databases."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import TestClock
from tests.patient_fixtures import _postgres_database, db_url
from tests.patient_helpers import FormClient, onboard, result_from_script
from upright.catalog import Catalog
from upright.store.db import all_metadata, make_engine

__all__ = ["db_url"]

WEDNESDAY_10 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # the tests' zone is UTC (tests/conftest.py)
BREAKS = {"reminders_on": True, "every": 30, "start": "09:00", "end": "17:00", "days": "mon-fri",
          "timezone": "UTC"}  # fmt: skip


@pytest.fixture
def app(make_app: Callable[..., FastAPI], db_url: str) -> Iterator[FastAPI]:
    a = make_app(database_url=db_url)
    yield a
    a.state.db.dispose()


@pytest.fixture
def client(app: FastAPI, catalog: Catalog, test_clock: TestClock) -> Iterator[TestClient]:
    test_clock.set(WEDNESDAY_10)
    with FormClient(app, follow_redirects=False) as c:
        onboard(c, catalog)
        yield c


def today(client: TestClient) -> str:
    r = client.get("/today")
    assert r.status_code == 200
    return r.text


def fact(page: str, words: str) -> str:
    """The number in front of `words` in the So far list ('1 of 3' before 'sessions this week')."""
    found = re.search(r'<span class="fact-number">([^<]+)</span>\s*' + re.escape(words), page)
    assert found, words
    return found.group(1)


def break_reason(page: str) -> str:
    found = re.search(r'id="next-break-reason" role="status">([^<]+)<', page)
    assert found
    return found.group(1)


def test_a_session_shows_at_once(client: TestClient, test_clock: TestClock) -> None:
    assert fact(today(client), "sessions this week") == "0 of 3"
    script = client.get("/api/me/session/script").json()
    assert fact(today(client), "sessions this week") == "0 of 3"  # a read changes nothing
    assert (
        client.post("/api/me/sessions", json=result_from_script(script, now=test_clock.now())).status_code
        == 201
    )
    page = today(client)
    assert fact(page, "sessions this week") == "1 of 3"
    assert fact(page, "day in a row") == "1"


def test_a_check_in_shows_at_once_by_form_and_by_api(client: TestClient) -> None:
    assert "No pain score yet" in today(client)
    assert client.post("/checkin", data={"pain": "3"}).status_code == 303
    assert fact(today(client), "last pain score") == "3 of 10"
    assert client.post("/api/me/checkins", json={"pain": 8}).status_code == 201
    page = today(client)
    assert fact(page, "last pain score") == "8 of 10"
    assert "That is severe" in page and "No more exercise today" in page  # the alert and the rest advice


def plan_title(page: str) -> str:
    found = re.search(r'<h2 id="plan-title">([^<]+)</h2>', page)
    assert found
    return found.group(1)


def test_a_new_plan_shows_at_once(client: TestClient) -> None:
    before = plan_title(today(client))
    r = client.post("/api/me/plan", json={"choice": "handout", "program": "upper-back-program"})
    assert r.status_code == 201
    after = plan_title(today(client))
    assert after != before and after == plan_title(today(client))


def test_changed_settings_show_at_once(client: TestClient) -> None:
    assert fact(today(client), "sessions this week") == "0 of 3"
    assert client.patch("/api/me/profile", json={"sessions_per_week": 5}).status_code == 200
    assert fact(today(client), "sessions this week") == "0 of 5"
    assert 'id="next-break"' not in today(client)  # break reminders are off until chosen
    assert client.patch("/api/me/breaks/settings", json=BREAKS).status_code == 200
    assert 'id="next-break"' in today(client)


def test_midnight_passing_shows_the_new_day(client: TestClient, test_clock: TestClock) -> None:
    """Sunday 23:50 with a session this week; ten minutes later it is a new week."""
    test_clock.set(datetime(2026, 3, 8, 23, 30, tzinfo=UTC))
    script = client.get("/api/me/session/script").json()
    assert (
        client.post("/api/me/sessions", json=result_from_script(script, now=test_clock.now())).status_code
        == 201
    )
    test_clock.set(datetime(2026, 3, 8, 23, 50, tzinfo=UTC))
    assert fact(today(client), "sessions this week") == "1 of 3"
    test_clock.set(datetime(2026, 3, 9, 0, 10, tzinfo=UTC))
    page = today(client)
    assert fact(page, "sessions this week") == "0 of 3"
    assert fact(page, "day in a row") == "1"  # yesterday's session still counts


def test_a_break_coming_due_shows_without_any_write(client: TestClient, test_clock: TestClock) -> None:
    assert client.patch("/api/me/breaks/settings", json=BREAKS).status_code == 200
    test_clock.set(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))  # before work: the first break is at 9:30
    waiting = today(client)
    assert break_reason(waiting).startswith("Your next break is at")
    assert 'class="next-break box is-due"' not in waiting
    assert today(client) == waiting  # from the cache: the same page
    test_clock.set(datetime(2026, 3, 4, 9, 31, tzinfo=UTC))
    due = today(client)
    assert break_reason(due) == "It is time for a short break."
    assert 'class="next-break box is-due"' in due
    # After work the page says so, and after midnight it names today's first break again.
    test_clock.set(datetime(2026, 3, 4, 22, 0, tzinfo=UTC))
    assert break_reason(today(client)).startswith("No more breaks today. Your next break is tomorrow at")
    test_clock.set(datetime(2026, 3, 5, 6, 0, tzinfo=UTC))
    after_midnight = break_reason(today(client))
    assert after_midnight.startswith("Your next break is at") and "tomorrow" not in after_midnight


def test_an_unchanged_page_is_answered_with_304_and_a_changed_one_is_not(client: TestClient) -> None:
    first = client.get("/today")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-store"  # health data: never kept on disk (issue 18)
    again = client.get("/today", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.post("/api/me/checkins", json={"pain": 2}).status_code == 201
    changed = client.get("/today", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert fact(changed.text, "last pain score") == "2 of 10"


def test_a_write_by_another_process_makes_this_one_miss(
    client: TestClient, make_app: Callable[..., FastAPI], db_url: str, test_clock: TestClock
) -> None:
    """Another server on the same database (its own cache, its own connections) stores a check-in
    and a session; this server's cached page does not survive either."""
    assert "No pain score yet" in today(client)
    other = make_app(database_url=db_url)
    try:
        with TestClient(other) as c2:
            assert c2.post("/api/me/checkins", json={"pain": 4}).status_code == 201
            assert fact(today(client), "last pain score") == "4 of 10"
            script = c2.get("/api/me/session/script").json()
            result = result_from_script(script, now=test_clock.now(), pain=None)
            assert c2.post("/api/me/sessions", json=result).status_code == 201
            assert fact(today(client), "sessions this week") == "1 of 3"
            # Both servers give the same page the same tag, so either may answer the 304.
            etag = client.get("/today").headers["etag"]
            assert c2.get("/today", headers={"If-None-Match": etag}).status_code == 304
    finally:
        other.state.db.dispose()


def test_deleting_my_data_shows_a_new_start(client: TestClient) -> None:
    """The person is made anew (SQLite may give the same id): the old page must not come back."""
    assert client.post("/api/me/checkins", json={"pain": 3}).status_code == 201
    assert fact(today(client), "last pain score") == "3 of 10"
    assert client.post("/settings/delete", data={"confirm": "yes"}).status_code in (200, 303)
    page = today(client)
    assert "Welcome to Upright" in page and "3 of 10" not in page


def test_a_write_outside_the_web_app_changes_the_revision(app: FastAPI, client: TestClient) -> None:
    """The database changes the revision, whoever writes (a command, an import, plain SQL)."""
    page = today(client)
    with app.state.db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE profiles SET sessions_per_week = 6"))
    assert today(client) != page and fact(today(client), "sessions this week") == "0 of 6"
    with app.state.db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM plans"))
    assert "Pick your program" in today(client)


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.mark.postgres
def test_pages_still_answer_after_the_servers_connections_were_killed(
    make_app: Callable[..., FastAPI], pg_url: str, catalog: Catalog, test_clock: TestClock
) -> None:
    """A PostgreSQL restart, or an administrator ending sessions, breaks every connection the server
    kept: the next request opens new ones and answers with the newest data, never an error."""
    test_clock.set(WEDNESDAY_10)
    app = make_app(database_url=pg_url)
    try:
        with FormClient(app, follow_redirects=False) as c, sa.create_engine(pg_url).connect() as admin:

            def kill_the_servers_connections() -> int:
                killed = admin.execute(
                    sa.text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalar_one()
                admin.commit()
                return int(killed)

            onboard(c, catalog)
            page = today(c)
            assert kill_the_servers_connections() >= 1
            assert today(c) == page  # read on a new connection: same revision, the kept page
            admin.execute(sa.text("UPDATE profiles SET sessions_per_week = 6"))
            admin.commit()
            assert kill_the_servers_connections() >= 1
            assert fact(today(c), "sessions this week") == "0 of 6"
            assert kill_the_servers_connections() >= 1
            assert c.post("/api/me/checkins", json={"pain": 2}).status_code == 201  # a write, too
            assert fact(today(c), "last pain score") == "2 of 10"
    finally:
        app.state.db.dispose()


# Rows that name a person but are not what their pages show: a clinic login account. (Triggers there
# would render Today again after every sign-in, for nothing.)
NOT_PERSON_DATA = frozenset({"users"})


def _person_tables() -> list[str]:
    """Tables whose rows belong to a person: a person_id column, or a session_id (session_items)."""
    return sorted(
        t.name
        for t in all_metadata().tables.values()
        if {"person_id", "session_id"} & set(t.columns.keys()) and t.name not in NOT_PERSON_DATA
    )


def test_every_table_of_a_persons_rows_has_the_revision_triggers(db_url: str) -> None:
    """A new table (or one a SQLite batch migration copied, which drops its triggers) must call
    store/migrations/person_revision.add_person_triggers, or a cached Today page could go stale."""
    from upright.store.db import migrate

    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                found = (
                    "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%touch_person%'"
                )
            else:
                found = (
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname LIKE '%touch_person'"
                )
            rows = conn.execute(sa.text(found))
            with_triggers = {r[0] for r in rows}
    finally:
        engine.dispose()
    assert "pain_reports" in _person_tables()
    missing = [t for t in _person_tables() if t not in with_triggers]
    assert not missing, f"no revision triggers on {missing}"


def test_one_transaction_gives_each_person_it_wrote_a_new_revision(db_url: str) -> None:
    """PostgreSQL changes a person's revision once per transaction (0011), not once per row: a write to
    two people's rows changes both, and the next transaction on the same connection changes it again."""
    from upright.store.db import migrate

    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            made = "INSERT INTO people (key, created_at) VALUES (:key, :at)"
            for key in ("ann", "bo"):
                conn.execute(sa.text(made), {"key": key, "at": WEDNESDAY_10})
            conn.commit()
            ids = {k: v for k, v in conn.execute(sa.text("SELECT key, id FROM people"))}

            def revisions() -> dict[str, int]:
                return {k: v for k, v in conn.execute(sa.text("SELECT key, revision FROM people"))}

            def report(person: str, score: int) -> None:
                conn.execute(
                    sa.text(
                        "INSERT INTO pain_reports (person_id, taken_at, score, context, red_flag) "
                        "VALUES (:p, :at, :score, 'check-in', false)"
                    ),
                    {"p": ids[person], "at": WEDNESDAY_10, "score": score},
                )

            before = revisions()
            conn.commit()
            report("ann", 2)
            report("ann", 3)
            report("bo", 4)
            conn.commit()
            after_both = revisions()
            assert after_both["ann"] != before["ann"] and after_both["bo"] != before["bo"]
            report("ann", 5)
            conn.commit()
            again = revisions()
            assert again["ann"] != after_both["ann"] and again["bo"] == after_both["bo"]
    finally:
        engine.dispose()


def test_every_middleware_is_plain_asgi(make_app: Callable[..., FastAPI]) -> None:
    """BaseHTTPMiddleware wraps each request in extra tasks and streams; none of ours uses it."""
    from starlette.middleware.base import BaseHTTPMiddleware

    app = make_app(allow_remote=True, host="0.0.0.0", extra_hosts="upright.example")
    try:
        classes = [m.cls for m in app.user_middleware]
        assert len(classes) == 3  # gzip, login (remote access), trust
        assert not [c for c in classes if isinstance(c, type) and issubclass(c, BaseHTTPMiddleware)]
    finally:
        app.state.db.dispose()

"""Break storage: one migration head, the export holds the break data, deleting a person removes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from tests.patient_fixtures import db_url
from upright.services.breaks import breaks_export, load_breaks
from upright.store.breaks import BreakEventRow, BreakSettingsRow
from upright.store.db import Database, alembic_config, make_engine, migrate

__all__ = ["db_url"]


@pytest.fixture
def client(make_app: Any, db_url: str) -> Iterator[TestClient]:
    app = make_app(database_url=db_url)
    with TestClient(app) as c:
        yield c
    app.state.db.dispose()


def test_the_migrations_have_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, heads


def test_export_holds_the_breaks_and_delete_removes_them(client: TestClient) -> None:
    client.patch("/api/me/breaks/settings", json={"every": 30, "timezone": "UTC"})
    assert client.post("/api/me/breaks/events", json={"kind": "paused", "minutes": 30}).status_code == 201
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.transaction() as s:
        person_id = s.scalar(select(BreakSettingsRow.person_id))
        data = breaks_export(s, person_id)
    assert data["settings"]["every"] == 30
    assert [e["kind"] for e in data["events"]] == ["paused"]
    assert datetime.fromisoformat(data["events"][0]["until"]) > datetime(2020, 1, 1, tzinfo=UTC)
    assert client.delete("/api/me").status_code == 204
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(BreakEventRow)) == 0
        assert s.scalar(select(func.count()).select_from(BreakSettingsRow)) == 0


def test_upgrading_keeps_reminders_for_people_who_chose_breaks_and_downgrading_keeps_the_rest(
    db_url: str,
) -> None:
    """Migration 0003 makes reminders opt-in: a person who had saved break settings keeps them on; a
    person who never touched them (no row) now has them off."""

    engine = make_engine(db_url)
    try:
        migrate(engine, "0002_breaks")
        now = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
        with engine.begin() as conn:
            for key in ("chose-breaks", "never-touched"):
                conn.execute(
                    text("INSERT INTO people (key, created_at) VALUES (:k, :t)"), {"k": key, "t": now}
                )
            chooser = conn.scalar(text("SELECT id FROM people WHERE key = 'chose-breaks'"))
            conn.execute(
                text(
                    'INSERT INTO break_settings (person_id, every_minutes, start, "end", days, days_off, '
                    "postpone_minutes, max_postpones, natural_minutes, at_hand, timezone, updated_at) VALUES "
                    "(:p, 30, '08:00', '16:00', 'mon-fri', '[]', 5, 2, 5, '[]', 'UTC', :t)"
                ),
                {"p": chooser, "t": now},
            )
        migrate(engine, "head")
        db = Database(engine)
        with db.transaction() as s:
            people = {key: pid for pid, key in s.execute(text("SELECT id, key FROM people"))}
            chose = load_breaks(s, people["chose-breaks"], now=now)
            never = load_breaks(s, people["never-touched"], now=now)
        assert chose.settings.reminders_on is True and chose.settings.every_minutes == 30
        assert never.settings.reminders_on is False
        cfg = alembic_config()
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0002_breaks")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT every_minutes FROM break_settings")) == 30
    finally:
        engine.dispose()

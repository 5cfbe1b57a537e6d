"""Break storage: one migration head, the export holds the break data, deleting a person removes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.patient_fixtures import db_url
from upright.services.breaks import breaks_export
from upright.store.breaks import BreakEventRow, BreakSettingsRow
from upright.store.db import alembic_config

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

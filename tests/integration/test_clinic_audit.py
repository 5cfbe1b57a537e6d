"""The audit trail (issue 15): every read and write of a patient's data leaves a row (who, what, when),
chained by hashes; `upright audit verify` and the admin's page find a changed, removed or added row."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from typer.testing import CliRunner

from tests.clinic_helpers import add_practice, add_user, signed_in
from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from upright.cli import full_app
from upright.services import audit
from upright.store.audit import AuditRow

__all__ = ["db_url"]


@pytest.fixture
def app(make_app: Callable[..., FastAPI], db_url: str, test_clock: TestClock) -> Iterator[FastAPI]:
    made = make_app(db_url, mode="clinic")
    add_practice(made, now=test_clock.now())
    yield made
    made.state.db.dispose()


def _rows(app: FastAPI) -> list[AuditRow]:
    with app.state.db.transaction() as s:
        return list(s.scalars(sa.select(AuditRow).order_by(AuditRow.id)))


def _use_it(app: FastAPI) -> int:
    pat = signed_in(app, "pat@example.org")
    pat_id = pat.get("/api/auth/me").json()["id"]
    assert pat.patch("/api/me/profile", json={"minutes": 20}).status_code == 200
    assert pat.get("/api/me/profile").status_code == 200
    doc = signed_in(app, "doc@example.org")
    assert doc.get(f"/api/clinic/patients/{pat_id}").status_code == 200
    assert doc.get("/exercises").status_code == 200  # the catalog: nobody's data, no row
    return pat_id


def test_each_read_and_write_of_a_patients_data_leaves_a_row(app: FastAPI) -> None:
    pat_id = _use_it(app)
    rows = _rows(app)
    assert [(r.actor_email, r.action, r.what, r.patient_id) for r in rows] == [
        ("pat@example.org", "write", "PATCH /api/me/profile", pat_id),
        ("pat@example.org", "read", "GET /api/me/profile", pat_id),
        ("doc@example.org", "read", "GET /api/clinic/patients/{patient_id}", pat_id),
    ]
    assert "20" not in " ".join(r.what for r in rows)  # what was touched, never the health details
    with app.state.db.transaction() as s:
        assert audit.verify(s) == (3, None)


def test_a_refused_look_leaves_no_row_and_no_data(app: FastAPI, test_clock: TestClock) -> None:
    add_user(app, "other@example.org", role="clinician", now=test_clock.now())
    pat_id = _use_it(app)
    before = len(_rows(app))
    other = signed_in(app, "other@example.org")
    assert other.get(f"/api/clinic/patients/{pat_id}").status_code == 404
    assert len(_rows(app)) == before


@pytest.mark.parametrize(
    ("tamper", "found"),
    [
        ("UPDATE audit_log SET actor_email = 'someone@example.org' WHERE id = 2", "row 2 was changed"),
        ("UPDATE audit_log SET what = 'GET /today' WHERE id = 1", "row 1 was changed"),
        ("DELETE FROM audit_log WHERE id = 2", "row 2 is missing"),
        ("DELETE FROM audit_log WHERE id = 3", "rows after row 2 are missing"),
    ],
)
def test_a_tampered_row_is_found_by_the_command_and_the_admin_page(
    app: FastAPI, db_url: str, monkeypatch: pytest.MonkeyPatch, tamper: str, found: str
) -> None:
    _use_it(app)
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", db_url)
    runner = CliRunner()
    whole = runner.invoke(full_app(), ["audit", "verify"])
    assert whole.exit_code == 0 and "3 rows" in whole.output
    with app.state.db.engine.begin() as conn:
        conn.execute(sa.text(tamper))
    broken = runner.invoke(full_app(), ["audit", "verify"])
    assert broken.exit_code == 1 and found in broken.output
    page = signed_in(app, "admin@example.org").get("/admin/audit")
    assert page.status_code == 200 and found in page.text and "check out" not in page.text


def test_a_rewritten_chain_still_fails_at_the_head(app: FastAPI) -> None:
    """Someone who changes a row and recomputes every hash after it still leaves the head's hash."""
    _use_it(app)
    with app.state.db.transaction() as s:
        rows = list(s.scalars(sa.select(AuditRow).order_by(AuditRow.id)))
        rows[-1].actor_email = "someone@example.org"
        rows[-1].hash = audit.row_hash(rows[-1].prev_hash, row_id=rows[-1].id, at=rows[-1].at,
                                       actor_id=rows[-1].actor_id, actor_email=rows[-1].actor_email,
                                       action=rows[-1].action, what=rows[-1].what,
                                       patient_id=rows[-1].patient_id)  # fmt: skip
    with app.state.db.transaction() as s:
        count, broken = audit.verify(s)
    assert broken is not None and count == 3


def test_the_admin_reads_the_log_but_no_health_data(app: FastAPI) -> None:
    _use_it(app)
    admin = signed_in(app, "admin@example.org")
    page = admin.get("/admin/audit")
    assert page.status_code == 200 and "All 3 rows check out" in page.text
    assert "PATCH /api/me/profile" in page.text and "pat@example.org" in page.text
    assert admin.get("/api/me/profile").status_code == 403
    assert admin.get("/api/clinic/patients").status_code == 403

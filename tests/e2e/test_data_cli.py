"""`upright import` from the command line (issue 19): the person's export comes in with a summary,
twice is once, a broken file names its field and stores nothing, and the FHIR form answers plainly
until that part of Upright is installed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.history_helpers import V1_FILE, V1_HISTORY
from upright.cli import app as cli
from upright.config import get_settings

runner = CliRunner()


def _said(r: object) -> str:
    return " ".join(str(getattr(r, "output", "")).split())


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "new-computer.db"
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    return path


def test_import_brings_the_export_in_once(fresh: Path) -> None:
    r = runner.invoke(cli, ["import", str(V1_FILE)])
    assert r.exit_code == 0, r.output
    assert "Brought in 12 sessions, 19 pain scores, 2 screenings, 1 plans, 24 break events." in _said(r)
    assert "answer the safety questions again" in _said(r)
    again = runner.invoke(cli, ["import", str(V1_FILE), "--json"])
    assert again.exit_code == 0
    assert json.loads(again.output) == {
        "is_new": False,
        "counts": V1_HISTORY,
        "notes": [],
    }


def test_a_broken_export_names_its_field_and_stores_nothing(fresh: Path, tmp_path: Path) -> None:
    data = json.loads(V1_FILE.read_text())
    data["screenings"][1]["taken_at"] = "last Tuesday"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    r = runner.invoke(cli, ["import", str(bad)])
    assert r.exit_code == 1
    assert "screenings[1].taken_at: input should be a valid datetime" in _said(r)
    not_json = tmp_path / "photo.json"
    not_json.write_bytes(b"\xff\xd8\xff")
    r = runner.invoke(cli, ["import", str(not_json)])
    assert r.exit_code == 1 and "is not an Upright export (it is not a JSON file)" in _said(r)
    r = runner.invoke(cli, ["import", str(V1_FILE), "--json"])  # the database took nothing before
    assert json.loads(r.output)["is_new"] is True


def test_the_fhir_form_answers_plainly(fresh: Path) -> None:
    """`upright import fhir FILE` goes to upright.cli.fhir_cmd (issue 17's module) when it is there."""
    r = runner.invoke(cli, ["import", "fhir", str(V1_FILE)])
    if importlib.util.find_spec("upright.cli.fhir_cmd") is None:
        assert r.exit_code == 1
        assert "FHIR import is not available in this version" in _said(r)
    else:  # the FHIR importer answers for itself: an Upright export is not a FHIR bundle
        assert r.exit_code != 0 and "not available" not in _said(r)
    r = runner.invoke(cli, ["import", "csv", str(V1_FILE)])
    assert r.exit_code == 1 and "unknown format 'csv'" in _said(r)

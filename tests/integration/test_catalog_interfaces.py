"""The catalog's stable interfaces: `upright exercises/exercise/programs/program --json` and /api/... agree."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from upright.catalog import Catalog
from upright.cli import app as cli

pytestmark = pytest.mark.dateless

runner = CliRunner()
REQUIRED = {"id", "name", "category", "position", "equipment", "contraindications", "steps", "doses"}
DOSE_FIELDS = {
    "handout",
    "name_in_handout",
    "hold_seconds",
    "reps",
    "sets",
    "each_side",
    "per_day",
    "variants",
}


def cli_json(*args: str) -> object:
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_exercise_has_the_documented_json_fields(catalog: Catalog) -> None:
    for ex_id in catalog.exercises:
        data = cli_json("exercise", ex_id)
        assert isinstance(data, dict)
        assert data.keys() >= REQUIRED
        assert isinstance(data["equipment"], list) and isinstance(data["steps"], list)
        for dose in data["doses"]:
            assert dose.keys() >= DOSE_FIELDS
            for pair in ("hold_seconds", "reps", "per_day"):
                assert dose[pair] is None or (len(dose[pair]) == 2 and dose[pair][0] <= dose[pair][1])


def test_cli_and_api_give_the_same_json(catalog: Catalog, make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    assert client.get("/api/exercises").json() == cli_json("exercises")
    assert client.get("/api/programs").json() == cli_json("programs")
    some = next(iter(catalog.exercises))
    assert client.get(f"/api/exercises/{some}").json() == cli_json("exercise", some)


def test_equipment_filter_means_what_i_have(catalog: Catalog) -> None:
    nothing = cli_json("exercises", "--equipment", "none")
    assert isinstance(nothing, list)
    assert all(e["equipment"] == ["none"] for e in nothing)
    with_band = cli_json("exercises", "--equipment", "band,anchor")
    assert isinstance(with_band, list)
    ids = {e["id"] for e in with_band}
    assert {e["id"] for e in nothing} <= ids  # having a band never hides the no-equipment ones
    assert all(set(e["equipment"]) <= {"none", "resistance-band", "anchor-point"} for e in with_band)


def test_condition_filter_hides_what_it_rules_out(catalog: Catalog) -> None:
    if "knee-pain" not in catalog.conditions:
        pytest.fail("the knee-pain condition from handout 000 must be in the catalog")
    shown = cli_json("exercises", "--condition", "knee-pain")
    assert isinstance(shown, list)
    for ex in shown:
        assert "knee-pain" not in ex["contraindications"]
        assert set([ex["position"], *ex["other_positions"]]) - {"kneeling", "hands-and-knees"}


def test_handout_filter_keeps_only_that_handouts_exercises(catalog: Catalog) -> None:
    for tpl in catalog.templates.values():
        shown = cli_json("exercises", "--handout", tpl.file)
        assert isinstance(shown, list)
        assert {e["id"] for e in shown} == set(tpl.items)


def test_program_json_lists_items_in_handout_order(catalog: Catalog) -> None:
    for tpl in catalog.templates.values():
        data = cli_json("program", tpl.id)
        assert isinstance(data, dict)
        assert [i["exercise"] for i in data["items"]] == list(tpl.items)
        assert all(i["dose"]["handout"] == tpl.file for i in data["items"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["exercise", "no-such-thing"], "No exercise called 'no-such-thing'"),
        (["program", "nope"], "No program called 'nope'"),
        (["exercises", "--equipment", "rocket"], "unknown equipment 'rocket'"),
        (["exercises", "--position", "upside-down"], "unknown position 'upside-down'"),
        (["exercises", "--condition", "broken-toe"], "unknown condition 'broken-toe'"),
    ],
)
def test_bad_cli_input_gets_a_clear_error(args: list[str], words: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert words in " ".join(result.output.split())


def test_bad_api_input_gets_a_clear_error(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    missing = client.get("/api/exercises/no-such-thing")
    assert missing.status_code == 404
    assert "no-such-thing" in missing.json()["message"]
    bad = client.get("/api/exercises", params={"equipment": "rocket"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "equipment"


def test_exercise_command_prints_every_cue_and_caution(catalog: Catalog) -> None:
    for ex in catalog.exercises.values():
        result = runner.invoke(cli, ["exercise", ex.id], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        for line in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
            assert line in result.stdout, (ex.id, line)
        assert "_" not in result.stdout.split("Doses", 1)[1]  # handouts by title, not by file name
        data = cli_json("exercise", ex.id)
        assert isinstance(data, dict)
        assert data["cues"] == {"do": list(ex.cues.do), "dont": list(ex.cues.dont)}
        assert data["cautions"] == list(ex.cautions)


@pytest.mark.parametrize(
    ("words", "exercise_id", "title"),
    [
        ("scapular squeeze", "scapular-squeeze", "Shoulder blade squeeze"),
        ("cervical flexion", "cervical-flexion", "Forward neck bend"),
        ("Lateral flexion", "lateral-flexion", "Side neck tilt"),
        ("pectoralis", "pectoralis-stretch", "Doorway chest stretch"),
    ],
)
def test_plain_names_are_titles_and_clinical_names_still_find_them(
    catalog: Catalog, make_app: Callable[..., FastAPI], words: str, exercise_id: str, title: str
) -> None:
    assert catalog.exercise(exercise_id).name == title
    found = cli_json("exercises", "--name", words)
    assert isinstance(found, list) and [e["id"] for e in found] == [exercise_id]
    client = TestClient(make_app())
    assert [e["id"] for e in client.get("/api/exercises", params={"name": words}).json()] == [exercise_id]
    page = client.get("/exercises", params={"name": words}).text
    assert f">{title}</a>" in page and "1 exercise found" in page

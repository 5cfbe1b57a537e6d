"""FHIR export and import on SQLite and PostgreSQL (issue 17): `GET /api/me/export?format=fhir`,
`upright export fhir -o FILE`, and `import_fhir_command` (what `upright import fhir FILE` runs).
Every exported resource validates with fhir.resources' R4B models; pain, sessions and screenings map
with their codes and units; export -> import -> export keeps the program and its doses; a bad bundle
is refused with the resource and element named, and nothing of it is stored."""

from __future__ import annotations

import copy
import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B import get_fhir_model_class
from typer.testing import CliRunner

from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no, result_from_script, with_yes
from upright.catalog import Catalog
from upright.cli import app as cli_app
from upright.cli.fhir_cmd import import_fhir_command
from upright.errors import InvalidInput, UnsafeForPatient

__all__ = ["db_url"]

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
PROGRAM = "posture-and-neck-stretches"


@pytest.fixture
def web(make_app: Any, db_url: str, monkeypatch: pytest.MonkeyPatch, test_clock: Any) -> Iterator[TestClient]:
    """The web app and the commands at a fixed hour, on one database."""
    from upright.config import get_settings

    test_clock.set(NOW)
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    app = make_app(database_url=db_url)
    with TestClient(app) as client:
        yield client
    app.state.db.dispose()


def _history(web: TestClient, catalog: Catalog) -> dict[str, Any]:
    """Screen, choose a program, play a session with a "this hurts" stop, then check in."""
    web.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
    web.post("/api/me/plan", json={"choice": "handout", "program": PROGRAM}).raise_for_status()
    script = web.get("/api/me/session/script").json()
    result = result_from_script(script, now=NOW, started=NOW - timedelta(hours=2), pain=1)
    first = result["items"][0]["exercise"]
    result["pain_reports"] = [{"at": (NOW - timedelta(hours=2) + timedelta(seconds=30)).isoformat(),
                               "score": 3, "exercise": first, "action": "continue"}]  # fmt: skip
    web.post("/api/me/sessions", json=result).raise_for_status()  # all done, pain low: doses step up
    web.post("/api/me/checkins", json={"pain": 4, "location": "upper-back"}).raise_for_status()
    return script


def _export(web: TestClient) -> dict[str, Any]:
    r = web.get("/api/me/export", params={"format": "fhir"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    assert r.headers["cache-control"] == "no-store"
    data: dict[str, Any] = r.json()
    return data


def _of(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _program(bundle: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The program and its doses as a bundle states them (ids and dates left out)."""
    (plan,) = _of(bundle, "CarePlan")
    defs = {d["url"]: d for d in _of(bundle, "ActivityDefinition")}
    out: list[tuple[Any, ...]] = [(plan["title"], tuple(plan.get("instantiatesCanonical", [])))]
    for activity in plan["activity"]:
        d = defs[activity["detail"]["instantiatesCanonical"][0]]
        dosage = d["dosage"][0]
        doses = tuple((p["type"]["coding"][0]["code"], p["doseQuantity"]["value"], p["doseQuantity"]["code"])
                      for p in dosage.get("doseAndRate", []))  # fmt: skip
        out.append((d["code"]["coding"][1]["code"], d["relatedArtifact"][0]["label"], doses,
                    json.dumps(dosage.get("method")), json.dumps(dosage.get("timing")), dosage["text"]))  # fmt: skip
    return out


def test_the_fhir_export_holds_every_record_validated_with_codes_and_units(
    web: TestClient, catalog: Catalog
) -> None:
    script = _history(web, catalog)
    bundle = _export(web)
    for entry in bundle["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    patient_ref = "urn:uuid:" + _of(bundle, "Patient")[0]["id"]

    pain = _of(bundle, "Observation")
    assert len(pain) == 3  # "this hurts", the session's end, the check-in
    for obs in pain:
        assert obs["code"]["coding"][0]["system"] == "http://loinc.org"
        assert obs["code"]["coding"][0]["code"] == "72514-3"
        assert obs["valueQuantity"]["system"] == "http://unitsofmeasure.org"
        assert obs["valueQuantity"]["code"] == "{score}"
        assert obs["subject"]["reference"] == patient_ref
    contexts = {o["category"][1]["coding"][0]["code"]: o for o in pain}
    assert set(contexts) == {"during", "end", "check-in"}
    assert contexts["check-in"]["valueQuantity"]["value"] == 4
    assert contexts["check-in"]["bodySite"] == {"text": "Upper back"}
    assert contexts["check-in"]["effectiveDateTime"].startswith("2026-11-30T09:3")
    assert "Chin tuck" in contexts["during"]["note"][0]["text"]

    (session,) = _of(bundle, "Procedure")
    assert session["status"] == "completed"
    assert session["code"]["coding"][0]["code"] == "229065009"
    assert session["performedPeriod"]["start"].startswith("2026-11-30T07:30:00")
    (plan,) = _of(bundle, "CarePlan")
    assert session["basedOn"] == [{"reference": "urn:uuid:" + plan["id"]}]
    assert contexts["end"]["partOf"] == [{"reference": "urn:uuid:" + session["id"]}]
    done = session["extension"][0]["extension"]
    parts = {p["url"]: next(v for k, v in p.items() if k.startswith("value")) for p in done}
    first = script["targets"][0]
    assert parts["exercise"]["code"] == first["exercise"]
    assert (parts["status"], parts["target-reps"], parts["reps-done"]) == (
        "done",
        first["reps"],
        first["reps"],
    )
    assert parts["target-hold"] == {"value": first["hold_seconds"], "unit": "seconds",
                                    "system": "http://unitsofmeasure.org", "code": "s"}  # fmt: skip

    (response,) = _of(bundle, "QuestionnaireResponse")
    (form,) = _of(bundle, "Questionnaire")
    assert response["questionnaire"] == form["url"] and response["status"] == "completed"
    outcome = next(i for i in response["item"] if i["linkId"] == "outcome")
    assert outcome["answer"][0]["valueCoding"]["code"] == "ok"
    flags = next(i for i in response["item"] if i["linkId"] == "red-flags")
    assert {i["linkId"] for i in flags["item"]} == {q.id for q in catalog.screening}
    assert all(i["answer"] == [{"valueBoolean": False}] for i in flags["item"])


def test_the_settings_page_offers_the_fhir_download(web: TestClient, catalog: Catalog) -> None:
    _history(web, catalog)
    assert 'href="/settings/export?format=fhir"' in web.get("/settings").text
    r = web.get("/settings/export", params={"format": "fhir"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/fhir+json")
    assert 'filename="upright-fhir-bundle.json"' in r.headers["content-disposition"]
    assert _program(r.json()) == _program(_export(web))
    assert web.get("/api/me/export", params={"format": "xml"}).status_code == 422


def test_an_emergency_screening_exports_its_outcome_and_reasons(web: TestClient, catalog: Catalog) -> None:
    web.post("/api/me/screenings", json=with_yes(catalog, "chest-pain-with-signs")).raise_for_status()
    (response,) = _of(_export(web), "QuestionnaireResponse")
    items = {i["linkId"]: i for i in response["item"]}
    assert items["outcome"]["answer"][0]["valueCoding"]["code"] == "emergency"
    assert items["reasons"]["answer"][0]["valueString"]
    flag = next(i for i in items["red-flags"]["item"] if i["linkId"] == "chest-pain-with-signs")
    assert flag["answer"] == [{"valueBoolean": True}]
    assert not _of(_export(web), "CarePlan")


def test_export_import_export_keeps_the_program_and_its_doses(
    web: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    _history(web, catalog)
    before = _export(web)
    stepped = web.get("/api/me/plan").json()["plan"]["items"][1]["dose"]
    assert stepped["reps"] == 6  # the session moved this dose up: not the handout's start
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(before), encoding="utf-8")

    assert web.delete("/api/me").status_code == 204  # a fresh person, as on another computer
    web.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
    import_fhir_command(path, yes=True)
    plan = web.get("/api/me/plan").json()
    assert plan["source"] == "imported" and plan["template_id"] == PROGRAM
    assert plan["plan"]["items"][1]["dose"]["reps"] == 6
    after = _export(web)
    assert _program(after) == _program(before)
    assert web.get("/api/me/session/script").status_code == 200  # the imported plan plays
    for page in ("/today", "/session", "/choose-program"):
        response = web.get(page)
        assert response.status_code == 200, page
    assert "Cervical flexion" in web.get("/today").text or "Cervical flexion" in web.get("/session").text

    import_fhir_command(path, yes=True)  # the same file again stores nothing new
    assert len(json.loads(web.get("/api/me/export").text)["plans"]) == 1


def test_a_bad_bundle_is_refused_and_nothing_of_it_is_stored(
    web: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    _history(web, catalog)
    good = _export(web)
    plan_before = web.get("/api/me/plan").json()
    bad = copy.deepcopy(good)
    ads = [e["resource"] for e in bad["entry"] if e["resource"]["resourceType"] == "ActivityDefinition"]
    ads[-1]["dosage"][0]["doseAndRate"][1]["doseQuantity"]["value"] = 30  # the last exercise, too many reps
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        import_fhir_command(path, yes=True)
    assert info.value.field.startswith(f"ActivityDefinition/{ads[-1]['id']} ")
    assert info.value.field.endswith("dosage[0].doseAndRate[1].doseQuantity.value")
    assert "only a clinician" in info.value.message
    assert web.get("/api/me/plan").json() == plan_before
    assert len(json.loads(web.get("/api/me/export").text)["plans"]) == 1

    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        import_fhir_command(path, yes=True)


def test_an_exercise_the_person_s_conditions_rule_out_is_refused(
    web: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    web.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
    web.patch("/api/me/profile", json={"equipment": ["mat"], "minutes": 30}).raise_for_status()
    web.post("/api/me/plan", json={"choice": "handout", "program": "upper-back-program"}).raise_for_status()
    bundle = _export(web)
    assert "childs-pose" in json.dumps(_program(bundle))  # it kneels
    web.post("/api/me/screenings", json=all_no(catalog, conditions=["knee-pain"])).raise_for_status()
    web.post("/api/me/plan", json={"choice": "suggested"}).raise_for_status()
    before = web.get("/api/me/plan").json()
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    with pytest.raises(UnsafeForPatient, match="knee"):
        import_fhir_command(path, yes=True)
    assert web.get("/api/me/plan").json() == before


def test_a_clinician_authored_plan_keeps_its_author_through_a_round_trip(
    web: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    _history(web, catalog)
    bundle = _export(web)
    (plan,) = _of(bundle, "CarePlan")
    bundle["entry"].append({"fullUrl": "urn:uuid:9f0c4bde-0000-4000-8000-000000000001",
                            "resource": {"resourceType": "Practitioner", "id": "9f0c4bde-0000-4000-8000-000000000001",
                                         "name": [{"text": "Dr. Ana Ruiz"}]}})  # fmt: skip
    plan["author"] = {"reference": "urn:uuid:9f0c4bde-0000-4000-8000-000000000001"}
    ad = next(a for a in _of(bundle, "ActivityDefinition") if a["url"].endswith("/chin-tuck"))
    ad["dosage"][0]["doseAndRate"][1]["doseQuantity"]["value"] = 14  # past the handout's 10
    path = tmp_path / "authored.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    import_fhir_command(path, yes=True)
    dose = web.get("/api/me/plan").json()["plan"]["items"][0]["dose"]
    assert (dose["reps"], dose["clinician_set"]) == (14, True)
    again = _export(web)
    (practitioner,) = _of(again, "Practitioner")
    assert practitioner["name"] == [{"text": "Dr. Ana Ruiz"}]
    assert _of(again, "CarePlan")[0]["author"] == {"reference": "urn:uuid:" + practitioner["id"]}


def test_upright_export_fhir_writes_a_private_file(web: TestClient, catalog: Catalog, tmp_path: Path) -> None:
    _history(web, catalog)
    out = tmp_path / "bundle.json"
    result = CliRunner().invoke(cli_app, ["export", "fhir", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote your FHIR bundle" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # health details: readable by you only
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert _program(bundle) == _program(_export(web))
    result = CliRunner().invoke(cli_app, ["export", "xml"])
    assert result.exit_code == 1 and "choose one of: json, fhir" in result.output


def test_without_yes_the_import_asks_before_replacing_a_plan(
    web: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    import typer

    runner = typer.Typer()  # the shape `upright import fhir FILE` calls it in (cli/data_cmds.py)

    @runner.command()
    def main(file: Path, yes: bool = typer.Option(False, "--yes")) -> None:
        import_fhir_command(file, yes=yes)

    web.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
    web.post("/api/me/plan", json={"choice": "handout", "program": "healthy-upper-back"}).raise_for_status()
    before = web.get("/api/me/plan").json()
    web.post("/api/me/plan", json={"choice": "handout", "program": PROGRAM}).raise_for_status()
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(_export(web)), encoding="utf-8")
    web.post("/api/me/plan", json={"choice": "handout", "program": "healthy-upper-back"}).raise_for_status()
    current = web.get("/api/me/plan").json()

    said_no = CliRunner().invoke(runner, [str(path)], input="n\n")
    assert "Replace your plan" in said_no.output and said_no.exit_code == 1
    assert web.get("/api/me/plan").json() == current

    said_yes = CliRunner().invoke(runner, [str(path)], input="y\n")
    assert said_yes.exit_code == 0, said_yes.output
    assert "4 exercises" in said_yes.output
    assert web.get("/api/me/plan").json()["template_id"] == PROGRAM != before["template_id"]

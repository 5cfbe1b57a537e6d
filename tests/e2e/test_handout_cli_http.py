"""`upright handout` and GET /programs/{id}/handout.pdf, as a person or a script would use them."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from upright.catalog import Catalog
from upright.cli import app as cli

runner = CliRunner()


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(BytesIO(pdf)).pages]


def test_cli_writes_a4_pdf_for_a_program(tmp_path: Path, catalog: Catalog) -> None:
    out = tmp_path / "handout.pdf"
    program_id = next(iter(catalog.templates))
    result = runner.invoke(
        cli, ["handout", program_id, "-o", str(out), "--paper", "a4", "--date", "2025-03-12"]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    sizes = _pages(out.read_bytes())
    assert sizes and all(round(w) == 595 and round(h) == 842 for w, h in sizes)
    assert "12 March 2025" in PdfReader(out).pages[0].extract_text()


def test_cli_prints_a_plan_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"items": [{"exercise": "chin-tuck", "reason": "You asked for neck moves."}]}))
    out = tmp_path / "plan.pdf"
    result = runner.invoke(cli, ["handout", str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Chin tuck" in text and "You asked for neck moves." in text


def test_cli_explains_bad_input_plainly(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    cases = {
        ("no-such-program",): "No program called 'no-such-program'",
        ("healthy-upper-back", "--paper", "legal"): "choose a4 or letter",
        ("healthy-upper-back", "--date", "12/03/2025"): "YYYY-MM-DD",
        (str(tmp_path / "missing.json"),): "there is no file",
    }
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    cases[(str(broken),)] = "is not valid JSON"
    for args, message in cases.items():
        result = runner.invoke(cli, ["handout", *args, "-o", str(out)])
        assert result.exit_code == 1, args
        said = " ".join(result.output.split())  # Rich wraps long messages to the terminal width
        assert message in said, (args, said)
        assert "Traceback" not in result.output
    assert not out.exists()


def test_http_pdf_on_both_papers_and_errors(make_app: Callable[..., FastAPI], catalog: Catalog) -> None:
    client = TestClient(make_app())
    program_id = next(iter(catalog.templates))
    for paper, (width, height) in {"letter": (612, 792), "a4": (595, 842)}.items():
        response = client.get(f"/programs/{program_id}/handout.pdf", params={"paper": paper})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert f"{program_id}-{paper}.pdf" in response.headers["content-disposition"]
        assert {(round(w), round(h)) for w, h in _pages(response.content)} == {(width, height)}
    assert client.get(f"/programs/{program_id}/handout.pdf", params={"paper": "legal"}).status_code == 422
    assert client.get("/programs/no-such-program/handout.pdf").status_code == 404
    assert client.get("/programs/no-such-program/print").status_code == 404

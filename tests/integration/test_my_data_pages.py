"""Settings, Your data, over HTTP on SQLite and PostgreSQL (issue 19): the links are there; "Bring in
my data" names the broken field, refuses a file that is not an export, refuses to mix with another
history, stores nothing on any refusal, and a second send of the same file stores nothing twice."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.history_helpers import START, Clock, fixed_client, send_file
from tests.patient_fixtures import db_url
from upright.catalog import Catalog
from upright.config import Settings
from upright.web.app import create_app

__all__ = ["db_url"]

V1 = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "export_v1.json").read_text())


@pytest.fixture
def client(db_url: str, catalog: Catalog) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url), catalog=catalog)
    with fixed_client(app, Clock(START)) as c:
        yield c
    app.state.db.dispose()


def _send(client: TestClient, body: Any, name: str = "upright-my-data.json") -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return send_file(client, name, raw)


def _sessions(client: TestClient) -> int:
    return len(client.get("/api/me/sessions").json())


def test_settings_offers_a_backup_and_bringing_data_in(client: TestClient) -> None:
    page = client.get("/settings").text
    assert 'href="/settings/backup"' in page and "Download a backup" in page
    assert 'href="/settings/import"' in page and "Bring in my data" in page
    form = client.get("/settings/import")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text and 'type="file"' in form.text


def test_a_broken_file_is_refused_with_its_field_named_and_nothing_stored(client: TestClient) -> None:
    bad = json.loads(json.dumps(V1))
    bad["sessions"][5]["end_pain"] = 12
    r = _send(client, bad)
    assert r.status_code == 422
    assert (
        "Nothing was brought in. In sessions[5].end_pain: input should be less than or equal to 10." in r.text
    )
    assert 'role="alert"' in r.text
    assert _sessions(client) == 0
    for body, words in [
        (b"\x89PNG\r\n", "not an Upright export (it is not a JSON file)"),
        ({"format": "something"}, "In format: this file is not an Upright export"),
        ({**V1, "version": 7}, "made by a newer Upright (format 7)"),
    ]:
        r = _send(client, body)
        assert r.status_code == 422 and words in r.text, r.text
    r = send_file(client, "", b"")
    assert r.status_code == 422 and "Choose your file first" in r.text
    assert _sessions(client) == 0


def test_the_same_file_twice_is_stored_once_and_another_history_is_never_mixed_in(client: TestClient) -> None:
    first = _send(client, V1)
    assert first.status_code == 200
    assert "Brought in 12 sessions, 19 pain scores, 2 screenings, 1 plans, 24 break events." in first.text
    assert "answer the safety questions again" in first.text  # a version 1 file: warning signs were not kept
    again = _send(client, V1)
    assert again.status_code == 200 and "Your data was already here" in again.text
    assert _sessions(client) == 12
    other = json.loads(json.dumps(V1))
    other["sessions"][0]["client_id"] = "someone-else-1"
    r = _send(client, other)
    assert r.status_code == 409 and "only goes into an empty Upright" in r.text
    assert _sessions(client) == 12


def test_another_site_cannot_send_a_file(client: TestClient) -> None:
    r = send_file(client, "x.json", json.dumps(V1).encode(), headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    assert _sessions(client) == 0


def test_the_words_a_person_reads_here_are_plain(client: TestClient) -> None:
    """Flesch-Kincaid grade 5 or lower: the form, its refusals, the summary and the old-file note."""
    from tests.integration.test_breaks_wording import page_words
    from upright.catalog.readability import readability

    pages = [client.get("/settings/import").text, client.get("/settings").text]
    pages.append(_send(client, {"format": "something"}).text)
    pages.append(_send(client, V1).text)
    pages.append(_send(client, {**V1, "sessions": []}).text)  # another history: refused
    for page in pages:
        words = page_words(page)
        words = re.sub(r"In [a-z_.\[\]0-9]+:", "In this file:", words)  # a field name is not a word to read
        assert readability(words).flesch_kincaid <= 5, words

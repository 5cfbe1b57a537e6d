"""Break words a person reads: plain (Flesch-Kincaid grade 5 or lower), and no health details in what
others may see (desktop notifications, the browser notification, the page title, the calendar)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.patient_helpers import all_no
from upright.catalog import Catalog
from upright.catalog.readability import readability
from upright.cli.breaks_loop import HELP, NOTICE_BODY, NOTICE_TITLE
from upright.exports.ical import ALARM_TEXT, EVENT_TEXT, EVENT_TITLE

STATIC = Path(__file__).resolve().parents[2] / "src" / "upright" / "web" / "static"
HEALTH = re.compile(
    r"pain|ache|hurt|neck|\bback\b|spine|shoulder|injur|therap|doctor|health|medical|symptom", re.I
)


@pytest.fixture
def client(make_app: Any) -> Iterator[TestClient]:
    app = make_app()
    with TestClient(app) as c:
        yield c
    app.state.db.dispose()


def page_words(page: str) -> str:
    """The text of <main>, one sentence per block (as a person reads it)."""
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert main is not None
    body = re.sub(r"<(script|style)\b.*?</\1>", "", main.group(1), flags=re.S)
    body = re.sub(r"</(p|li|h1|h2|h3|label|legend|button|a|summary|th|td|option)>", ". ", body)
    words = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"(\s*\.\s*)+", ". ", re.sub(r"\s+", " ", words))


def test_break_pages_read_at_grade_five_or_lower(client: TestClient, catalog: Catalog) -> None:
    for path in ("/breaks", "/breaks/routine"):
        assert readability(page_words(client.get(path).text)).flesch_kincaid <= 5, path
    client.post("/api/me/screenings", json=all_no(catalog))
    client.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"})
    client.patch("/api/me/breaks/settings", json={"reminders_on": True})  # Today shows the panel
    assert readability(page_words(client.get("/breaks/routine").text)).flesch_kincaid <= 5
    panel = re.search(r'<section class="next-break.*?</section>', client.get("/today").text, re.S)
    assert panel is not None
    assert readability(page_words("<main>" + panel.group(0) + "</main>")).flesch_kincaid <= 5


def test_notifications_and_calendar_text_hold_no_health_details() -> None:
    shown_to_others = [NOTICE_TITLE, NOTICE_BODY, EVENT_TITLE, EVENT_TEXT, ALARM_TEXT]
    script = (STATIC / "breaks.js").read_text(encoding="utf-8")
    shown_to_others += re.findall(r'new Notification\("([^"]+)", \{ body: "([^"]+)"', script)[0]
    shown_to_others += re.findall(r'document\.title = "([^"]+)"', script)
    assert len(shown_to_others) == 8
    for text in shown_to_others:
        assert not HEALTH.search(text), text
    assert readability(" ".join([NOTICE_BODY, EVENT_TEXT, HELP.replace("·", ".")])).flesch_kincaid <= 5

"""Templates only show what their route hands them: while a page's template renders, no SQL runs.
(A Jinja global once opened a database transaction in the middle of rendering the Today page.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from tests.patient_helpers import FormClient, onboard
from upright.catalog import Catalog

pytestmark = pytest.mark.dateless

PAGES = [
    "/",
    "/today",
    "/breaks",
    "/breaks/routine",
    "/session",
    "/progress",
    "/settings",
    "/settings/delete",
    "/screening",
    "/setup",
    "/choose-program",
    "/exercises",
    "/programs",
    "/my-plan/print",
]


def test_no_page_reads_the_database_while_its_template_renders(
    make_app: Callable[..., FastAPI], catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    rendering: list[str] = []
    rendered: list[str] = []
    during: list[tuple[str, str]] = []
    render = jinja2.Template.render

    def watched_render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        rendering.append(self.name or "?")
        rendered.append(self.name or "?")
        try:
            return render(self, *args, **kwargs)
        finally:
            rendering.pop()

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if rendering:
            during.append((rendering[-1], statement))

    monkeypatch.setattr(jinja2.Template, "render", watched_render)
    event.listen(app.state.db.engine, "before_cursor_execute", record)
    with FormClient(app, base_url="http://127.0.0.1") as client:
        onboard(client, catalog)
        assert client.patch("/api/me/breaks/settings", json={"reminders_on": True}).status_code == 200
        shown = []
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            shown.append(path)
    assert shown == PAGES
    assert "patient/today.html" in rendered and "breaks.html" in rendered  # the break panel's pages
    assert during == []

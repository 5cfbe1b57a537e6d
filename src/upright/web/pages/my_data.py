"""Settings, Your data: "Download a backup" (the whole database in one file, SQLite's online backup)
and "Bring in my data" (the person's own export, read back into an empty Upright)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from upright.errors import Conflict, InvalidInput
from upright.services.data_import import import_data
from upright.store.backup import backup_sqlite, postgres_advice, sqlite_path
from upright.web.patient_deps import DbDep, NowDep, PersonDep
from upright.web.templating import templates

router = APIRouter(include_in_schema=False)

MAX_UPLOAD = 64 * 1024 * 1024  # years of daily sessions are a few megabytes


@router.get("/settings/backup", response_class=HTMLResponse)
def download_backup(request: Request, now: NowDep) -> Response:
    url: str = request.app.state.settings.effective_database_url
    db_file = sqlite_path(url)
    if db_file is None:
        return templates.TemplateResponse(
            request,
            "patient/backup_postgres.html",
            {"title": "Download a backup", "advice": postgres_advice(url)},
        )
    folder = Path(tempfile.mkdtemp(prefix="upright-backup-"))  # 0700: only this user can look inside
    out = folder / "backup.db"
    try:
        backup_sqlite(db_file, out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        out,
        media_type="application/vnd.sqlite3",
        filename=f"upright-backup-{now.date().isoformat()}.db",
        headers={"Cache-Control": "no-store"},
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


def _import_page(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    return templates.TemplateResponse(
        request, "patient/import.html", {"title": "Bring in my data", "error": error}, status_code=status
    )


@router.get("/settings/import", response_class=HTMLResponse)
def import_page(request: Request) -> Response:
    return _import_page(request)


@router.post("/settings/import", response_class=HTMLResponse)
def import_post(
    request: Request, db: DbDep, person: PersonDep, now: NowDep, file: UploadFile | None = File(None)
) -> Response:
    if file is None or not file.filename:
        return _import_page(request, error="Choose your file first (upright-my-data.json).", status=422)
    raw = file.file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        return _import_page(request, error="This file is too big to be an Upright export.", status=422)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _import_page(
            request, error="This file is not an Upright export (it is not a JSON file).", status=422
        )
    try:
        report = import_data(db, person.id, data, now=now)
    except InvalidInput as exc:
        db.rollback()
        return _import_page(
            request, error=f"Nothing was brought in. In {exc.field}: {exc.message}.", status=422
        )
    except Conflict as exc:
        db.rollback()
        return _import_page(request, error=str(exc), status=409)
    db.commit()
    return templates.TemplateResponse(
        request, "patient/imported.html", {"title": "Your data is here", "report": report}
    )

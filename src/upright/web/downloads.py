"""The "all my data" download, for the Settings page and /api/me/export alike (pages do not import
the API: both call this)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from fastapi import Response
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.exports.fhir import FHIR_JSON, person_bundle
from upright.services.fhir_exchange import person_history
from upright.services.my_data import export_all_data

__all__ = ["ExportFormat", "export_response"]

ExportFormat = Literal["json", "fhir"]


def export_response(
    db: Session, person_id: int, *, catalog: Catalog, now: datetime, format: ExportFormat
) -> Response:
    """Every record of the person as one attachment: Upright's JSON, or a FHIR R4B Bundle."""
    if format == "fhir":
        data = person_bundle(person_history(db, person_id, catalog=catalog), catalog=catalog, now=now)
        media_type, filename = FHIR_JSON, "upright-fhir-bundle.json"
    else:
        data = export_all_data(db, person_id, now=now)
        media_type, filename = "application/json", "upright-my-data.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )

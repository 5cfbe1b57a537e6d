"""The person whose data this is, and their profile (onboarding and Settings).

Personal mode has one local person, created on first use. Clinic mode (later) will resolve the
person from a login instead; everything below already takes a person id."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.config import Settings
from upright.documents.profile import ProfileIn, ProfileOut
from upright.domain.exclusions import check_conditions
from upright.errors import InvalidInput
from upright.services.catalog import normalize_equipment
from upright.store import Database
from upright.store import repositories as repo
from upright.store.person_refs import PersonRef
from upright.store.tables import PersonRow, ProfileRow

__all__ = [
    "FOCUS_CHOICES",
    "SETTING_CHOICES",
    "current_person",
    "current_person_ref",
    "current_person_ref_async",
    "get_profile",
    "profile_out",
    "update_profile",
]

SETTING_CHOICES = ("home", "work")
FOCUS_CHOICES = ("mixed", "stretch", "strengthen", "posture")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _person_key(settings: Settings) -> str:
    if settings.mode != "personal":
        raise InvalidInput("mode", "only personal mode exists so far; set UPRIGHT_MODE=personal")
    return repo.LOCAL_PERSON


def current_person_ref(c: Connection, settings: Settings) -> Row[int, str, int] | None:
    """Personal mode: the one local person's (id, key, revision), or None before first use."""
    return repo.person_ref(c, _person_key(settings))


async def current_person_ref_async(database: Database, settings: Settings) -> PersonRef | None:
    """`current_person_ref` read on the event loop (store/person_refs.py); None also when that read
    cannot tell, and then the caller asks `current_person_ref` in a worker thread."""
    return await database.person_refs.get(_person_key(settings))


def current_person(s: Session, settings: Settings, *, now: datetime) -> PersonRow:
    """Personal mode: the one local person (created on first use)."""
    return repo.ensure_person(s, _person_key(settings), now=now)


def profile_out(row: ProfileRow | None) -> ProfileOut:
    if row is None:
        return ProfileOut(reminder_time=None, **repo.profile_defaults())
    return ProfileOut(
        setting=row.setting,
        equipment=list(row.equipment),
        conditions=list(row.conditions),
        minutes=row.minutes,
        focus=row.focus,
        sessions_per_week=row.sessions_per_week,
        reminders_on=row.reminders_on,
        reminder_time=row.reminder_time,
        voice_on=row.voice_on,
        bell_on=row.bell_on,
    )


def get_profile(s: Session, person_id: int) -> ProfileOut:
    return profile_out(repo.get_profile(s, person_id))


def _checked_conditions(values: Iterable[str], catalog: Catalog) -> list[str]:
    return list(dict.fromkeys(c.id for c in check_conditions(values, catalog.conditions)))


def update_profile(
    s: Session, person_id: int, change: ProfileIn, *, catalog: Catalog, now: datetime
) -> ProfileOut:
    """Check every value first, then store them all (nothing half-saved)."""
    values: dict[str, Any] = change.model_dump(exclude_unset=True)
    if "equipment" in values:
        values["equipment"] = sorted(normalize_equipment(values["equipment"] or []))
    if "conditions" in values:
        values["conditions"] = _checked_conditions(values["conditions"] or [], catalog)
    if values.get("reminder_time"):
        if not HHMM.match(values["reminder_time"]):
            raise InvalidInput("reminder_time", "give a time like 08:30 (hours 00 to 23, then minutes)")
    elif "reminder_time" in values:
        values["reminder_time"] = None
    for key in [k for k, v in values.items() if v is None and k not in ("reminder_time",)]:
        del values[key]  # None means "leave as it is" for everything but the reminder time
    row = repo.save_profile(s, person_id, now=now, **values)
    return profile_out(row)

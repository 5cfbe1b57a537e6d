"""The shape of "all my data" (docs/EXPORT.md): strict models that read every version Upright ever
wrote, bring an old version up to the current one, and a canonical form that two exports can be
compared in (the numbers that link records inside one file are replaced by what they point to).

Version history: 1 (first export), 2 (adds what version 1 left out: when each row was stored, the
screening's "blocks sessions", a warning sign given with a pain score, a break event's client id),
3 (adds `clinic`: a clinic patient's prescriptions, clearances and their clinicians' alerts)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
)

from upright.documents.errors import invalid_input
from upright.documents.screening import ScreeningDetailsDoc
from upright.domain.screening import BLOCKING
from upright.errors import InvalidInput

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ExportDoc",
    "canonical",
    "parse_export",
]

EXPORT_FORMAT = "upright-export"
EXPORT_VERSION = 3

Id = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Short = Annotated[str, StringConstraints(max_length=16)]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Score = Annotated[int, Field(ge=0, le=10)]
Count = Annotated[int, Field(ge=0)]


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# Any offset in, UTC out (as Upright stores it), written as "+00:00" (docs/EXPORT.md).
When = Annotated[AwareDatetime, AfterValidator(_utc), PlainSerializer(datetime.isoformat, when_used="json")]
Name = Annotated[str, StringConstraints(max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileV(_Strict):
    setting: Literal["home", "work"]
    equipment: list[Annotated[str, StringConstraints(max_length=60)]]
    conditions: list[Annotated[str, StringConstraints(max_length=60)]]
    minutes: int = Field(ge=1, le=180)
    focus: Literal["mixed", "stretch", "strengthen", "posture"]
    sessions_per_week: int = Field(ge=1, le=14)
    reminders_on: bool
    reminder_time: Clock | None
    voice_on: bool
    bell_on: bool
    updated_at: When | None = None  # version 2


class ScreeningV(_Strict):
    taken_at: When
    outcome: Annotated[str, StringConstraints(min_length=1, max_length=24)]
    reasons: list[str]
    answers: dict[str, bool]  # question id -> yes (true) or no (false), and "cleared-by-clinician"
    details: ScreeningDetailsDoc
    blocks_sessions: bool | None = None  # version 2; version 1 read it from the outcome


class PlanItemV(BaseModel):
    """Only what every stored plan item has; the rest is kept as written (an export carries a plan as
    stored, however old: documents.plan.StoredPlanDoc reads it when it is played)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    exercise: Id


class PlanBodyV(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    items: list[PlanItemV]


class PlanV(_Strict):
    id: int
    created_at: When
    # "imported" (a FHIR CarePlan) and "prescribed" (a clinician's): version 3
    source: Literal["suggested", "handout", "imported", "prescribed"]
    template_id: Id | None
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    is_active: bool
    plan: PlanBodyV  # the engine's plan JSON, kept as written; "changes" is its dose history


class ItemV(_Strict):
    exercise: Id
    status: Literal["done", "partial", "skipped", "stopped_for_pain"]
    target_sets: int = Field(ge=1)
    target_reps: int | None = Field(ge=1)
    target_hold_seconds: int | None = Field(ge=1)
    each_side: bool
    sets_done: Count
    reps_done: Count
    holds_done: Count


class SessionV(_Strict):
    id: int
    client_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    plan_id: int | None
    program: Id | None
    player: Literal["web", "terminal"]
    started_at: When
    ended_at: When
    outcome: Literal["completed", "ended_early", "stopped_for_pain"]
    end_pain: Score | None
    feeling: Literal["easier", "as_expected", "harder"] | None
    planned_seconds: Count | None
    active_seconds: Count | None
    items: list[ItemV]
    received_at: When | None = None  # version 2
    content_hash: Annotated[str, StringConstraints(max_length=64)] | None = None  # version 2


class PainV(_Strict):
    taken_at: When
    score: Score
    context: Literal["during", "end", "check-in"]
    exercise: Id | None
    location: Annotated[str, StringConstraints(max_length=32)] | None
    action: Short | None
    session_id: int | None
    red_flag: bool | None = None  # version 2; version 1 did not keep it


class BreakSettingsV(_Strict):
    every: int = Field(ge=30, le=60)
    start: Clock
    end: Clock
    days: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    days_off: list[str]
    postpone_minutes: int = Field(ge=0)
    max_postpones: int = Field(ge=0)
    natural_minutes: int = Field(ge=0)
    at_hand: list[str]
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    updated_at: When
    reminders_on: bool | None = None  # version 2; before, saved settings meant reminders on


class BreakEventV(_Strict):
    kind: Literal["prompted", "taken", "natural", "postponed", "skipped", "paused", "resumed"]
    at: When
    until: When | None
    exercises: list[str]  # exercise ids
    idle_seconds: Count
    client: Short
    client_id: Annotated[str, StringConstraints(max_length=64)] | None = None  # version 2


class BreaksV(_Strict):
    settings: BreakSettingsV | None
    events: list[BreakEventV]


class PrescriptionBodyV(BaseModel):
    """A prescription as saved (services.prescriptions); the rest (breaks, excluded) kept as written."""

    model_config = ConfigDict(extra="allow", frozen=True)

    items: list[PlanItemV]  # each with dose, times_per_day, reason, override_reason
    per_week: int  # days a week
    times_per_day: int  # full sessions a day
    weeks: int
    note: str


class PrescriptionV(_Strict):
    """One version of a clinician's prescription, as it was saved (version 3)."""

    version: int = Field(ge=1)
    created_at: When
    author: Name  # the clinician's name as the patient saw it; accounts are not exported
    start_on: date
    per_week: int = Field(ge=1, le=14 * 6)  # sessions a week
    body: PrescriptionBodyV
    summary: dict[str, str]
    changes: list[str]
    plan_id: int | None  # the plan it made, in this file


class ClearanceV(_Strict):
    """A clinician's "may start on" or hold (version 3)."""

    created_at: When
    author: Name
    kind: Literal["cleared", "hold"]
    start_on: date | None
    note: Annotated[str, StringConstraints(max_length=500)]


class ClinicAlertV(_Strict):
    """An alert the clinic's rules raised for the patient's clinicians, with "seen" and a note (version 3)."""

    kind: Annotated[str, StringConstraints(min_length=1, max_length=24)]
    reason: Annotated[str, StringConstraints(max_length=500)]
    at: When
    created_at: When
    seen_at: When | None
    seen_by: Name | None
    note: Annotated[str, StringConstraints(max_length=1000)] | None


class ClinicV(_Strict):
    prescriptions: list[PrescriptionV] = Field(default_factory=list)
    clearances: list[ClearanceV] = Field(default_factory=list)
    alerts: list[ClinicAlertV] = Field(default_factory=list)


class ExportDoc(_Strict):
    format: Literal["upright-export"]
    version: int
    exported_at: When
    profile: ProfileV | None
    screenings: list[ScreeningV]
    plans: list[PlanV]
    sessions: list[SessionV]
    breaks: BreaksV
    pain_reports: list[PainV]
    clinic: ClinicV = Field(default_factory=ClinicV)  # version 3; before, no clinic records


def _check_links(doc: ExportDoc) -> None:
    """Every number that links two records must point at a record in the same file."""
    plan_ids = [p.id for p in doc.plans]
    if len(set(plan_ids)) != len(plan_ids):
        raise InvalidInput("plans", "two plans have the same id")
    session_ids = [x.id for x in doc.sessions]
    if len(set(session_ids)) != len(session_ids):
        raise InvalidInput("sessions", "two sessions have the same id")
    clients = [x.client_id for x in doc.sessions]
    if len(set(clients)) != len(clients):
        raise InvalidInput("sessions", "two sessions have the same client_id")
    for i, x in enumerate(doc.sessions):
        if x.plan_id is not None and x.plan_id not in plan_ids:
            raise InvalidInput(f"sessions[{i}].plan_id", f"there is no plan {x.plan_id} in this file")
    for i, p in enumerate(doc.pain_reports):
        if p.session_id is not None and p.session_id not in session_ids:
            raise InvalidInput(
                f"pain_reports[{i}].session_id", f"there is no session {p.session_id} in this file"
            )
    versions = [x.version for x in doc.clinic.prescriptions]
    if len(set(versions)) != len(versions):
        raise InvalidInput("clinic.prescriptions", "two prescriptions have the same version")
    for i, rx in enumerate(doc.clinic.prescriptions):
        if rx.plan_id is not None and rx.plan_id not in plan_ids:
            raise InvalidInput(
                f"clinic.prescriptions[{i}].plan_id", f"there is no plan {rx.plan_id} in this file"
            )
    event_ids = [e.client_id for e in doc.breaks.events if e.client_id is not None]
    if len(set(event_ids)) != len(event_ids):
        raise InvalidInput("breaks.events", "two break events have the same client_id")


def _session_hash(x: SessionV) -> str:
    """Version 1 did not export the hash that makes a resent result harmless: make a stable one."""
    body = x.model_dump(mode="json", exclude={"id", "plan_id", "received_at", "content_hash"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _filled(doc: ExportDoc) -> ExportDoc:
    """Bring an older version up to this one: every field that version left out gets the value
    docs/EXPORT.md promises (the same every time, so importing it twice is still one import)."""
    profile = doc.profile
    if profile is not None and profile.updated_at is None:
        profile = profile.model_copy(update={"updated_at": doc.exported_at})
    breaks = doc.breaks
    if breaks.settings is not None and breaks.settings.reminders_on is None:
        breaks = breaks.model_copy(
            update={"settings": breaks.settings.model_copy(update={"reminders_on": True})}
        )
    return doc.model_copy(
        update={
            "version": EXPORT_VERSION,
            "profile": profile,
            "breaks": breaks,
            "screenings": [
                x if x.blocks_sessions is not None else x.model_copy(update={"blocks_sessions": x.outcome in BLOCKING})
                for x in doc.screenings
            ],
            "sessions": [
                x.model_copy(update={
                    "received_at": x.received_at or x.ended_at,
                    "content_hash": x.content_hash or _session_hash(x),
                })
                for x in doc.sessions
            ],
            "pain_reports": [
                p if p.red_flag is not None else p.model_copy(update={"red_flag": False})
                for p in doc.pain_reports
            ],
        }
    )  # fmt: skip


def parse_export(data: Any) -> ExportDoc:
    """Read an export of any version up to this one, checked, with every field filled.

    Raises InvalidInput naming the first field that is unknown or broken."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidInput("format", "this file is not an Upright export (Settings, Download all my data)")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput("version", "this export has no version number Upright knows")
    if version > EXPORT_VERSION:
        raise InvalidInput(
            "version",
            f"this export was made by a newer Upright (format {version}); update Upright, then try again",
        )
    try:
        doc = ExportDoc.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc, whole="file") from None
    _check_links(doc)
    return _filled(doc)


def _ordered(items: list[Any], key: Any) -> list[Any]:
    return sorted(items, key=key)  # stable: equal keys keep the file's order, as ids do in the database


def canonical(doc: ExportDoc) -> dict[str, Any]:
    """The data of an export, comparable with another: no export time, rows in the order Upright lists
    them, and links by what they point at (a plan by its place, a session by its client id)."""
    plans = _ordered(list(doc.plans), key=lambda p: p.id)
    plan_place = {p.id: n for n, p in enumerate(plans)}
    session_client = {x.id: x.client_id for x in doc.sessions}

    out = doc.model_dump(mode="json", exclude={"exported_at", "plans", "sessions", "pain_reports", "clinic"})
    out["screenings"] = [
        x.model_dump(mode="json") for x in _ordered(list(doc.screenings), key=lambda x: x.taken_at)
    ]
    out["breaks"]["events"] = [
        e.model_dump(mode="json") for e in _ordered(list(doc.breaks.events), key=lambda e: e.at)
    ]
    out["plans"] = [{**p.model_dump(mode="json"), "id": plan_place[p.id]} for p in plans]
    out["sessions"] = [
        {
            **x.model_dump(mode="json"),
            "id": x.client_id,
            "plan_id": plan_place.get(x.plan_id) if x.plan_id is not None else None,
        }
        for x in _ordered(list(doc.sessions), key=lambda x: x.started_at)
    ]
    out["pain_reports"] = [
        {
            **p.model_dump(mode="json"),
            "session_id": session_client.get(p.session_id) if p.session_id is not None else None,
        }
        for p in _ordered(list(doc.pain_reports), key=lambda p: p.taken_at)
    ]
    c = doc.clinic
    out["clinic"] = {
        "prescriptions": [
            {**x.model_dump(mode="json"), "plan_id": plan_place.get(x.plan_id) if x.plan_id is not None else None}
            for x in _ordered(list(c.prescriptions), key=lambda x: x.version)
        ],
        "clearances": [x.model_dump(mode="json") for x in _ordered(list(c.clearances), key=lambda x: x.created_at)],
        "alerts": [x.model_dump(mode="json") for x in _ordered(list(c.alerts), key=lambda x: (x.at, x.created_at))],
    }  # fmt: skip
    return out

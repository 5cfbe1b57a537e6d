"""Who may call which route in clinic mode: one rule per "METHOD /path/{template}" of the app's route
table. The gate (web/clinic_gate.py) enforces them before any router runs; a route without a rule is
refused (fail closed) and tests/integration/test_role_matrix.py fails, so a new route needs a line here.

Personal mode has no accounts and ignores these rules."""

from __future__ import annotations

from enum import Enum
from typing import Final

__all__ = ["AUDITED", "RULES", "Access", "rule_key"]


class Access(Enum):
    OPEN = "anyone, signed in or not"
    SIGNED_IN = "any signed-in account"
    PATIENT = "a signed-in patient, on their own data (audited)"
    CLINICIAN = "a signed-in clinician"
    CLINICIAN_OF_PATIENT = "a clinician caring for the path's {patient_id} (audited)"
    ADMIN = "a signed-in admin"
    PERSONAL_ONLY = "personal mode only (clinic mode answers 404)"


# Rules whose every call reads or writes one patient's data: the gate writes an audit row for each.
AUDITED: Final = frozenset({Access.PATIENT, Access.CLINICIAN_OF_PATIENT})


def rule_key(method: str, path: str) -> str:
    return f"{'GET' if method == 'HEAD' else method} {path}"


_SIGNED_IN = (
    # The catalog, handouts as printed, documentation and the engine's stateless answers: no one's data.
    "GET /",
    "GET /exercises",
    "GET /exercises/figures",
    "GET /exercises/{exercise_id}",
    "GET /figures/{exercise_id}.svg",
    "GET /programs",
    "GET /programs/{program_id}",
    "GET /programs/{program_id}/print",
    "GET /programs/{program_id}/handout.pdf",
    "GET /docs",
    "GET /api/exercises",
    "GET /api/exercises/{exercise_id}",
    "GET /api/programs",
    "GET /api/programs/{program_id}",
    "GET /api/screening/questions",
    "POST /api/screening",
    "POST /api/plan",
    "POST /api/script",
    # Accounts
    "POST /logout",
    "POST /api/auth/logout",
    "GET /api/auth/me",
    "GET /account",
    "POST /account/password",
)

_PATIENT = (
    "GET /my-plan/handout.pdf",
    "GET /my-plan/print",
    "GET /breaks",
    "POST /breaks/settings",
    "POST /breaks/events",
    "POST /breaks/reminders",
    "GET /breaks/routine",
    "GET /calendar/breaks.ics",
    "GET /screening",
    "POST /screening",
    "GET /screening/result",
    "GET /stop",
    "GET /setup",
    "POST /setup",
    "GET /choose-program",
    "POST /choose-program",
    "GET /today",
    "POST /checkin",
    "GET /session",
    "POST /session/log",
    "GET /progress",
    "GET /settings",
    "POST /settings",
    "GET /settings/export",
    "GET /settings/delete",
    "POST /settings/delete",
    "GET /settings/import",
    "POST /settings/import",
    "GET /api/me/profile",
    "PATCH /api/me/profile",
    "GET /api/me/screening/questions",
    "POST /api/me/screenings",
    "GET /api/me/screenings/latest",
    "GET /api/me/plan/options",
    "POST /api/me/plan",
    "GET /api/me/plan",
    "GET /api/me/session/script",
    "POST /api/me/sessions",
    "GET /api/me/sessions",
    "GET /api/me/sessions/{session_id}",
    "POST /api/me/checkins",
    "GET /api/me/today",
    "GET /api/me/progress",
    "GET /api/me/export",
    "DELETE /api/me",
    "GET /api/me/breaks",
    "GET /api/me/breaks/settings",
    "PATCH /api/me/breaks/settings",
    "GET /api/me/breaks/routine",
    "POST /api/me/breaks/events",
    "POST /api/me/breaks/routine/done",
)

_OPEN = (
    "GET /openapi.json",  # the API's description (no one's data): scripts and tools read it first
    "GET /login",
    "POST /login",
    "POST /api/auth/login",
    "GET /enrol",
    "POST /enrol",
)

_CLINICIAN = (
    "GET /api/clinic/patients",
    "POST /api/clinic/alerts/{alert_id}/seen",  # checks the care link itself (the alert names the patient)
    "GET /clinic",
    "POST /clinic/alerts/{alert_id}/seen",
    "GET /clinic/patients/new",
    "POST /clinic/patients/new",
    "POST /account/totp",
)

_CLINICIAN_OF_PATIENT = (
    "GET /api/clinic/patients/{patient_id}",
    "POST /api/clinic/patients/{patient_id}/prescriptions",
    "GET /api/clinic/patients/{patient_id}/prescriptions",
    "POST /api/clinic/patients/{patient_id}/clearance",
    "GET /api/clinic/patients/{patient_id}/fhir",
    "GET /clinic/patients/{patient_id}",
    "GET /clinic/patients/{patient_id}/prescribe",
    "POST /clinic/patients/{patient_id}/prescriptions",
    "POST /clinic/patients/{patient_id}/clearance",
    "GET /clinic/patients/{patient_id}/handout",
    "POST /clinic/patients/{patient_id}/enrolment",
)

_ADMIN = (
    "GET /admin",
    "POST /admin/users",
    "POST /admin/links",
    "POST /admin/users/{user_id}/password",
    "POST /admin/users/{user_id}/disabled",
    "GET /admin/audit",
)

_PERSONAL_ONLY = (
    # The whole database file: every patient's data. A practice backs up its server instead.
    "GET /settings/backup",
)

RULES: Final[dict[str, Access]] = {
    **dict.fromkeys(_OPEN, Access.OPEN),
    **dict.fromkeys(_SIGNED_IN, Access.SIGNED_IN),
    **dict.fromkeys(_PATIENT, Access.PATIENT),
    **dict.fromkeys(_CLINICIAN, Access.CLINICIAN),
    **dict.fromkeys(_CLINICIAN_OF_PATIENT, Access.CLINICIAN_OF_PATIENT),
    **dict.fromkeys(_ADMIN, Access.ADMIN),
    **dict.fromkeys(_PERSONAL_ONLY, Access.PERSONAL_ONLY),
}

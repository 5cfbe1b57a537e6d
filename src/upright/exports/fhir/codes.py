"""The codes, systems and units the FHIR bundle uses, in one place.

Standard codes where one fits (SNOMED CT, LOINC, UCUM, HL7's own code systems); Upright's own code
systems and extensions for what no standard names (which exercise, which pain context, each side).
`BASE` is a name space for Upright's canonical URLs, not a server: nothing is ever fetched from it
(`.invalid` can never resolve), so an export never points anywhere a reader could be tracked."""

from __future__ import annotations

from typing import Any, Final

__all__ = [
    "BASE",
    "EACH_SIDE",
    "EXERCISE_DONE_EXT",
    "EXERCISE_SYSTEM",
    "EXERCISE_THERAPY",
    "FHIR_JSON",
    "LOINC",
    "OBSERVATION_CATEGORY",
    "OUTCOME_SYSTEM",
    "PAIN_CONTEXTS",
    "PAIN_CONTEXT_SYSTEM",
    "PAIN_SEVERITY",
    "PARAM_SYSTEM",
    "PARAM_UNITS",
    "POSITION_SYSTEM",
    "PROGRAM_SYSTEM",
    "SESSION_OUTCOME_SYSTEM",
    "SNOMED",
    "SURVEY",
    "UCUM",
    "VARIANT_EXT",
    "canonical",
    "coding",
    "concept",
    "exercise_concept",
    "quantity",
]

FHIR_JSON: Final = "application/fhir+json"
BASE: Final = "https://upright.invalid/fhir"

SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"

EXERCISE_THERAPY: Final = (SNOMED, "229065009", "Exercise therapy")
PAIN_SEVERITY: Final = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
SURVEY: Final = (OBSERVATION_CATEGORY, "survey", "Survey")

EXERCISE_SYSTEM: Final = f"{BASE}/CodeSystem/exercise"  # code: the catalog's exercise id
PROGRAM_SYSTEM: Final = f"{BASE}/CodeSystem/program"  # code: the catalog's handout program id
PARAM_SYSTEM: Final = f"{BASE}/CodeSystem/dose-part"  # the parts of a dose in doseAndRate.type
PAIN_CONTEXT_SYSTEM: Final = f"{BASE}/CodeSystem/pain-context"
OUTCOME_SYSTEM: Final = f"{BASE}/CodeSystem/screening-outcome"
SESSION_OUTCOME_SYSTEM: Final = f"{BASE}/CodeSystem/session-outcome"
EACH_SIDE: Final = (f"{BASE}/CodeSystem/dose-method", "each-side", "Do it on each side")
POSITION_SYSTEM: Final = f"{BASE}/CodeSystem/position"  # code: where the exercise is done (sitting, ...)

# Extensions (each documented in docs/FHIR.md).
VARIANT_EXT: Final = f"{BASE}/StructureDefinition/dose-variant"  # valueString: the handout's variant
EXERCISE_DONE_EXT: Final = f"{BASE}/StructureDefinition/exercise-done"  # target next to what was done

# dose part -> (display, UCUM code, unit shown). UCUM curly-brace annotations count things.
PARAM_UNITS: Final[dict[str, tuple[str, str, str]]] = {
    "hold_seconds": ("Hold", "s", "seconds"),
    "reps": ("Repetitions in each set", "{repetitions}", "times"),
    "sets": ("Sets", "{sets}", "sets"),
}
PAIN_CONTEXTS: Final[dict[str, str]] = {
    "check-in": "Check-in",
    "end": "Session end",
    "during": "This hurts (during a session)",
}


def canonical(kind: str, key: str) -> str:
    """The canonical URL of one of Upright's definitions, e.g. ActivityDefinition/chin-tuck."""
    return f"{BASE}/{kind}/{key}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(*codings: tuple[str, str, str], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [coding(*c) for c in codings]}
    if text:
        out["text"] = text
    return out


def exercise_concept(exercise_id: str, name: str) -> dict[str, Any]:
    """Exercise therapy (SNOMED CT) and which exercise (Upright's catalog id)."""
    return concept(EXERCISE_THERAPY, (EXERCISE_SYSTEM, exercise_id, name), text=name)


def quantity(value: int, ucum: str, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": ucum}

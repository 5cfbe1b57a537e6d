"""FHIR R4B: a person's data out as a Bundle, a CarePlan bundle in as a plan draft (docs/FHIR.md)."""

from __future__ import annotations

from upright.exports.fhir.bundle import PersonHistory, person_bundle
from upright.exports.fhir.codes import FHIR_JSON
from upright.exports.fhir.reader import read_plan_bundle

__all__ = ["FHIR_JSON", "PersonHistory", "person_bundle", "read_plan_bundle"]

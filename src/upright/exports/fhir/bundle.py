"""A person's data as one FHIR R4B Bundle of type `collection`, checked before it leaves.

    Patient                 anonymous in personal mode (Upright keeps no name, birth date or address)
    Practitioner            only when a clinician set the plan
    ActivityDefinition      one per exercise in the plan, with the person's dose and its handout
    PlanDefinition          one per handout program used (the plan's, and programs played directly)
    CarePlan                the active plan
    Questionnaire           the safety screening, as the catalog asks it now
    QuestionnaireResponse   one per stored screening, with the outcome and reasons
    Procedure               one per guided session: target next to what was done
    Observation             one per pain score (LOINC 72514-3)

Every entry's fullUrl is a `urn:uuid:` made from the person and the record, so exporting twice gives
the same ids and references stay inside the bundle."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from upright.catalog.load import Catalog
from upright.domain.screening import questionnaire as screening_questions
from upright.domain.script import ScriptItem
from upright.errors import NotFound
from upright.exports.fhir.careplan import care_plan, practitioner
from upright.exports.fhir.codes import BASE
from upright.exports.fhir.definitions import activity_definition, plan_definition
from upright.exports.fhir.records import pain_observation, session_procedure
from upright.exports.fhir.screening import questionnaire, questionnaire_response
from upright.exports.fhir.validation import validate_bundle
from upright.store.tables import PainReportRow, PlanRow, ScreeningRow, SessionRow

__all__ = ["PersonHistory", "person_bundle"]


class PersonHistory(Protocol):
    """What the bundle is made from (services.fhir_exchange.person_history gathers it)."""

    @property
    def id_seed(self) -> str: ...  # unique to the person: seeds the stable resource ids
    @property
    def plan(self) -> PlanRow | None: ...
    @property
    def plan_items(self) -> Sequence[ScriptItem]: ...
    @property
    def plan_author(self) -> str | None: ...  # a clinician's name when one set the plan
    @property
    def sessions_per_week(self) -> int: ...
    @property
    def screenings(self) -> Sequence[ScreeningRow]: ...
    @property
    def sessions(self) -> Sequence[SessionRow]: ...  # oldest first, items loaded
    @property
    def pain(self) -> Sequence[PainReportRow]: ...  # oldest first
    @property
    def places(self) -> Mapping[str, str]: ...  # pain location id -> words


class _Ids:
    def __init__(self, seed: str) -> None:
        self.seed = seed

    def __call__(self, kind: str, key: object) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/{self.seed}/{kind}/{key}"))

    def ref(self, kind: str, key: object) -> str:
        return f"urn:uuid:{self(kind, key)}"


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _programs(history: PersonHistory) -> list[str]:
    used = [history.plan.template_id] if history.plan is not None and history.plan.template_id else []
    used += [s.program for s in history.sessions if s.program]
    return list(dict.fromkeys(used))


def person_bundle(history: PersonHistory, *, catalog: Catalog, now: datetime) -> dict[str, Any]:
    """The bundle as JSON, validated with fhir.resources' R4B models (a failure is a bug: it raises)."""
    ids = _Ids(history.id_seed)
    patient_ref = ids.ref("Patient", "self")
    names = {ex.id: ex.name for ex in catalog.exercises.values()}
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": ids("Patient", "self"), "active": True}
    ]

    plan, plan_ref = history.plan, None
    if plan is not None:
        author_ref = None
        if history.plan_author:
            resources.append(practitioner(history.plan_author, resource_id=ids("Practitioner", plan.id)))
            author_ref = ids.ref("Practitioner", plan.id)
        resources += [
            activity_definition(item, catalog, resource_id=ids("ActivityDefinition", item.exercise.id))
            for item in history.plan_items
        ]
        plan_ref = ids.ref("CarePlan", plan.id)
        resources.append(
            care_plan(
                history.plan_items,
                resource_id=ids("CarePlan", plan.id),
                title=plan.title,
                created=plan.created_at,
                is_active=plan.is_active,
                template_id=plan.template_id,
                sessions_per_week=history.sessions_per_week,
                patient_ref=patient_ref,
                author_ref=author_ref,
                words=catalog.vocabulary,
            )
        )
    for program in _programs(history):
        try:
            tpl = catalog.template(program)
        except NotFound:
            continue  # a program no longer in the catalog: the sessions still name it by URL
        resources.append(plan_definition(tpl, catalog, resource_id=ids("PlanDefinition", tpl.id)))

    questions = screening_questions(catalog.screening, catalog.conditions)
    resources.append(
        questionnaire(
            questions,
            resource_id=ids("Questionnaire", "screening"),
            outcomes=catalog.vocabulary.screening_outcomes,
        )
    )
    resources += [
        questionnaire_response(
            row,
            questions,
            resource_id=ids("QuestionnaireResponse", row.id),
            patient_ref=patient_ref,
            outcomes=catalog.vocabulary.screening_outcomes,
        )
        for row in history.screenings
    ]
    resources += [
        session_procedure(
            row,
            resource_id=ids("Procedure", row.id),
            patient_ref=patient_ref,
            plan_ref=plan_ref if plan is not None and row.plan_id == plan.id else None,
            names=names,
            outcomes=catalog.vocabulary.session_outcomes,
        )
        for row in history.sessions
    ]
    resources += [
        pain_observation(
            row,
            resource_id=ids("Observation", row.id),
            patient_ref=patient_ref,
            session_ref=ids.ref("Procedure", row.session_id) if row.session_id is not None else None,
            names=names,
            places=history.places,
        )
        for row in history.pain
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": ids("Bundle", now.isoformat()),
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": [_entry(r) for r in resources],
    }
    validate_bundle(bundle)  # the models check it; the dict is returned as built (dumping them is slow)
    return bundle

"""The catalog as scripts see it: an exercise with every handout's dose (`upright exercise ID --json`,
GET /api/exercises) and a handout program (`upright program ID --json`, GET /api/programs)."""

from __future__ import annotations

from pydantic import BaseModel

from upright.catalog.load import Catalog
from upright.catalog.schema import Dose, Exercise, HandoutTemplate, Variant
from upright.documents.types import Pair

__all__ = ["CatalogDoseDoc", "ExerciseDoc", "ProgramDoc"]


class _Numbers(BaseModel):
    hold_seconds: Pair | None  # [low, high] from the handout
    reps: Pair | None
    sets: int | None
    each_side: bool


class VariantDoc(_Numbers):
    name: str
    note: str | None

    @classmethod
    def of(cls, v: Variant) -> VariantDoc:
        return cls(
            name=v.name, hold_seconds=v.hold_seconds, reps=v.reps, sets=v.sets, each_side=v.each_side,
            note=v.note,
        )  # fmt: skip


class CatalogDoseDoc(_Numbers):
    """A dose as one handout gives it: ranges, how often a day, its variants."""

    handout: str
    name_in_handout: str
    per_day: Pair | None
    per_day_text: str | None
    as_directed: bool
    given: bool  # false: the handout names the exercise but gives no numbers
    variants: list[VariantDoc]
    note: str | None

    @classmethod
    def of(cls, d: Dose) -> CatalogDoseDoc:
        return cls(
            handout=d.handout, name_in_handout=d.name_in_handout, hold_seconds=d.hold_seconds,
            reps=d.reps, sets=d.sets, each_side=d.each_side, per_day=d.per_day,
            per_day_text=d.per_day_text, as_directed=d.as_directed, given=d.is_given,
            variants=[VariantDoc.of(v) for v in d.variants], note=d.note,
        )  # fmt: skip


class CuesDoc(BaseModel):
    do: list[str]
    dont: list[str]


class ExerciseDoc(BaseModel):
    id: str
    name: str
    other_names: list[str]
    purpose: str
    category: str
    regions: list[str]
    position: str
    other_positions: list[str]
    equipment: list[str]
    uses_neutral_posture: bool
    desk_friendly: bool
    steps: list[str]
    cues: CuesDoc
    cautions: list[str]
    contraindications: list[str]
    breathing: list[str]
    doses: list[CatalogDoseDoc]

    @classmethod
    def of(cls, ex: Exercise) -> ExerciseDoc:
        return cls(
            id=ex.id,
            name=ex.name,
            other_names=list(ex.other_names),
            purpose=ex.purpose,
            category=ex.category,
            regions=list(ex.regions),
            position=ex.position,
            other_positions=list(ex.other_positions),
            equipment=list(ex.equipment),
            uses_neutral_posture=ex.uses_neutral_posture,
            desk_friendly=ex.desk_friendly,
            steps=list(ex.steps),
            cues=CuesDoc(do=list(ex.cues.do), dont=list(ex.cues.dont)),
            cautions=list(ex.cautions),
            contraindications=list(ex.contraindications),
            breathing=list(ex.breathing),
            doses=[CatalogDoseDoc.of(d) for d in ex.doses],
        )


class ProgramItemDoc(BaseModel):
    exercise: str
    name: str
    dose: CatalogDoseDoc


class RuleDoc(BaseModel):
    id: str
    kind: str
    text: str


class ProgramDoc(BaseModel):
    """A handout program: its exercises in the handout's order, each with the handout's dose."""

    id: str
    file: str
    title: str
    source: str
    summary: str
    setting: str
    uses_neutral_posture: bool
    items: list[ProgramItemDoc]
    rules: list[RuleDoc]

    @classmethod
    def of(cls, tpl: HandoutTemplate, catalog: Catalog) -> ProgramDoc:
        items = []
        for ex_id in tpl.items:
            ex = catalog.exercise(ex_id)
            dose = ex.dose_for(tpl.file)
            assert dose is not None  # the loader guarantees every template item has its dose
            items.append(ProgramItemDoc(exercise=ex.id, name=ex.name, dose=CatalogDoseDoc.of(dose)))
        return cls(
            id=tpl.id,
            file=tpl.file,
            title=tpl.title,
            source=tpl.source,
            summary=tpl.summary,
            setting=tpl.setting,
            uses_neutral_posture=tpl.uses_neutral_posture,
            items=items,
            rules=[RuleDoc(id=r, kind=catalog.rules[r].kind, text=catalog.rules[r].text) for r in tpl.rules],
        )

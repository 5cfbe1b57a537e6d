"""Personal programs: which exercises, in what order, at what dose, and why each one is in or out.

Inputs (`PlanInputs`): setting (home or work desk), equipment at hand, conditions, minutes, focus
(stretch / strengthen / posture / mixed), and optionally a handout template to start from.

Every exercise the plan considers ends up in exactly one place: `items` (with its dose and the
reason it was chosen) or `excluded` (with the reason and the rule that left it out):

    condition:<id>   a condition rules it out (decided only by domain.exclusions.exclusion_for)
    equipment        it needs something not at hand
    setting          it does not fit at a work desk (needs the floor, a wall or a doorway)
    focus            it is not the kind of exercise asked for
    time             it does not fit in the minutes left
    limit            the plan already has MAX_ITEMS exercises

From a template, the handout's order and doses are kept; an item left out for a condition, equipment
or setting gets a substitute for the same body regions that keeps its aim (a strength move for a
strength move first) where one fits; items that do not fit
in the minutes left are skipped, in order. Without a template the
planner picks greedily: first what adds body regions not yet covered, then (for mixed) a kind of
exercise not yet used, then one whose handout gives numbers, then the shortest; then it orders the
picks so people stand, then sit, then get down to the floor once. Doses start at the low end ("start slowly"). Same inputs, same plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from upright.catalog.load import Catalog
from upright.catalog.schema import EQUIPMENT, Condition, Exercise, HandoutTemplate
from upright.catalog.vocabulary import Vocabulary, joined
from upright.domain.dose import PlannedDose, starting_dose
from upright.domain.exclusions import allowed_positions, check_conditions, exclusion_for
from upright.domain.script import (
    ScriptItem,
    compile_script,
    item_seconds_upper_bound,
    session_minutes,
    session_overhead_seconds,
)
from upright.errors import InvalidInput, NotFound

__all__ = [
    "FOCUSES",
    "MAX_ITEMS",
    "MAX_MINUTES",
    "SETTINGS",
    "Excluded",
    "Plan",
    "PlanInputs",
    "PlanItem",
    "at_hand",
    "make_plan",
    "script_items",
]

Setting = Literal["home", "work"]
Focus = Literal["stretch", "strengthen", "posture", "mixed"]
SETTINGS: Final[tuple[str, ...]] = ("home", "work")
FOCUSES: Final[tuple[str, ...]] = ("stretch", "strengthen", "posture", "mixed")
MAX_MINUTES: Final = 180.0
MAX_ITEMS: Final = 8  # the handouts' programs hold 4 to 6; more is not better when starting out

FOCUS_CATEGORIES: Final[dict[str, frozenset[str]]] = {
    "stretch": frozenset({"stretch", "mobility"}),
    "strengthen": frozenset({"strengthening"}),
    "posture": frozenset({"posture"}),  # plus every exercise done from the neutral posture
    "mixed": frozenset({"stretch", "mobility", "strengthening", "posture"}),
}
# Upright positions first, the floor last: people get down once and stay there.
POSITION_ORDER: Final = (
    "standing",
    "at-wall",
    "in-doorway",
    "sitting",
    "kneeling",
    "hands-and-knees",
    "side-lying",
)
CATEGORY_ORDER: Final = ("posture", "mobility", "stretch", "strengthening")
# What a substitute should keep: a stretch for a stretch, a strength move for a strength move.
CATEGORY_FAMILY: Final = {
    "stretch": "loosen",
    "mobility": "loosen",
    "strengthening": "strength",
    "posture": "posture",
}
DESK_POSITIONS: Final = ("sitting", "standing")  # a work desk: no floor, no wall, no doorway
HOME_HAS: Final = frozenset({"wall", "doorway"})  # every home has them, so nobody is asked
SHORT_SHARE: Final = 0.5  # a plan under half the minutes asked says why, and what would fill it


@dataclass(frozen=True)
class PlanInputs:
    setting: str = "home"
    equipment: frozenset[str] = frozenset()
    conditions: tuple[str, ...] = ()
    minutes: float = 15.0
    focus: str = "mixed"
    template: str | None = None


@dataclass(frozen=True)
class PlanItem:
    exercise: Exercise
    dose: PlannedDose
    position: str
    reason: str
    substitute_for: str | None = None


@dataclass(frozen=True)
class Excluded:
    exercise: Exercise
    reason: str
    rule: str
    substitute: str | None = None


@dataclass(frozen=True)
class Plan:
    inputs: PlanInputs
    title: str
    items: tuple[PlanItem, ...]
    excluded: tuple[Excluded, ...]
    seconds: float  # the compiled session's exact length, 0 when nothing fits
    notes: tuple[str, ...] = field(default=())

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    @property
    def fits(self) -> bool:
        return self.seconds <= self.inputs.minutes * 60


def _minutes_words(minutes: float) -> str:
    return "1 minute" if minutes == 1 else f"{minutes:g} minutes"


def _check_inputs(catalog: Catalog, inputs: PlanInputs) -> tuple[list[Condition], HandoutTemplate | None]:
    if inputs.setting not in SETTINGS:
        raise InvalidInput(
            "setting", f"unknown setting {inputs.setting!r}; choose from: {', '.join(SETTINGS)}"
        )
    if inputs.focus not in FOCUSES:
        raise InvalidInput("focus", f"unknown focus {inputs.focus!r}; choose from: {', '.join(FOCUSES)}")
    for name in sorted(inputs.equipment):
        if name not in EQUIPMENT:
            raise InvalidInput(
                "equipment", f"unknown equipment {name!r}; choose from: {', '.join(EQUIPMENT)}"
            )
    minutes = inputs.minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not math.isfinite(minutes):
        raise InvalidInput("minutes", "give the minutes as a number, like 15")
    if not 0 < minutes <= MAX_MINUTES:
        raise InvalidInput(
            "minutes",
            f"give a number of minutes more than 0 and at most {MAX_MINUTES:g}; you gave {minutes:g}",
        )
    conditions = check_conditions(inputs.conditions, catalog.conditions)
    template = None
    if inputs.template is not None:
        try:
            template = catalog.template(inputs.template)
        except NotFound:
            known = ", ".join(sorted(catalog.templates))
            raise InvalidInput(
                "template", f"unknown program {inputs.template!r}; choose from: {known}"
            ) from None
    return conditions, template


def at_hand(inputs: PlanInputs) -> frozenset[str]:
    """What the person has: what they ticked, plus a wall and a doorway at home."""
    return (inputs.equipment | HOME_HAS) if inputs.setting == "home" else inputs.equipment


def _missing(ex: Exercise, inputs: PlanInputs) -> list[str]:
    return sorted(ex.needs - at_hand(inputs))


def _ruled_out(
    ex: Exercise, inputs: PlanInputs, conditions: list[Condition], words: Vocabulary
) -> tuple[str, str] | None:
    """(rule, reason) when this person cannot do this exercise here, else None. The first real cause
    wins: a condition, then the place (a floor move at a desk), then what is not at hand."""
    exclusion = exclusion_for(ex, conditions)
    if exclusion is not None:
        return f"condition:{exclusion.rule}", exclusion.reason
    if inputs.setting == "work" and not (
        ex.desk_friendly and set(allowed_positions(ex, conditions)) & set(DESK_POSITIONS)
    ):
        return "setting", "This one does not fit at a work desk. Save it for home."
    missing = _missing(ex, inputs)
    if missing:
        need = words.listing("equipment", missing)
        return "equipment", f"You need {need} for this one, and you did not say you have it."
    return None


def _position(ex: Exercise, inputs: PlanInputs, conditions: list[Condition]) -> str:
    allowed = allowed_positions(ex, conditions) or ex.positions
    if inputs.setting == "work":  # sitting at the desk, else standing beside it (never the floor)
        return next((p for p in DESK_POSITIONS if p in allowed), allowed[0])
    return allowed[0]


def _fits_focus(ex: Exercise, focus: str) -> bool:
    if focus == "posture" and ex.uses_neutral_posture:
        return True
    return ex.category in FOCUS_CATEGORIES[focus]


def _item(
    ex: Exercise,
    inputs: PlanInputs,
    conditions: list[Condition],
    reason: str,
    handout: str | None = None,
    substitute_for: str | None = None,
) -> PlanItem:
    dose = starting_dose(ex, handout)
    start = " You start at the low end of the handout's amount." if dose.given else ""
    return PlanItem(
        ex, dose, _position(ex, inputs, conditions), f"{ex.purpose} {reason}{start}".strip(), substitute_for
    )


def script_items(items: Iterable[PlanItem]) -> list[ScriptItem]:
    return [ScriptItem(i.exercise, i.dose, i.position) for i in items]


def _seconds(catalog: Catalog, items: list[PlanItem]) -> float:
    return (
        compile_script(script_items(items), words=catalog.vocabulary, posture=catalog.posture).total_seconds
        if items
        else 0.0
    )


def _closest(options: Iterable[Exercise], gone: Exercise) -> Exercise | None:
    """The option for the same body regions that keeps the aim: the same family of exercise first
    (a strength move for a strength move), then the most shared regions, then the same kind; ties by id.
    None when no option shares a region."""
    family = CATEGORY_FAMILY[gone.category]
    scored = [
        (
            (
                CATEGORY_FAMILY[ex.category] != family,
                -len(set(ex.regions) & set(gone.regions)),
                ex.category != gone.category,
                ex.id,
            ),
            ex,
        )
        for ex in options
        if set(ex.regions) & set(gone.regions)
    ]
    return min(scored, key=lambda pair: pair[0])[1] if scored else None


def _substitute(
    catalog: Catalog, gone: Exercise, inputs: PlanInputs, conditions: list[Condition], taken: set[str]
) -> Exercise | None:
    """An allowed exercise, not already in the plan, for the same body regions."""
    options = [
        ex
        for ex in catalog.exercises.values()
        if ex.id not in taken and _ruled_out(ex, inputs, conditions, catalog.vocabulary) is None
    ]
    return _closest(options, gone)


def _from_template(
    catalog: Catalog,
    tpl: HandoutTemplate,
    inputs: PlanInputs,
    conditions: list[Condition],
) -> tuple[list[PlanItem], list[Excluded], list[str]]:
    items: list[PlanItem] = []
    excluded: list[Excluded] = []
    notes: list[str] = []
    taken = set(tpl.items)
    for ex_id in tpl.items:
        ex = catalog.exercise(ex_id)
        out = _ruled_out(ex, inputs, conditions, catalog.vocabulary)
        if out is None:
            items.append(
                _item(ex, inputs, conditions, f"It is in the handout {tpl.title}.", handout=tpl.file)
            )
            continue
        sub = _substitute(catalog, ex, inputs, conditions, taken)
        excluded.append(Excluded(ex, out[1], out[0], sub.id if sub else None))
        if sub is not None:
            taken.add(sub.id)
            shared = catalog.vocabulary.listing("regions", [r for r in sub.regions if r in ex.regions])
            items.append(
                _item(
                    sub,
                    inputs,
                    conditions,
                    f"It takes the place of {ex.name}. It works your {shared} too.",
                    substitute_for=ex.id,
                )
            )
    if inputs.focus != "mixed":
        notes.append(
            "You chose a handout program, so its own mix of exercises stays. Your focus does not change it."
        )
    budget = inputs.minutes * 60
    if _seconds(catalog, items) > budget:  # keep the handout's order; leave out what does not fit
        kept: list[PlanItem] = []
        for it in items:
            if _seconds(catalog, [*kept, it]) <= budget:
                kept.append(it)
            else:
                reason = f"Left out so the session fits in {_minutes_words(inputs.minutes)}."
                excluded.append(Excluded(it.exercise, reason, "time"))
        if not kept and items:  # not even one fits: keep the shortest, and the note says so
            shortest = min(items, key=lambda it: _seconds(catalog, [it]))
            kept = [shortest]
            excluded = [x for x in excluded if x.exercise.id != shortest.exercise.id]
        items = kept
    return items, excluded, notes


def _pick(
    catalog: Catalog,
    pool: list[Exercise],
    inputs: PlanInputs,
    conditions: list[Condition],
) -> tuple[list[PlanItem], list[Excluded]]:
    """Greedy choice within the time budget, using each item's largest possible share of the session."""
    budget = inputs.minutes * 60 - session_overhead_seconds()
    costs = {
        ex.id: item_seconds_upper_bound(ScriptItem(ex, starting_dose(ex)), catalog.posture) for ex in pool
    }
    order = {ex.id: i for i, ex in enumerate(pool)}
    given = {ex.id: any(d.is_given for d in ex.doses) for ex in pool}
    chosen: list[Exercise] = []
    regions: set[str] = set()
    kinds: set[str] = set()
    used = 0.0
    remaining = list(pool)
    while remaining and len(chosen) < MAX_ITEMS:
        fitting = [ex for ex in remaining if used + costs[ex.id] <= budget]
        if not fitting:
            break
        best = max(
            fitting,
            key=lambda ex: (
                len(set(ex.regions) - regions),
                1 if inputs.focus == "mixed" and ex.category not in kinds else 0,
                given[ex.id],  # a handout that gives numbers beats one that gives none
                -costs[ex.id],
                -order[ex.id],
            ),
        )
        chosen.append(best)
        remaining.remove(best)
        regions |= set(best.regions)
        kinds.add(best.category)
        used += costs[best.id]
    excluded = []
    for ex in remaining:
        if len(chosen) >= MAX_ITEMS:
            excluded.append(
                Excluded(ex, f"Left out to keep the session short. {MAX_ITEMS} exercises is plenty.", "limit")
            )
        else:
            excluded.append(
                Excluded(ex, f"Left out so the session fits in {_minutes_words(inputs.minutes)}.", "time")
            )
    focus = catalog.vocabulary.word("focuses", inputs.focus)
    why = "It adds to a good mix." if inputs.focus == "mixed" else f"It fits your focus on {focus}."
    items = [_item(ex, inputs, conditions, why) for ex in chosen]
    items.sort(
        key=lambda it: (
            POSITION_ORDER.index(it.position),
            CATEGORY_ORDER.index(it.exercise.category),
            it.exercise.id,
        )
    )
    return items, excluded


def _free(
    catalog: Catalog,
    inputs: PlanInputs,
    conditions: list[Condition],
) -> tuple[list[PlanItem], list[Excluded], list[str]]:
    notes: list[str] = []
    excluded: list[Excluded] = []
    allowed: list[Exercise] = []
    words = catalog.vocabulary
    focus = words.word("focuses", inputs.focus)
    for ex in sorted(catalog.exercises.values(), key=lambda e: e.id):
        out = _ruled_out(ex, inputs, conditions, words)
        if out is None:
            allowed.append(ex)
        else:
            excluded.append(Excluded(ex, out[1], out[0]))
    pool = [ex for ex in allowed if _fits_focus(ex, inputs.focus)]
    if allowed and not pool:
        notes.append(f"No exercise for {focus} fits what you have. The plan uses other kinds.")
        pool = allowed
    for ex in allowed:
        if ex not in pool:
            kind = words.word("categories", ex.category)
            excluded.append(Excluded(ex, f"You chose {focus}. This one is {kind}.", "focus"))
    items, left = _pick(catalog, pool, inputs, conditions)
    if not items and pool:  # not even one fits: offer the shortest, and say so
        shortest = min(pool, key=lambda ex: (_seconds(catalog, [_item(ex, inputs, conditions, "")]), ex.id))
        items = [_item(shortest, inputs, conditions, "It is the shortest one that suits you.")]
        left = [x for x in left if x.exercise.id != shortest.id]
    excluded.extend(left)
    for i, x in enumerate(excluded):  # point each ruled-out exercise at a planned one for the same region
        if x.rule in ("focus", "time", "limit"):
            continue
        match = _closest([it.exercise for it in items], x.exercise)
        if match is not None:
            excluded[i] = Excluded(x.exercise, x.reason, x.rule, match.id)
    return items, excluded, notes


def _short_notes(
    inputs: PlanInputs,
    seconds: float,
    excluded: list[Excluded],
    template: HandoutTemplate | None,
    words: Vocabulary,
) -> list[str]:
    """Why a plan is far shorter than the minutes asked, and what would fill it."""
    about = _minutes_words(session_minutes(seconds))
    notes = [f"This plan takes about {about}. That is much less than the {inputs.minutes:g} you have."]
    counts = {rule: sum(1 for x in excluded if x.rule == rule) for rule in ("equipment", "setting", "focus")}
    counts["condition"] = sum(1 for x in excluded if x.rule.startswith("condition:"))
    why = {
        "equipment": "need things you do not have",
        "setting": "do not fit at a desk",
        "focus": f"are not for {words.word('focuses', inputs.focus)}",
        "condition": "do not suit your health",
    }
    reasons = [f"{n} {why[rule]}" for rule, n in counts.items() if n]
    if any(x.rule == "limit" for x in excluded):  # more would not be added: say so, not "buy a mat"
        notes.append(f"A plan stops at {MAX_ITEMS} exercises. That is plenty when you start.")
        notes.append("You can do the whole plan twice, or add a walk.")
        return notes
    if template is not None:
        notes.append(f"The handout has only {len(template.items)} exercises.")
    if reasons:
        notes.append(f"Few exercises fit: {joined(reasons)}.")
    # What would bring the most left-out exercises back, most first.
    unlocks: dict[str, int] = {}
    for x in excluded:
        if x.rule == "equipment":
            for need in _missing(x.exercise, inputs):
                unlocks[need] = unlocks.get(need, 0) + 1
    fill = sorted(unlocks, key=lambda need: (-unlocks[need], need))[:3]
    if fill:
        notes.append(f"To fill it, get {words.listing('equipment', fill)}, and add them to what you have.")
    if counts["focus"]:
        also = "Or choose" if fill else "Choose"
        notes.append(f"{also} a bit of everything, to add other kinds of exercise.")
    if not fill and not counts["focus"]:
        notes.append("You can do the whole plan twice, or add a walk.")
    return notes


def make_plan(catalog: Catalog, inputs: PlanInputs) -> Plan:
    """The program for these inputs; deterministic. Bad inputs raise InvalidInput naming the field."""
    conditions, template = _check_inputs(catalog, inputs)
    if template is not None:
        items, excluded, notes = _from_template(catalog, template, inputs, conditions)
        title = template.title
    else:
        items, excluded, notes = _free(catalog, inputs, conditions)
        title = "Your own program"
    planned = {it.exercise.id for it in items}
    excluded = [  # a substitute that was itself left out (for time) is no substitute
        x if x.substitute in planned or x.substitute is None else Excluded(x.exercise, x.reason, x.rule)
        for x in excluded
    ]
    seconds = _seconds(catalog, items)
    if not items:
        notes.append(
            "No exercise fits what you told us. Please ask your doctor or therapist what you can do."
        )
    elif seconds > inputs.minutes * 60:
        notes.append(
            f"This takes about {_minutes_words(math.ceil(seconds / 60))}, more than the {inputs.minutes:g} you have. "
            "It is the shortest plan that suits you. Do part of it, or find a few more minutes."
        )
    if any(x.rule == "time" for x in excluded) and seconds <= inputs.minutes * 60:
        notes.append("Some exercises were left out to fit your time. Add minutes to get more of them.")
    if items and seconds < SHORT_SHARE * inputs.minutes * 60:
        notes.extend(_short_notes(inputs, seconds, excluded, template, catalog.vocabulary))
    return Plan(inputs, title, tuple(items), tuple(excluded), seconds, tuple(notes))

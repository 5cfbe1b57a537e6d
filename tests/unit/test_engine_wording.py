"""The engine's own patient text reads at grade 5 or lower (Flesch-Kincaid), like the catalog's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upright.catalog import Catalog, builtin_vocabulary
from upright.catalog.readability import readability
from upright.domain import progress, screening
from upright.domain import script as script_mod
from upright.domain.dose import next_dose, starting_dose
from upright.domain.planning import PlanInputs, make_plan
from upright.domain.script import ScriptItem, compile_script

WORDS = builtin_vocabulary()  # the catalog's words (vocabulary.yaml), as the app uses them

MAX_GRADE = 5.0
NOW = datetime(2026, 1, 5, tzinfo=UTC)


def engine_texts(catalog: Catalog) -> dict[str, str]:
    texts = {
        "screening advice": " ".join(screening.OUTCOME_ADVICE.values()),
        "clearance": " ".join(
            (screening.CLEARANCE_QUESTION, screening.CLEARANCE_REMINDER, screening.NO_FLAGS_REASON)
        ),
        "session safety": " ".join(
            (script_mod.SAFETY_TEXT, script_mod.PAIN_CHECK_TEXT, *catalog.vocabulary.position_steps.values())
        ),
    }
    plans = [
        make_plan(
            catalog,
            PlanInputs(conditions=("knee-pain",), minutes=3, focus="stretch", equipment=frozenset({"mat"})),
        ),
        make_plan(catalog, PlanInputs(template="healthy-upper-back", conditions=("knee-pain",), minutes=0.5)),
        make_plan(catalog, PlanInputs(setting="work", minutes=30)),
    ]
    texts["plan"] = " ".join(
        dict.fromkeys(
            [x.reason for p in plans for x in p.excluded]
            + [n for p in plans for n in p.notes]
            + [it.reason.replace(it.exercise.purpose, "") for p in plans for it in p.items]
        )
    )
    dose = starting_dose(catalog.exercise("childs-pose"), "000_7b31e79e88543bd0.txt")
    texts["dose changes"] = " ".join(
        next_dose(dose, pain=pain, baseline=3, stopped_for_pain=stop).reason
        for pain, stop in ((1, False), (4, False), (6, False), (2, True))
    )
    history = [
        progress.check_in(NOW, 3, "neck"),
        progress.check_in(NOW + timedelta(days=1), 8, "left-arm"),
        progress.check_in(NOW + timedelta(days=25), 8, "low-back", red_flag=True),
    ]
    texts["alerts"] = " ".join(
        a.reason for a in progress.pain_alerts(history, now=NOW + timedelta(days=25), words=WORDS)
    )
    items = [
        ScriptItem(catalog.exercise(e), starting_dose(catalog.exercise(e)))
        for e in ("head-rolls", "open-books")
    ]
    steps = compile_script(items, words=WORDS).steps
    texts["session steps"] = " ".join(dict.fromkeys(s.say for s in steps if s.kind not in ("move", "hold")))
    return texts


@pytest.mark.parametrize(
    "name",
    ["screening advice", "clearance", "session safety", "plan", "dose changes", "alerts", "session steps"],
)
def test_engine_text_is_easy_to_read(catalog: Catalog, name: str) -> None:
    text = engine_texts(catalog)[name]
    assert text.strip()
    assert readability(text).flesch_kincaid <= MAX_GRADE, text

"""The session a player plays: the person's plan (or a handout program) compiled by the engine.

`session_script` is the one door to a session. It refuses (SafetyStop) when the newest screening
says no session may start, or when there is no screening yet, for the web page, the JSON API and the
terminal alike. The JSON it returns is all a player needs: the steps of domain.script, plus the
targets per exercise so the player can report what was done against them.

The session page compiles it once and puts the JSON in the page for player.js; the JSON API compiles
it for other players (the terminal, scripts). Nothing is cached: a script is cheap to compile."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.documents.script import SessionScriptDoc, TargetDoc
from upright.domain.clearance import reminders_after_clearance
from upright.domain.planning import PlanInputs, make_plan
from upright.domain.script import Script, ScriptItem, compile_script
from upright.errors import Conflict, InvalidInput
from upright.services.clearance import clearance_of, require_clearance
from upright.services.engine import check_items_suit
from upright.services.engine import script_json as engine_script_json
from upright.services.people import get_profile
from upright.services.plans import active_plan, get_plan, plan_body, script_items_of
from upright.services.rest import require_exercise_advised
from upright.services.screenings import (
    latest_screening_result,
    require_not_stopped,
    require_session_allowed,
    session_reminders_for,
)

__all__ = ["SessionScript", "script_doc", "script_json", "session_script"]


class SessionScript:
    """A compiled script with what it was made from."""

    def __init__(
        self,
        script: Script,
        items: list[ScriptItem],
        *,
        plan_id: int | None,
        program: str | None,
        words: Vocabulary,  # the words the script was compiled in (the targets' doses say them too)
    ):
        self.words = words
        self.script = script
        self.items = items
        self.plan_id = plan_id
        self.program = program

    @property
    def title(self) -> str:
        return self.script.title


def script_doc(ss: SessionScript) -> SessionScriptDoc:
    """The engine's script (documents.script.ScriptDoc) plus what a player reports against: the plan
    or program played and the target of each exercise."""
    return SessionScriptDoc(
        **engine_script_json(ss.script, screened=True),
        plan_id=ss.plan_id,
        program=ss.program,
        targets=[TargetDoc.of(it, ss.words) for it in ss.items],
    )


def script_json(ss: SessionScript) -> dict[str, Any]:
    return script_doc(ss).model_dump(mode="json")


def session_script(
    s: Session,
    person_id: int,
    *,
    catalog: Catalog,
    now: datetime,
    tz: tzinfo,
    program: str | None = None,
    plan_id: int | None = None,
    is_done_already: bool = False,
) -> SessionScript:
    """Compile today's session. `program` plays a handout program (fitted to the person's conditions
    and equipment) without changing their plan; `plan_id` a stored plan; neither: the active plan.
    Refused (SafetyStop) after a stop, and on a day with pain of 7 or more or a session stopped for pain.

    `is_done_already`: the script is only read to record a session the person has finished (the
    no-JavaScript form). Then only the rule every recorded session meets applies (no exercise is
    recorded while a safety stop stands: services.session_results), as for the player's own POST:
    what was stored since the page opened (a clinician's hold, a pain of 7 on another device) decides
    whether a *new* session may start, and never loses the one already done. A hold's clinician is
    told (services.clinic_alerts.note_session)."""
    today = now.astimezone(tz).date()
    if is_done_already:
        require_not_stopped(s, person_id)
        screening = latest_screening_result(s, person_id)
    else:
        screening = require_session_allowed(s, person_id)
        require_clearance(s, person_id, today=today)  # a clinician's hold or start day
        require_exercise_advised(s, person_id, now=now, tz=tz)
    reminders = reminders_after_clearance(
        session_reminders_for(screening), clearance_of(s, person_id), today=today
    )
    if program is not None:
        if program not in catalog.templates:
            known = ", ".join(sorted(catalog.templates))
            raise InvalidInput("program", f"there is no program {program!r}; choose from: {known}")
        p = get_profile(s, person_id)
        plan = make_plan(
            catalog,
            PlanInputs(
                setting=p.setting,
                equipment=frozenset(p.equipment),
                conditions=tuple(p.conditions),
                minutes=float(p.minutes),
                focus=p.focus,
                template=program,
            ),
        )
        items_json, title, used_plan = plan_body(plan, catalog.vocabulary)["items"], plan.title, None
    else:
        stored = get_plan(s, person_id, plan_id) if plan_id is not None else active_plan(s, person_id)
        if stored is None:
            raise Conflict("You have no program yet. Choose one first.")
        items_json, title, used_plan = stored.items, stored.title, stored.id
    items = script_items_of(items_json, catalog, title=title)
    if not items:
        raise Conflict("This program has no exercises you can do. Choose another program.")
    # A plan made before the person added a condition (say knee pain) must not play what it rules out.
    check_items_suit(catalog, items, tuple(get_profile(s, person_id).conditions))
    script = compile_script(
        items, words=catalog.vocabulary, posture=catalog.posture, reminders=reminders, title=title
    )
    return SessionScript(script, items, plan_id=used_plan, program=program, words=catalog.vocabulary)

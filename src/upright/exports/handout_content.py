"""The handout as neutral content: every word the PDF and the print page show, decided here once.

    handout = build_handout(program_from_template(tpl, catalog), catalog, on=date(2025, 3, 12))

Renderers (handout_pdf.py through Typst, the web print page through Jinja) only lay this out and add
no words of their own: headings and prompts live in `Labels`. The date is an argument, never read
from the clock here, so the same program and date always give the same handout."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from upright.catalog.load import Catalog
from upright.catalog.schema import Dose, GeneralRule, HandoutTemplate, ScreeningQuestion
from upright.domain.script import session_minutes
from upright.domain.wording import dose_text, steps_in
from upright.exports.handout_program import Program

__all__ = [
    "LABELS",
    "ExerciseBlock",
    "Figure",
    "FollowUp",
    "Handout",
    "Labels",
    "PostureBox",
    "SafetyBox",
    "SignGroup",
    "build_handout",
    "patient_text",
]


@dataclass(frozen=True)
class Labels:
    """Headings and fixed prompts, in plain words. Changing a word here changes it in PDF and HTML."""

    for_whom: str = "This plan is for:"
    printed: str = "Printed on"
    safety: str = "Stay safe"
    pain_rule: str = (
        "A mild stretch or ache is normal when you start. Pain is not. "
        "If an exercise hurts, stop it and tell your doctor or therapist."
    )
    while_you_exercise: str = "While you exercise"
    get_help: str = "When to get help"
    posture_intro_label: str = "Start from here"
    exercises: str = "Your exercises"
    exercises_intro: str = "Do them in this order. Move slowly. Breathe as you normally do."
    low_end: str = (
        "If an amount is a range, like 5 to 10, start at the low number. Do more as it gets easier."
    )
    form: str = "Do it well"
    start: str = "Start"
    end: str = "End"
    steps: str = "How to do it"
    dose: str = "How much"
    careful: str = "Take care"
    why: str = "Why it is in your plan"
    dose_from: str = "Amount from"
    as_directed: str = "Your doctor or therapist may change this amount."
    variant: str = "Or:"
    left_out: str = "Left out for you"
    notes: str = "Notes"
    follow_up: str = "Follow-up care"
    next_visit: str = "My next visit:"
    next_visit_hint: str = "Date, time and who I will see"
    questions: str = "Questions to ask"
    questions_hint: str = "Write them down so you remember to ask."
    medicines: str = "Medicines I take"
    medicines_hint: str = "Name, how much and when"
    sources: str = "Where the amounts come from"
    log: str = "My exercise log"
    log_intro: str = (
        "Put a tick in the box on each day you do an exercise. "
        "Each day, write your pain from 0 (no pain) to 10 (the worst pain)."
    )
    log_day: str = "Day"  # the columns are numbered days; the person writes the date under each
    log_date: str = "Date"
    log_exercise: str = "Exercise"
    log_pain: str = "My pain (0 to 10)"
    other_signs: str = "Call or see your doctor soon if you answer yes:"
    footer: str = "Upright does not replace your doctor or physical therapist."
    unless_checked: str = "(Not if a doctor has checked this pain.)"
    page: str = "Page"
    of: str = "of"


LABELS = Labels()

# The screening questions print as the app asks them, so paper and screen give the same check.
# Most urgent first; outcome "ok" never prints.
SIGN_HEADINGS: dict[str, str] = {
    "emergency": "Call your emergency number now if you answer yes:",
    "seek_care_now": "Get care today if you answer yes:",
    "call_clinician": "Call your doctor if you answer yes:",
    "see_clinician_soon": "See your doctor soon if you answer yes:",
}
EMERGENCY_HEADING = "Call {number} now if you answer yes:"
# Printed in full on page 1; the other groups share one plain paragraph so the box stays short.
FULL_SIGN_LEVELS = ("emergency", "seek_care_now")
LOG_DAYS = 7
# Rules that hold whatever handout a program came from, so every handout prints them.
PAIN_RULE = "stop-if-pain"
GET_HELP_RULES = ("seek-care-severe-pain", "call-if-worse")
WORK_NOTE = "At work, take a short break every 30 to 60 minutes and do one or two of these."
TIME_NOTE = "All of them take about {minutes} minutes."
FOR_WORK = "You can do these at your desk."
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """Still pictures of the first and last pose, as SVG text, each with its alt text."""

    start_svg: str
    end_svg: str
    start_alt: str
    end_alt: str
    aspect: float = 1.0  # width / height of each picture, so the layout can size tall and wide poses


@dataclass(frozen=True)
class SignGroup:
    level: str  # the screening outcome: emergency, seek_care_now, call_clinician, see_clinician_soon
    heading: str
    signs: tuple[str, ...]


@dataclass(frozen=True)
class SafetyBox:
    pain_rule: str
    habits: tuple[str, ...]  # the program's own safety and technique rules
    get_help: tuple[str, ...]  # when to get care, as the handouts say it
    sign_groups: tuple[SignGroup, ...]  # emergency and get-care-today signs, in full

    other_signs: tuple[str, ...] = ()  # call or see your doctor soon: one short paragraph


@dataclass(frozen=True)
class PostureBox:
    title: str
    intro: str
    checks: tuple[str, ...]


@dataclass(frozen=True)
class ExerciseBlock:
    number: int
    exercise_id: str
    name: str
    purpose: str
    steps: tuple[str, ...]
    dose: str  # the one line in large type
    variants: tuple[
        str, ...
    ]  # another way the handout allows: "Hold 30 seconds · 5 times · each side (hold each stretch)"
    dose_notes: tuple[str, ...]
    do: tuple[str, ...]  # the exercise's do cues, every one
    dont: tuple[str, ...]  # its don't cues, every one
    cautions: tuple[str, ...]
    source: str  # which handout the dose comes from, by its title
    reason: str | None
    figure: Figure | None


@dataclass(frozen=True)
class FollowUp:
    advice: tuple[str, ...]
    question_lines: int = 6
    medicine_lines: int = 4


@dataclass(frozen=True)
class Handout:
    title: str
    summary: str
    intro: tuple[str, ...]
    on: date
    date_text: str
    safety: SafetyBox
    posture: PostureBox | None
    exercises: tuple[ExerciseBlock, ...]
    left_out: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    follow_up: FollowUp
    sources: tuple[str, ...]
    log_days: int = LOG_DAYS  # columns of the exercise log
    starts_low: bool = False  # some amounts are ranges: say to start at the low number
    is_personal: bool = False
    labels: Labels = field(default=LABELS)


FigureMaker = Callable[[str], Figure | None]


def _no_figures(exercise_id: str) -> Figure | None:
    return None


def date_text(on: date) -> str:
    """'12 March 2025': no locale, no day/month order to guess."""
    return f"{on.day} {MONTHS[on.month - 1]} {on.year}"


def build_handout(
    program: Program,
    catalog: Catalog,
    *,
    on: date,
    figures: FigureMaker = _no_figures,
    emergency_number: str | None = None,
) -> Handout:
    """Everything the handout says, in order. `figures(exercise_id)` gives the start and end pictures;
    the emergency signs name `emergency_number` (the app's country setting)."""
    # Workday advice only on a work program: a plan may borrow a dose from the work handout.
    rules = [
        catalog.rules[r]
        for r in program.rule_ids
        if r in catalog.rules and (catalog.rules[r].kind != "workday" or program.setting == "work")
    ]
    intro: list[str] = []
    if program.is_personal and program.setting == "work":  # a template's own summary already says it
        intro.append(FOR_WORK)
        intro.extend([r.text for r in rules if r.kind == "workday"] or [WORK_NOTE])
    if program.minutes:
        intro.append(TIME_NOTE.format(minutes=session_minutes(program.minutes * 60)))
    titles = {t.file: t for t in catalog.templates.values()}
    posture = catalog.posture
    # A plan done sitting at a desk reads the seated posture, like its guided session.
    upright_items = [i for i in program.items if i.exercise.uses_neutral_posture]
    seated = bool(upright_items) and all(i.position == "sitting" for i in upright_items)
    checklist = posture.for_position("sitting" if seated else "standing") if posture is not None else None
    return Handout(
        title=program.title,
        summary=program.summary,
        intro=tuple(intro),
        on=on,
        date_text=date_text(on),
        safety=_safety_box(rules, catalog, emergency_number=emergency_number),
        posture=PostureBox(checklist.title, checklist.intro, checklist.checks)
        if checklist is not None and program.uses_neutral_posture
        else None,
        exercises=tuple(
            ExerciseBlock(
                number=n,
                exercise_id=item.exercise.id,
                name=item.exercise.name,
                purpose=item.exercise.purpose,
                steps=steps_in(item.exercise, item.position),
                dose=dose_text(item.dose, catalog.vocabulary),
                variants=tuple(
                    f"{dose_text(v, catalog.vocabulary)} ({v.name[:1].lower()}{v.name[1:]})"
                    for v in item.dose.variants
                ),
                dose_notes=(LABELS.as_directed,) if item.dose.as_directed else (),
                do=item.exercise.cues.do,
                dont=item.exercise.cues.dont,
                cautions=item.exercise.cautions,
                source=_source_line(item.dose, titles),
                reason=_reason(item.reason, item.exercise.purpose),
                figure=figures(item.exercise.id),
            )
            for n, item in enumerate(program.items, 1)
        ),
        left_out=tuple((x.name, x.reason) for x in program.left_out),
        notes=program.notes,
        follow_up=FollowUp(advice=tuple(r.text for r in rules if r.kind == "follow-up")),
        sources=tuple(_source_list(program, titles)),
        starts_low=any(" to " in dose_text(item.dose, catalog.vocabulary) for item in program.items),
        is_personal=program.is_personal,
    )


def _reason(reason: str | None, purpose: str) -> str | None:
    """A plan's reason often opens with the exercise's purpose, which the handout already prints."""
    if reason and reason.startswith(purpose):
        reason = reason[len(purpose) :].strip()
    return reason or None


def _safety_box(rules: list[GeneralRule], catalog: Catalog, *, emergency_number: str | None) -> SafetyBox:
    pain = catalog.rules.get(PAIN_RULE)
    always = {PAIN_RULE, *GET_HELP_RULES}
    groups = _sign_groups(catalog.screening, emergency_number=emergency_number)
    return SafetyBox(
        pain_rule=pain.text if pain else LABELS.pain_rule,
        habits=tuple(
            dict.fromkeys(r.text for r in rules if r.kind in ("safety", "technique") and r.id not in always)
        ),
        get_help=tuple(catalog.rules[r].text for r in GET_HELP_RULES if r in catalog.rules),
        sign_groups=tuple(g for g in groups if g.level in FULL_SIGN_LEVELS),
        other_signs=tuple(
            dict.fromkeys(s for g in groups if g.level not in FULL_SIGN_LEVELS for s in g.signs)
        ),
    )


def _source_line(dose: Dose, titles: dict[str, HandoutTemplate]) -> str:
    tpl = titles.get(dose.handout)
    named = f"“{dose.name_in_handout}”"
    return f"{named} in {tpl.title}" if tpl else f"{named} in a handout from your care team"


def _source_list(program: Program, titles: dict[str, HandoutTemplate]) -> Iterable[str]:
    for file in dict.fromkeys(item.dose.handout for item in program.items):
        tpl = titles.get(file)
        if tpl:  # by title: the file name is ours, not the patient's
            yield _sentence(f"{tpl.title}. {tpl.source}")


def _sign_groups(
    questions: Iterable[ScreeningQuestion], *, emergency_number: str | None = None
) -> tuple[SignGroup, ...]:
    """The signs by outcome. A sign asked after a "yes" to a plain question (thin bones, then a small
    fall) prints with it; a sign a doctor's check clears says so."""
    qs = list(questions)
    by_id = {q.id: q for q in qs}
    checked = {q.follows for q in qs if q.kind == "doctor-checked"}
    by_level: dict[str, list[str]] = {level: [] for level in SIGN_HEADINGS}
    for q in qs:
        if q.kind != "sign" or q.outcome not in by_level:
            continue
        text = q.question
        parent = by_id.get(q.follows or "")
        if parent is not None and parent.outcome == "ok":
            text = f"{parent.question} {text}"
        if q.id in checked:
            text += f" {LABELS.unless_checked}"
        by_level[q.outcome].append(text)
    headings = dict(SIGN_HEADINGS)
    if emergency_number:
        headings["emergency"] = EMERGENCY_HEADING.format(number=emergency_number)
    return tuple(
        SignGroup(level, headings[level], tuple(dict.fromkeys(signs)))
        for level, signs in by_level.items()
        if signs
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def patient_text(handout: Handout) -> str:
    """The handout's prose as sentences, for reading-level checks. Headings, exercise names,
    fill-in lines and source citations are labels, not prose, so they are left out."""
    h, lab = handout, handout.labels
    parts: list[str] = [h.summary, *h.intro, h.safety.pain_rule, *h.safety.habits, *h.safety.get_help]
    for group in h.safety.sign_groups:
        parts.extend(group.signs)
    if h.posture:
        parts.extend([h.posture.intro, *h.posture.checks])
    parts.extend(h.safety.other_signs)
    parts.append(lab.exercises_intro)
    if h.starts_low:
        parts.append(lab.low_end)
    for ex in h.exercises:
        parts.extend([ex.purpose, *ex.steps, ex.dose.replace(" · ", ", "), *ex.dose_notes])
        parts.extend([*ex.do, *ex.dont, *ex.cautions])
        if ex.reason:
            parts.append(ex.reason)
    parts.extend(reason for _, reason in h.left_out if reason)
    parts.extend([*h.notes, *h.follow_up.advice, lab.questions_hint, lab.log_intro, lab.footer])
    return " ".join(_sentence(p) for p in parts if p.strip())

"""The PDF handout, read back as a patient's printer and screen reader would get it.

Each of the five handout programs, on both paper sizes: every exercise name and dose is in the text,
the page is the size asked for, fonts travel inside the file, the PDF is tagged, and the words a
patient reads score at grade 5 or lower."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from upright.catalog import Catalog, builtin_catalog
from upright.catalog.readability import readability
from upright.domain.wording import dose_text
from upright.errors import InvalidInput
from upright.exports.handout import handout_pdf, load_handout, render_pdf
from upright.exports.handout_content import patient_text
from upright.exports.handout_figures import figure_for

ON = date(2025, 3, 12)
PROGRAMS = list(builtin_catalog().templates)
PAGE_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


def _flat(text: str) -> str:
    """Text with every run of spaces and line breaks as one space: a long line may wrap anywhere."""
    return re.sub(r"\s+", " ", text).strip()


def _read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(BytesIO(pdf))
    return reader, _flat(" ".join(page.extract_text() for page in reader.pages))


def _fonts(reader: PdfReader) -> dict[str, DictionaryObject]:
    """Every font used on any page, by its PDF name."""
    found: dict[str, DictionaryObject] = {}
    for page in reader.pages:
        resources: Any = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object() if fonts else {}).values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def _font_file(font: DictionaryObject) -> object:
    descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = descriptor_owner["/FontDescriptor"].get_object()
    return next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor), None)


def _structure(reader: PdfReader) -> tuple[dict[str, int], list[str]]:
    """Tag counts (H1, H2, Figure, ...) and every /Alt text in the PDF's structure tree."""
    counts: dict[str, int] = {}
    alts: list[str] = []
    stack: list[Any] = [reader.trailer["/Root"].get_object()["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue  # a marked-content id
        if "/S" in node:
            counts[str(node["/S"])] = counts.get(str(node["/S"]), 0) + 1
        if "/Alt" in node:
            alts.append(str(node["/Alt"]))
        if "/K" in node:
            stack.append(node["/K"])
    return counts, alts


def test_there_are_five_programs_to_print() -> None:
    assert len(PROGRAMS) == 5


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("program_id", PROGRAMS)
def test_pdf_shows_every_exercise_and_dose_on_the_right_paper(
    catalog: Catalog, program_id: str, paper: str
) -> None:
    tpl = catalog.template(program_id)
    reader, text = _read(handout_pdf(program_id, catalog, on=ON, paper=paper))  # type: ignore[arg-type]

    width, height = PAGE_POINTS[paper]
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)

    assert _flat(tpl.title) in text
    assert "12 March 2025" in text
    for ex_id in tpl.items:
        ex = catalog.exercise(ex_id)
        dose = ex.dose_for(tpl.file)
        assert dose is not None
        assert ex.name in text, f"{ex.name} missing from the {program_id} handout"
        assert _flat(dose_text(dose, catalog.vocabulary)) in text, (
            f"dose of {ex.name} missing from the {program_id} handout"
        )
        for v in dose.variants:
            assert _flat(dose_text(v, catalog.vocabulary)) in text
        for step in ex.steps:
            assert _flat(step) in text, f"step of {ex.name} missing: {step}"
        for cue in (*ex.cues.do, *ex.cues.dont, *ex.cautions):
            assert _flat(cue) in text, f"cue or caution of {ex.name} missing: {cue}"
    assert _flat(f"in {tpl.title}") in text  # each dose names the handout it comes from, by its title
    assert not re.search(r"\d{3}_[0-9a-f]{16}", text)  # and never by our file name
    # The safety box and the follow-up section are on every handout.
    assert "Stay safe" in text
    assert "Call your emergency number now" in text
    assert "My next visit" in text and "Questions to ask" in text and "Medicines I take" in text
    # The last page is the exercise log: every exercise, 7 numbered days, a pain row.
    log = _flat(reader.pages[-1].extract_text())
    assert log.startswith("My exercise log") and "Day 1 2 3 4 5 6 7" in log and "My pain (0 to 10)" in log
    assert all(catalog.exercise(ex_id).name in log for ex_id in tpl.items)


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_fonts_are_embedded_and_pdf_is_tagged(catalog: Catalog, program_id: str) -> None:
    reader, _ = _read(handout_pdf(program_id, catalog, on=ON, paper="letter"))
    fonts = _fonts(reader)
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        assert _font_file(font) is not None, f"font {name} is not embedded"
    assert any("DejaVuSans" in name for name in fonts)

    root: Any = reader.trailer["/Root"].get_object()
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged: screen readers get headings, lists, reading order
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata is not None and reader.metadata.title == catalog.template(program_id).title


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_screen_readers_get_headings_lists_and_picture_descriptions(
    catalog: Catalog, program_id: str
) -> None:
    tpl = catalog.template(program_id)
    reader, _ = _read(handout_pdf(program_id, catalog, on=ON))
    counts, alts = _structure(reader)
    assert counts.get("/H1") == 1
    assert counts.get("/H3") == len(tpl.items)  # one heading per exercise
    assert counts.get("/L", 0) >= len(tpl.items)  # numbered steps are real lists
    figures = [f for f in (figure_for(ex_id) for ex_id in tpl.items) if f is not None]
    assert counts.get("/Figure", 0) == 2 * len(figures)  # start and end picture
    for fig in figures:
        assert f"Start: {fig.start_alt}" in alts
        assert f"End: {fig.end_alt}" in alts


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_patient_text_reads_at_grade_five_or_lower(catalog: Catalog, program_id: str) -> None:
    handout = load_handout(program_id, catalog, on=ON)
    text = patient_text(handout)
    grade = readability(text).flesch_kincaid
    assert grade <= 5, f"{program_id} handout reads at grade {grade:.1f}"
    # What was scored is what is printed.
    _, pdf_text = _read(render_pdf(handout, paper="letter"))
    assert _flat(handout.safety.pain_rule) in pdf_text
    for line in handout.follow_up.advice:
        assert _flat(line) in pdf_text


def test_neutral_posture_box_only_where_the_program_uses_it(catalog: Catalog) -> None:
    assert catalog.posture is not None
    for program_id, tpl in catalog.templates.items():
        _, text = _read(handout_pdf(program_id, catalog, on=ON))
        assert (_flat(catalog.posture.title) in text) is tpl.uses_neutral_posture, program_id


def test_same_program_and_date_give_the_same_file(catalog: Catalog) -> None:
    first = handout_pdf(PROGRAMS[0], catalog, on=ON, paper="a4")
    assert handout_pdf(PROGRAMS[0], catalog, on=ON, paper="a4") == first
    assert handout_pdf(PROGRAMS[0], catalog, on=date(2025, 3, 13), paper="a4") != first


def test_personal_plan_prints_reasons_and_what_was_left_out(catalog: Catalog) -> None:
    chin = catalog.exercise("chin-tuck")
    dose = chin.doses[0]
    plan = {
        "items": [
            {
                "exercise": "chin-tuck",
                "dose": {
                    "handout": dose.handout,
                    "hold_seconds": 5,
                    "reps": 6,
                    "sets": 1,
                    "each_side": False,
                },
                "reason": "It eases a stiff neck from sitting.",
            },
            {"exercise": "shoulder-rolls", "dose": None, "reason": "You can do it at your desk."},
        ],
        "excluded": [
            {"exercise": "childs-pose", "reason": "You kneel for it, and you said your knees hurt."}
        ],
        "minutes": 6.5,
        "notes": ["Start with the smallest amount."],
    }
    _, text = _read(handout_pdf(plan, catalog, on=ON))
    assert "Your exercise plan" in text
    assert "Chin tuck" in text and "Shoulder rolls" in text
    assert "Hold 5 seconds · 6 times" in text  # the plan's own numbers, not the handout's range
    assert "It eases a stiff neck from sitting." in text
    assert "Child's pose" in text and "you said your knees hurt" in text
    assert "about 7 minutes" in text
    assert "Start with the smallest amount." in text


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({}, "items"),
        ({"items": [{"exercise": "no-such-move"}]}, "items[0].exercise"),
        ({"items": [{"exercise": "chin-tuck", "dose": {"reps": 99}}]}, "items[0].dose.reps"),
        ({"items": [{"exercise": "chin-tuck"}], "minutes": "soon"}, "minutes"),
    ],
)
def test_bad_plan_says_which_field(catalog: Catalog, plan: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        handout_pdf(plan, catalog, on=ON)
    assert err.value.field == field


@pytest.mark.parametrize("setting", ["home", "work"])
def test_plan_from_the_engine_prints_as_it_is(catalog: Catalog, setting: str) -> None:
    from upright.services.engine import plan_inputs, plan_json, run_plan

    plan = plan_json(
        run_plan(catalog, plan_inputs(setting=setting, conditions=["knee-pain"], minutes=20)),
        catalog.vocabulary,
    )
    _, text = _read(handout_pdf(plan, catalog, on=ON, paper="a4"))
    assert _flat(plan["title"]) in text
    for item in plan["items"]:
        assert item["name"] in text
        if item["dose"]["given"]:  # the plan's own numbers, in the same words the app shows
            assert _flat(item["dose"]["text"]) in text
    for left in plan["excluded"]:
        assert left["name"] in text
        assert _flat(left["reason"]) in text
    microbreak = catalog.rules["workday-microbreak"].text
    assert (_flat(microbreak) in text) is (setting == "work")


def test_missing_font_says_how_to_install_it(tmp_path: Path) -> None:
    from upright.exports.handout import FontsMissing, _Engine

    with pytest.raises(FontsMissing, match="apt-get install fonts-dejavu-core"):
        _Engine((tmp_path,))


def test_the_printed_emergency_signs_name_the_emergency_number_and_ask_one_thing(catalog: Catalog) -> None:
    pdf = handout_pdf("healthy-upper-back", catalog, on=date(2026, 3, 2), emergency_number="999")
    _, text = _read(pdf)
    assert "Call 999 now if you answer yes:" in text
    assert _flat("Do you have pain, pressure, or tightness in your chest right now?") in text
    # a sign cleared by a doctor's check says so; a sign asked after a plain question prints with it
    assert _flat("Have you ever had cancer? (Not if a doctor has checked this pain.)") in text
    assert "Could your bones be thin or weak?" in text and "Did a small fall or bump start this pain?" in text

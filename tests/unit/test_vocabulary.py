"""Every id the code and the catalog use has words, once, in catalog/vocabulary.yaml; the words
are plain; and a vocabulary that misses an id or names an unknown one is refused, naming the field."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from pydantic import ValidationError

from upright.catalog import Catalog, Vocabulary
from upright.catalog.readability import readability
from upright.catalog.vocabulary import IDS, PAIN_CONTEXTS, PLACES
from upright.documents import export as export_format
from upright.documents import session_result as session_results
from upright.domain.break_settings import WEEKDAYS
from upright.domain.break_stats import COUNTED
from upright.domain.dose import dose_words, starting_dose
from upright.domain.planning import FOCUSES, SETTINGS
from upright.domain.screening import SEVERITY
from upright.exports.handout import PAPERS
from upright.services.checkins import ALERT_CONTEXTS


def _literal(model: Any, field: str) -> tuple[str, ...]:
    """The ids a Pydantic field allows (a Literal, or an optional one)."""
    annotation = model.model_fields[field].annotation
    args = get_args(annotation)
    if type(None) in args:  # Literal[...] | None
        args = get_args(next(a for a in args if a is not type(None)))
    return tuple(args)


def test_every_id_of_every_kind_has_words(catalog: Catalog) -> None:
    words = catalog.vocabulary
    for kind, ids in IDS.items():
        table = getattr(words, kind)
        assert list(table) == list(ids), kind
        assert all(text.strip() for text in table.values()), kind


def test_the_ids_the_code_uses_are_the_vocabulary_ids() -> None:
    """Each list of ids in the code is the vocabulary's list, so nothing shows up without words."""
    assert set(IDS["settings"]) == set(SETTINGS)
    assert set(IDS["focuses"]) == set(FOCUSES)
    assert tuple(k.value for k in COUNTED) == IDS["break_counts"]
    assert set(SEVERITY) == set(IDS["screening_outcomes"])
    assert set(ALERT_CONTEXTS) <= set(PAIN_CONTEXTS)
    assert IDS["weekdays"] == WEEKDAYS  # in order: the week's table shows them by position
    assert set(IDS["paper_sizes"]) == set(PAPERS)
    stored = {  # what results, check-ins and exports accept: each field's ids, and the kind giving words
        (session_results.SessionResultIn, "outcome"): "session_outcomes",
        (session_results.ItemResult, "status"): "item_statuses",
        (session_results.CheckIn, "feeling"): "feelings",
        (export_format.SessionV, "outcome"): "session_outcomes",
        (export_format.SessionV, "feeling"): "feelings",
        (export_format.ItemV, "status"): "item_statuses",
        (export_format.PainV, "context"): "pain_contexts",
        (export_format.ProfileV, "setting"): "settings",
        (export_format.ProfileV, "focus"): "focuses",
    }
    for (model, field), kind in stored.items():
        assert set(_literal(model, field)) == set(IDS[kind]), (model.__name__, field)


def test_every_id_in_the_catalog_files_has_words(catalog: Catalog) -> None:
    words = catalog.vocabulary
    for ex in catalog.exercises.values():
        assert ex.category in words.categories, ex.id
        assert set(ex.positions) <= set(words.positions) and set(ex.positions) <= set(words.position_steps), (
            ex.id
        )
        assert set(ex.equipment) <= set(words.equipment), ex.id
        assert set(ex.regions) <= set(words.regions), ex.id
    assert {q.outcome for q in catalog.screening} <= set(words.screening_outcomes)
    assert {q.group for q in catalog.screening if q.group} <= set(words.screening_groups)


def test_the_words_read_at_grade_5_or_lower(catalog: Catalog) -> None:
    """Measured as one text, as `upright catalog check` measures a file: a label of a few words alone
    gives the formula too little to go on ("Call your emergency number now" would count as grade 8)."""
    entries = [w for kind in IDS for w in getattr(catalog.vocabulary, kind).values()]
    assert readability(" ".join(w if w.endswith(".") else f"{w}." for w in entries)).flesch_kincaid <= 5


def test_one_wording_for_equipment_the_feelings_and_the_places(catalog: Catalog) -> None:
    """What was said four ways (forms, filters, breaks, spoken script) is now said one way."""
    words = catalog.vocabulary
    assert words.word("equipment", "resistance-band") == "a stretch band"
    assert (
        words.word("feelings", "harder") == "Harder than I thought"
    )  # the question's words, also on Progress
    assert words.choices("places", ("neck", "low-back")) == {"neck": "Neck", "low-back": "Low back"}
    assert words.listing("equipment", ["mat", "chair"]) == "a mat or a soft rug and a firm chair"
    assert words.word("places", "somewhere-new") == "somewhere-new"  # an id from an older version shows as is


def _file(catalog: Catalog) -> dict[str, Any]:
    return catalog.vocabulary.model_dump()


def test_a_missing_id_is_refused_naming_the_kind_and_the_id(catalog: Catalog) -> None:
    data = _file(catalog)
    del data["places"]["upper-back"]
    with pytest.raises(ValidationError) as err:
        Vocabulary.model_validate(data)
    [problem] = err.value.errors()
    assert problem["loc"] == ("places",) and "'upper-back'" in problem["msg"]


def test_an_unknown_id_is_refused_naming_the_kind_and_the_id(catalog: Catalog) -> None:
    data = _file(catalog)
    data["equipment"]["bench"] = "a bench"
    with pytest.raises(ValidationError) as err:
        Vocabulary.model_validate(data)
    [problem] = err.value.errors()
    assert problem["loc"] == ("equipment",) and "unknown id 'bench'" in problem["msg"]


def test_a_second_language_is_the_same_shape_with_its_own_words(catalog: Catalog) -> None:
    data = _file(catalog)
    data["language"] = "es"
    data["places"] = {**data["places"], "neck": "Cuello"}
    spanish = Vocabulary.model_validate(data)
    assert spanish.word("places", "neck") == "Cuello"
    assert set(spanish.places) == set(PLACES)


def test_the_players_words_keep_their_places_to_fill_in(catalog: Catalog) -> None:
    """Both players fill "Rep {n} of {of}" in; a translation that loses {of} would show a wrong count."""
    assert catalog.vocabulary.filled("player", "rep_of", n=2, of=5) == "Rep 2 of 5"
    data = _file(catalog)
    data["player"]["rep_of"] = "Vez {n}"
    with pytest.raises(ValidationError) as err:
        Vocabulary.model_validate(data)
    [problem] = err.value.errors()
    assert problem["loc"] == ("player",) and "'rep_of' must have {n}, {of}" in problem["msg"]


def test_a_dose_reads_in_the_vocabularys_words(catalog: Catalog) -> None:
    """Dose wording only puts the words together: a second language changes them and nothing else."""
    chin = starting_dose(catalog.exercise("chin-tuck"))
    assert dose_words(chin, catalog.vocabulary) == "Hold 5 seconds · 5 times"
    data = _file(catalog)
    data["language"] = "es"
    data["doses"] = {**data["doses"], "hold": "Mantén {amount}", "seconds": "segundos", "times": "veces"}
    assert dose_words(chin, Vocabulary.model_validate(data)) == "Mantén 5 segundos · 5 veces"

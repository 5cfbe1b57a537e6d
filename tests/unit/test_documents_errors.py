"""The one mapper from a model's validation error to Upright's field-named error (documents.errors)."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from upright.documents.errors import field_error, field_path, invalid_input, parse, problems
from upright.errors import InvalidInput


def _minutes(value: object) -> object:
    if isinstance(value, str):
        raise ValueError("give the minutes as a number, like 15")
    return value


def _conditions(value: object) -> object:
    if not isinstance(value, list):
        raise field_error("condition", "give a list of names")
    return value


class Dose(BaseModel):
    reps: int


class Item(BaseModel):
    exercise: str
    dose: Dose


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Item] = []
    minutes: Annotated[float, BeforeValidator(_minutes)] = 15.0
    conditions: Annotated[list[str], BeforeValidator(_conditions)] = []
    answers: dict[str, bool] = {}


def _error(data: object) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        Doc.model_validate(data)
    return err.value


def test_a_path_reads_as_a_person_writes_it() -> None:
    assert field_path(("items", 0, "dose", "reps")) == "items[0].dose.reps"
    assert field_path(("answers", "night-pain")) == "answers.night-pain"
    assert field_path(("items", 0, "dose", "reps"), dotted=True) == "items.0.dose.reps"
    assert field_path(()) == ""


def test_a_nested_wrong_value_names_its_field_in_plain_words() -> None:
    exc = _error({"items": [{"exercise": "chin-tuck", "dose": {"reps": "many"}}]})
    assert problems(exc.errors()) == [
        ("items[0].dose.reps", "input should be a valid integer, unable to parse string as an integer")
    ]


def test_our_own_sentence_is_kept_as_written() -> None:
    err = invalid_input(_error({"minutes": "five"}))
    assert (err.field, err.message) == ("minutes", "give the minutes as a number, like 15")
    assert str(err) == "minutes: give the minutes as a number, like 15"


def test_a_field_named_otherwise_than_its_key() -> None:
    err = invalid_input(_error({"conditions": "knee"}))
    assert (err.field, err.message) == ("condition", "give a list of names")


def test_unknown_and_missing_fields() -> None:
    assert problems(_error({"mood": "ok"}).errors()) == [("mood", "extra inputs are not permitted")]
    with pytest.raises(ValidationError) as err:
        Item.model_validate({"exercise": "chin-tuck"})
    assert problems(err.value.errors()) == [("dose", "field required")]


def test_a_document_of_the_wrong_kind_is_named_by_what_it_is() -> None:
    err = invalid_input(_error([1, 2]), whole="answers")
    assert err.field == "answers" and "valid dictionary" in err.message


def test_a_nested_document_is_placed_by_its_prefix() -> None:
    exc = _error({"items": [{"exercise": "x", "dose": {"reps": None}}]})
    assert invalid_input(exc, prefix="plans[0].plan").field == "plans[0].plan.items[0].dose.reps"


def test_every_problem_is_listed_in_order() -> None:
    exc = _error({"minutes": "five", "answers": {"night-pain": "maybe"}})
    assert [field for field, _ in problems(exc.errors())] == ["minutes", "answers.night-pain"]


def test_parse_gives_the_model_or_invalid_input() -> None:
    assert parse(Doc, {"minutes": 10}).minutes == 10.0
    with pytest.raises(InvalidInput) as err:
        parse(Doc, {"items": [{"exercise": 3, "dose": {"reps": 1}}]})
    assert err.value.field == "items[0].exercise"

"""The catalog loader refuses a words file (catalog/vocabulary.yaml, or a translation of it) that
misses an id or names an unknown one, naming the file and the field, and lists every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from upright.catalog import load_catalog, load_vocabulary
from upright.catalog.load import BUILTIN_DIR, VOCABULARY_FILE
from upright.errors import CatalogError

pytestmark = pytest.mark.dateless


def builtin_words() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((BUILTIN_DIR / VOCABULARY_FILE).read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "vocabulary.es.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_the_builtin_words_load_with_the_catalog() -> None:
    assert load_catalog().vocabulary.word("places", "upper-back") == "Upper back"


def test_a_translation_with_every_id_loads(tmp_path: Path) -> None:
    data = builtin_words()
    data["language"] = "es"
    data["places"]["neck"] = "Cuello"
    assert load_vocabulary(write(tmp_path, data)).word("places", "neck") == "Cuello"


def test_missing_and_unknown_ids_are_refused_naming_file_and_field(tmp_path: Path) -> None:
    data = builtin_words()
    del data["feelings"]["harder"]
    data["equipment"]["bench"] = "a bench"
    path = write(tmp_path, data)
    with pytest.raises(CatalogError) as err:
        load_vocabulary(path)
    problems = {field: (file, message) for file, field, message in err.value.problems}
    assert set(problems) == {"feelings", "equipment"}  # both at once, each naming its kind
    assert all(file == str(path) for file, _ in problems.values())
    assert "no words for id 'harder'" in problems["feelings"][1]
    assert "unknown id 'bench'" in problems["equipment"][1]
    assert f"{path}: feelings: no words for id 'harder'" in str(err.value)


def test_a_missing_kind_or_an_empty_word_is_refused(tmp_path: Path) -> None:
    data = builtin_words()
    del data["places"]
    data["positions"]["sitting"] = ""
    with pytest.raises(CatalogError) as err:
        load_vocabulary(write(tmp_path, data))
    fields = {field for _, field, _ in err.value.problems}
    assert fields == {"places", "positions.sitting"}


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as err:
        load_vocabulary(tmp_path / "vocabulary.yaml")
    assert err.value.problems == [(str(tmp_path / "vocabulary.yaml"), "(file)", "the words file is missing")]

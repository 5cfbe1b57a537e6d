"""The catalog parse cache makes loading faster and never changes what is loaded: an edited file, another
set of clinic folders, or a damaged cache all give exactly what a fresh load gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_catalog_errors import valid_exercise, write
from upright.catalog import load_catalog
from upright.errors import CatalogError

pytestmark = pytest.mark.dateless


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic"
    write(folder, "exercises/desk-reach.yaml", valid_exercise())
    return folder


def test_a_cached_load_equals_a_fresh_load(tmp_path: Path, clinic: Path) -> None:
    cache = tmp_path / "cache" / "catalog.json"
    fresh = load_catalog([clinic])
    first = load_catalog([clinic], cache_file=cache)
    assert cache.is_file()
    second = load_catalog([clinic], cache_file=cache)  # served from the cache
    assert first == fresh
    assert second == fresh


def test_an_edited_file_is_seen_at_once(tmp_path: Path, clinic: Path) -> None:
    cache = tmp_path / "catalog.json"
    assert load_catalog([clinic], cache_file=cache).exercise("desk-reach").name == "Desk reach"
    write(clinic, "exercises/desk-reach.yaml", valid_exercise(name="Desk reach, slower"))
    assert load_catalog([clinic], cache_file=cache).exercise("desk-reach").name == "Desk reach, slower"


def test_a_file_broken_after_caching_is_still_refused(tmp_path: Path, clinic: Path) -> None:
    cache = tmp_path / "catalog.json"
    load_catalog([clinic], cache_file=cache)
    write(clinic, "exercises/desk-reach.yaml", valid_exercise(flavour="mint"))
    with pytest.raises(CatalogError) as caught:
        load_catalog([clinic], cache_file=cache)
    assert "flavour: unknown field" in str(caught.value)


def test_other_folders_give_their_own_catalog(tmp_path: Path, clinic: Path) -> None:
    cache = tmp_path / "catalog.json"
    with_clinic = load_catalog([clinic], cache_file=cache)
    without = load_catalog([], cache_file=cache)
    assert "desk-reach" in with_clinic.exercises
    assert "desk-reach" not in without.exercises
    assert without == load_catalog([])


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short, as by a full disk
        lambda text: "not json at all",
        lambda text: json.dumps({"format": 999, "files": {}}),  # another version's cache
        lambda text: json.dumps([1, 2, 3]),
    ],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path: Path, clinic: Path, damage: Any) -> None:
    cache = tmp_path / "catalog.json"
    fresh = load_catalog([clinic], cache_file=cache)
    cache.write_text(damage(cache.read_text(encoding="utf-8")), encoding="utf-8")
    assert load_catalog([clinic], cache_file=cache) == fresh
    assert json.loads(cache.read_text(encoding="utf-8"))["format"] == 1  # rewritten whole


def test_a_tampered_entry_is_not_trusted(tmp_path: Path, clinic: Path) -> None:
    cache = tmp_path / "catalog.json"
    load_catalog([clinic], cache_file=cache)
    data = json.loads(cache.read_text(encoding="utf-8"))
    tampered = 0
    for entry in data["files"].values():
        if isinstance(entry[1], dict) and entry[1].get("id") == "desk-reach":
            entry[1]["name"] = "Something else"  # the value changed, its checksum did not
            tampered += 1
    assert tampered == 1
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert load_catalog([clinic], cache_file=cache).exercise("desk-reach").name == "Desk reach"


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path: Path, clinic: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    assert "desk-reach" in load_catalog([clinic], cache_file=blocker / "catalog.json").exercises


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "upright.cli", *args], env=env, capture_output=True, text=True
    )


def _cli(*args: str, env: dict[str, str]) -> Any:
    out = _run(*args, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_command_sees_an_edited_file_and_a_new_folder_setting(tmp_path: Path, clinic: Path) -> None:
    """The parse cache and the kept answers (cli/answers.py) are both in play here: neither is stale."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "UPRIGHT_CATALOG_DIRS": str(clinic)}
    for _ in range(2):  # made, then given from the kept answer
        assert _cli("exercise", "desk-reach", "--json", env=env)["name"] == "Desk reach"
    assert (tmp_path / "cache" / "upright" / "catalog.json").is_file()  # the user cache folder
    assert len(list((tmp_path / "cache" / "upright" / "answers").iterdir())) == 1
    write(clinic, "exercises/desk-reach.yaml", valid_exercise(name="Desk reach, slower"))
    assert _cli("exercise", "desk-reach", "--json", env=env)["name"] == "Desk reach, slower"
    write(clinic, "exercises/desk-reach.yaml", valid_exercise(flavour="mint"))
    for _ in range(2):  # an error is never kept: it is told every time
        broken = _run("exercise", "desk-reach", "--json", env=env)
        assert broken.returncode == 1
        assert "desk-reach.yaml" in broken.stderr and "flavour" in broken.stderr
    other = tmp_path / "other-clinic"
    write(other, "exercises/desk-reach.yaml", valid_exercise(name="Desk reach, other clinic"))
    env["UPRIGHT_CATALOG_DIRS"] = str(other)
    assert _cli("exercise", "desk-reach", "--json", env=env)["name"] == "Desk reach, other clinic"


def test_an_unwritable_cache_folder_only_costs_the_command_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    blocked = {**os.environ, "XDG_CACHE_HOME": str(blocker)}
    working = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    fresh = _run("programs", "--json", env=blocked)
    assert fresh.returncode == 0, fresh.stderr
    assert _run("programs", "--json", env=working).stdout == fresh.stdout

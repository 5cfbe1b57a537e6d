"""A broken catalog file is refused with one plain problem that names its file, field and cause.

Each case writes a clinic folder into tmp_path next to the (valid) built-in catalog, the way
UPRIGHT_CATALOG_DIRS adds folders, and loads both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from upright.catalog import load_catalog
from upright.catalog.load import BUILTIN_DIR
from upright.cli import app
from upright.config import get_settings
from upright.errors import CatalogError

pytestmark = pytest.mark.dateless


def valid_exercise(**changes: Any) -> dict[str, Any]:
    """A small exercise that loads cleanly; `changes` replace fields (or add unknown ones)."""
    data: dict[str, Any] = {
        "id": "desk-reach",
        "name": "Desk reach",
        "purpose": "Stretches your arms.",
        "category": "stretch",
        "regions": ["arms"],
        "position": "sitting",
        "equipment": ["none"],
        "steps": ["Reach up.", "Hold, then relax."],
        "phases": [
            {"key": "reach", "say": "Reach up."},
            {"key": "hold", "say": "Hold.", "hold": True},
        ],
        "doses": [{"handout": "clinic-sheet.pdf", "name_in_handout": "Reach", "hold_seconds": 5, "reps": 5}],
    }
    data.update(changes)
    return data


def dose(**changes: Any) -> list[dict[str, Any]]:
    return [{"handout": "clinic-sheet.pdf", "name_in_handout": "Reach", **changes}]


def write(folder: Path, rel: str, content: Any) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False))


TEMPLATE = {
    "id": "clinic-program",
    "file": "clinic-sheet.pdf",
    "title": "Clinic program",
    "source": "Our clinic",
    "summary": "Two moves.",
    "items": ["desk-reach", "no-such-exercise"],
}

# (case, files to write, file named in the problem, field, words in the problem)
CASES: list[tuple[str, dict[str, Any], str, str, str]] = [
    (
        "bad-yaml",
        {"exercises/desk-reach.yaml": "id: desk-reach\nname: [Desk reach\n"},
        "exercises/desk-reach.yaml",
        "line 3",
        "not valid YAML",
    ),
    (
        "unknown-field",
        {"exercises/desk-reach.yaml": valid_exercise(colour="red")},
        "exercises/desk-reach.yaml",
        "colour",
        "unknown field",
    ),
    (
        "hold-0",
        {"exercises/desk-reach.yaml": valid_exercise(doses=dose(hold_seconds=0))},
        "exercises/desk-reach.yaml",
        "doses[0].hold_seconds",
        "between 1 and 120",
    ),
    (
        "hold-900",
        {"exercises/desk-reach.yaml": valid_exercise(doses=dose(hold_seconds=900))},
        "exercises/desk-reach.yaml",
        "doses[0].hold_seconds",
        "between 1 and 120; got [900, 900]",
    ),
    (
        "reps-max-below-min",
        {"exercises/desk-reach.yaml": valid_exercise(doses=dose(reps=[10, 5]))},
        "exercises/desk-reach.yaml",
        "doses[0].reps",
        "max (5) is smaller than min (10)",
    ),
    (
        "unknown-equipment",
        {"exercises/desk-reach.yaml": valid_exercise(equipment=["none", "trampoline"])},
        "exercises/desk-reach.yaml",
        "equipment[1]",
        "'resistance-band'",
    ),
    (
        "duplicate-id",
        {"exercises/chin-tuck.yaml": (BUILTIN_DIR / "exercises" / "chin-tuck.yaml").read_text()},
        "exercises/chin-tuck.yaml",
        "id",
        "duplicate exercise id 'chin-tuck'",
    ),
    (
        "template-names-missing-exercise",
        {"exercises/desk-reach.yaml": valid_exercise(), "handouts/clinic.yaml": TEMPLATE},
        "handouts/clinic.yaml",
        "items[1]",
        "'no-such-exercise', which is not in the catalog",
    ),
    (
        "unknown-condition",
        {"exercises/desk-reach.yaml": valid_exercise(contraindications=["bad-knees"])},
        "exercises/desk-reach.yaml",
        "contraindications[0]",
        "unknown condition 'bad-knees'",
    ),
]


def test_the_valid_exercise_used_below_really_loads(tmp_path: Path) -> None:
    write(tmp_path, "exercises/desk-reach.yaml", valid_exercise())
    assert load_catalog([tmp_path]).exercise("desk-reach").name == "Desk reach"


@pytest.mark.parametrize(("case", "files", "file", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_gives_one_problem_naming_file_field_and_cause(
    tmp_path: Path, case: str, files: dict[str, Any], file: str, field: str, words: str
) -> None:
    for rel, content in files.items():
        write(tmp_path, rel, content)
    with pytest.raises(CatalogError) as caught:
        load_catalog([tmp_path])
    assert caught.value.problems == [(str(tmp_path / file), field, caught.value.problems[0][2])]
    assert words in caught.value.problems[0][2]
    assert f"{tmp_path / file}: {field}: " in str(caught.value)


def test_every_problem_is_listed_in_one_go(tmp_path: Path) -> None:
    write(tmp_path, "exercises/desk-reach.yaml", valid_exercise(doses=dose(hold_seconds=900, reps=[10, 5])))
    write(tmp_path, "exercises/other.yaml", "id: other\nname: [oops\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog([tmp_path])
    fields = sorted(f for _, f, _ in caught.value.problems)
    assert fields == ["doses[0].hold_seconds", "doses[0].reps", "line 3"]


def test_missing_folder_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog([tmp_path / "nowhere"])


def test_a_phase_with_one_side_only_is_refused(tmp_path: Path) -> None:
    phases = [
        {"key": "reach", "say": "Reach right.", "side": "right"},
        {"key": "hold", "say": "Hold.", "hold": True},
    ]
    write(tmp_path, "exercises/desk-reach.yaml", valid_exercise(phases=phases))
    with pytest.raises(CatalogError, match="names one side only"):
        load_catalog([tmp_path])


def test_cli_check_exits_1_and_names_file_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "exercises/desk-reach.yaml", valid_exercise(doses=dose(hold_seconds=900)))
    monkeypatch.setenv("UPRIGHT_CATALOG_DIRS", str(tmp_path))
    get_settings.cache_clear()  # settings are read once; make it see the folder set above
    result = CliRunner().invoke(app, ["catalog", "check"])
    assert result.exit_code == 1
    said = "".join(result.stderr.split())  # Rich wraps long lines; compare without whitespace
    assert (
        f"{tmp_path}/exercises/desk-reach.yaml:doses[0].hold_seconds:holdsecondsmustbebetween1and120" in said
    )


def test_cli_check_passes_on_the_builtin_catalog_and_shows_every_grade() -> None:
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["catalog", "check"])
    assert result.exit_code == 0, result.output
    cat = load_catalog()
    for ex_id in cat.exercises:
        assert ex_id in result.stdout
    assert f"OK: {len(cat.exercises)} exercises" in " ".join(result.stdout.split())


def test_the_readme_worked_example_loads_as_a_clinic_exercise(tmp_path: Path) -> None:
    readme = (BUILTIN_DIR / "README.md").read_text()
    example = readme.split("```yaml\n")[1].split("```")[0]
    write(tmp_path, "exercises/seated-side-reach.yaml", example)
    ex = load_catalog([tmp_path]).exercise("seated-side-reach")
    assert ex.desk_friendly and ex.doses[0].each_side


def test_cli_check_works_out_every_figure_and_names_the_pose_file_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What needs the skeleton (a body part's name) is checked by `catalog check` too."""
    write(tmp_path, "exercises/desk-reach.yaml", valid_exercise())
    chin_tuck = (BUILTIN_DIR / "poses" / "chin-tuck.yaml").read_text(encoding="utf-8")
    broken = chin_tuck.replace("exercise: chin-tuck", "exercise: desk-reach").replace(
        "pose: {neck: [88, 92], head: 62}", "pose: {nek: 80}"
    )
    (tmp_path / "poses").mkdir()
    (tmp_path / "poses" / "desk-reach.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.setenv("UPRIGHT_CATALOG_DIRS", str(tmp_path))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["catalog", "check"])
    assert result.exit_code == 1
    said = "".join(result.stderr.split())
    assert f"{tmp_path}/poses/desk-reach.yaml:keyframes[1].pose.nek:unknownbodypart" in said

"""Read and check the catalog files, then build one immutable Catalog.

Every problem names its file and field; all problems are gathered before raising, so one run of
`upright catalog check` shows the whole list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from upright.catalog.cache import MISSING, ParseCache
from upright.catalog.pose_schema import PoseFile
from upright.catalog.schema import (
    Condition,
    Exercise,
    GeneralRule,
    HandoutTemplate,
    PostureChecklist,
    ScreeningCombination,
    ScreeningQuestion,
)
from upright.catalog.vocabulary import Vocabulary
from upright.errors import CatalogError, NotFound

__all__ = [
    "BUILTIN_DIR",
    "VOCABULARY_FILE",
    "Catalog",
    "builtin_catalog",
    "builtin_vocabulary",
    "load_catalog",
    "load_pose",
    "load_vocabulary",
]

BUILTIN_DIR = Path(__file__).resolve().parent
VOCABULARY_FILE = "vocabulary.yaml"  # the words for every id (catalog/vocabulary.py); built-in only
M = TypeVar("M", bound=BaseModel)
Problems = list[tuple[str, str, str]]


def _builtin_words() -> Vocabulary:
    return builtin_vocabulary()


@dataclass(frozen=True)
class Catalog:
    """Everything Upright knows from the handouts (and any clinic folders), checked."""

    exercises: dict[str, Exercise]
    templates: dict[str, HandoutTemplate]
    rules: dict[str, GeneralRule]
    conditions: dict[str, Condition]
    screening: tuple[ScreeningQuestion, ...]
    posture: PostureChecklist | None
    sources: dict[str, str] = field(default_factory=dict)  # "kind:id" -> file it came from
    screening_combined: tuple[ScreeningCombination, ...] = ()
    # A catalog put together in code (a test's) speaks the built-in words.
    vocabulary: Vocabulary = field(default_factory=lambda: _builtin_words())
    poses: dict[str, PoseFile] = field(default_factory=dict)  # exercise id -> how to draw it (figures/)

    def pose_source(self, exercise_id: str) -> str:
        """The pose file of this exercise, as error messages name it."""
        return self.sources.get(f"pose:{exercise_id}", f"poses/{exercise_id}.yaml")

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise NotFound("exercise", exercise_id) from None

    def template(self, template_id: str) -> HandoutTemplate:
        found = self.templates.get(template_id) or next(
            (t for t in self.templates.values() if t.file == template_id), None
        )
        if found is None:
            raise NotFound("program", template_id)
        return found


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(BUILTIN_DIR.parent.parent.parent))
    except ValueError:
        return str(path)


# Returned by _read_yaml when the file could not be parsed: the problem is already listed, so the
# model check is skipped rather than adding a second, confusing "(top level)" problem.
_UNREADABLE: Any = object()


def _read_yaml(path: Path, problems: Problems, cache: ParseCache | None = None) -> Any:
    try:
        content = path.read_bytes()
        text = content.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append((_display(path), "(file)", f"cannot be read: {exc}"))
        return _UNREADABLE
    key = ParseCache.key(content) if cache is not None else ""
    if cache is not None and (cached := cache.lookup(key)) is not MISSING:
        return cached
    import yaml  # here, not at the top: a load served from the cache never needs the parser

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        problems.append((_display(path), where, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return _UNREADABLE
    if cache is not None:
        cache.store(key, data)
    return data


def _field_path(loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "(top level)"


def _validate(model: type[M], data: Any, path: Path, problems: Problems, prefix: str = "") -> M | None:
    if data is _UNREADABLE:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for err in errors:
            if err["type"] == "too_short" and any(
                len(o["loc"]) > len(err["loc"]) and o["loc"][: len(err["loc"])] == err["loc"] for o in errors
            ):
                continue  # "list too short" only because an item in it failed: the item's error says why
            loc = _field_path(err["loc"])
            field_name = f"{prefix}{loc}" if prefix else loc
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown field (check the spelling; allowed fields are in catalog/README.md)"
            problems.append((_display(path), field_name, message))
    return None


def _validate_list(model: type[M], path: Path, problems: Problems, cache: ParseCache | None) -> list[M]:
    data = _read_yaml(path, problems, cache)
    if data is None or data is _UNREADABLE:
        return []
    if not isinstance(data, list):
        problems.append((_display(path), "(top level)", "must be a list of entries"))
        return []
    out = []
    for i, item in enumerate(data):
        obj = _validate(model, item, path, problems, prefix=f"[{i}].")
        if obj is not None:
            out.append(obj)
    return out


_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
# A check across fields (PoseFile._names) names its field at the start of its message.
_FIELD_IN_MESSAGE = re.compile(r"^([a-z_]+(?:\[\d+\]|\.[a-z_]+)*): (.*)$", re.S)


def _pose_field(loc: Sequence[int | str]) -> str:
    """A pose file's field path; pydantic's names for a branch of a union ("constrained-float",
    "tuple[...]") are left out: they are not fields a person wrote."""
    return _field_path([p for p in loc if isinstance(p, int) or _NAME.match(p)])


def _validate_pose(data: Any, path: Path, problems: Problems) -> PoseFile | None:
    if data is _UNREADABLE:
        return None
    try:
        return PoseFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        seen: set[str] = set()
        for err in errors:
            where, message = _pose_field(err["loc"]), err["msg"].removeprefix("Value error, ")
            if where in seen:  # a union reports once per branch; the first says enough
                continue
            if err["type"] == "too_short" and any(
                len(o["loc"]) > len(err["loc"]) and o["loc"][: len(err["loc"])] == err["loc"] for o in errors
            ):
                continue  # "too few keyframes" only because one of them is broken
            seen.add(where)
            if err["type"] == "extra_forbidden":
                message = "unknown field (see catalog/pose_schema.py for the allowed fields)"
            named = _FIELD_IN_MESSAGE.match(message)
            if named and where == "(top level)":
                where, message = named.group(1), named.group(2)
            problems.append((_display(path), where, message))
    return None


def load_pose(
    path: Path, problems: Problems | None = None, cache: ParseCache | None = None
) -> PoseFile | None:
    """One pose file, checked (its shape, and that it is named after its exercise). With `problems`,
    problems are added there and None returned; without, they are raised as a CatalogError."""
    found: Problems = [] if problems is None else problems
    pose = _validate_pose(_read_yaml(path, found, cache), path, found)
    if pose is not None and pose.exercise != path.stem:
        found.append(
            (_display(path), "exercise", f"{pose.exercise!r} must match the file name {path.stem!r}")
        )
        pose = None
    if problems is None and found:
        raise CatalogError(found)
    return pose


def _add_unique(
    into: dict[str, M],
    item: M,
    ident: str,
    path: Path,
    sources: dict[str, str],
    problems: Problems,
    kind: str,
    field_name: str = "id",
) -> None:
    key = f"{kind}:{ident}"
    if ident in into:
        problems.append(
            (_display(path), field_name, f"duplicate {kind} id {ident!r} (also in {sources[key]})")
        )
        return
    into[ident] = item
    sources[key] = _display(path)


def load_catalog(extra_dirs: Iterable[Path] = (), *, cache_file: Path | None = None) -> Catalog:
    """Load the built-in catalog plus clinic folders; raise CatalogError listing every problem.

    With `cache_file`, parsed files are kept there by content hash (see catalog/cache.py): the result
    is the same, checked the same way, only faster to get."""
    cache = ParseCache(cache_file) if cache_file is not None else None
    problems: Problems = []
    sources: dict[str, str] = {}
    exercises: dict[str, Exercise] = {}
    templates: dict[str, HandoutTemplate] = {}
    rules: dict[str, GeneralRule] = {}
    conditions: dict[str, Condition] = {}
    screening: list[ScreeningQuestion] = []
    combined: list[ScreeningCombination] = []
    posture: PostureChecklist | None = None
    poses: dict[str, PoseFile] = {}

    dirs = [BUILTIN_DIR, *[Path(d) for d in extra_dirs]]
    for base in dirs:
        if not base.is_dir():
            problems.append((str(base), "(folder)", "catalog folder does not exist"))
            continue
        for path in sorted((base / "exercises").glob("*.yaml")):
            ex = _validate(Exercise, _read_yaml(path, problems, cache), path, problems)
            if ex is not None:
                if path.stem != ex.id:
                    problems.append(
                        (_display(path), "id", f"id {ex.id!r} must match the file name {path.stem!r}")
                    )
                _add_unique(exercises, ex, ex.id, path, sources, problems, "exercise")
        for path in sorted((base / "handouts").glob("*.yaml")):
            tpl = _validate(HandoutTemplate, _read_yaml(path, problems, cache), path, problems)
            if tpl is not None:
                _add_unique(templates, tpl, tpl.id, path, sources, problems, "program")
        rules_dir = base / "rules"
        path = rules_dir / "general.yaml"
        if path.exists():
            for rule in _validate_list(GeneralRule, path, problems, cache):
                _add_unique(rules, rule, rule.id, path, sources, problems, "general")
        path = rules_dir / "conditions.yaml"
        if path.exists():
            for cond in _validate_list(Condition, path, problems, cache):
                _add_unique(conditions, cond, cond.id, path, sources, problems, "conditions")
        path = rules_dir / "screening.yaml"
        if path.exists():
            screening.extend(_validate_list(ScreeningQuestion, path, problems, cache))
        path = rules_dir / "screening_combined.yaml"
        if path.exists():
            combined.extend(_validate_list(ScreeningCombination, path, problems, cache))
        for path in sorted((base / "poses").glob("*.yaml")):
            pose = load_pose(path, problems, cache)
            if pose is not None:
                _add_unique(poses, pose, pose.exercise, path, sources, problems, "pose", "exercise")
        path = base / "posture.yaml"
        if path.exists():
            posture = (
                _validate(PostureChecklist, _read_yaml(path, problems, cache), path, problems) or posture
            )

    vocabulary = _load_vocabulary(BUILTIN_DIR / VOCABULARY_FILE, problems, cache)
    _cross_check(exercises, templates, rules, conditions, screening, sources, problems)
    for exercise_id in poses:
        if exercise_id not in exercises:
            problems.append(
                (
                    sources[f"pose:{exercise_id}"],
                    "exercise",
                    f"there is no exercise {exercise_id!r} in the catalog",
                )
            )
    _check_screening(screening, combined, conditions, problems)
    if cache is not None:
        cache.save()  # parsed files are worth keeping even when the catalog has problems
    if problems or vocabulary is None:
        raise CatalogError(problems)
    return Catalog(
        exercises=exercises,
        templates=templates,
        rules=rules,
        conditions=conditions,
        screening=tuple(screening),
        posture=posture,
        sources=sources,
        screening_combined=tuple(combined),
        vocabulary=vocabulary,
        poses=poses,
    )


def _load_vocabulary(path: Path, problems: Problems, cache: ParseCache | None = None) -> Vocabulary | None:
    """The words file, checked: every id of every kind has words, and no other id is named."""
    if not path.exists():
        problems.append((_display(path), "(file)", "the words file is missing"))
        return None
    return _validate(Vocabulary, _read_yaml(path, problems, cache), path, problems)


def load_vocabulary(path: Path) -> Vocabulary:
    """One words file on its own (a translation being written); CatalogError names each problem."""
    problems: Problems = []
    vocabulary = _load_vocabulary(path, problems)
    if problems or vocabulary is None:
        raise CatalogError(problems)
    return vocabulary


@lru_cache(maxsize=1)
def builtin_vocabulary() -> Vocabulary:
    """The built-in words, loaded once."""
    return load_vocabulary(BUILTIN_DIR / VOCABULARY_FILE)


def _cross_check(
    exercises: dict[str, Exercise],
    templates: dict[str, HandoutTemplate],
    rules: dict[str, GeneralRule],
    conditions: dict[str, Condition],
    screening: list[ScreeningQuestion],
    sources: dict[str, str],
    problems: Problems,
) -> None:
    """References between files: every id named must exist, every template item needs its dose."""
    for ex in exercises.values():
        where = sources[f"exercise:{ex.id}"]
        for i, cond in enumerate(ex.contraindications):
            if cond not in conditions:
                problems.append((where, f"contraindications[{i}]", f"unknown condition {cond!r}"))
    for condition in conditions.values():
        where = sources[f"conditions:{condition.id}"]
        for i, ex_id in enumerate(condition.excludes_exercises):
            if ex_id not in exercises:
                problems.append(
                    (where, f"{condition.id}.excludes_exercises[{i}]", f"unknown exercise {ex_id!r}")
                )
    for tpl in templates.values():
        where = sources[f"program:{tpl.id}"]
        for i, ex_id in enumerate(tpl.items):
            found = exercises.get(ex_id)
            if found is None:
                problems.append(
                    (where, f"items[{i}]", f"names exercise {ex_id!r}, which is not in the catalog")
                )
            elif found.dose_for(tpl.file) is None:
                problems.append(
                    (where, f"items[{i}]", f"exercise {ex_id!r} has no dose for handout {tpl.file}")
                )
        for i, rule_id in enumerate(tpl.rules):
            if rule_id not in rules:
                problems.append((where, f"rules[{i}]", f"unknown rule {rule_id!r}"))


def _check_screening(
    screening: list[ScreeningQuestion],
    combined: list[ScreeningCombination],
    conditions: dict[str, Condition],
    problems: Problems,
) -> None:
    """Question ids are unique; a follow-up comes after the question it follows; names resolve."""
    where = "rules/screening.yaml"
    seen: set[str] = set()
    for q in screening:
        if q.id in seen:
            problems.append((where, "id", f"duplicate question id {q.id!r}"))
        if q.follows is not None and q.follows not in seen:
            problems.append((where, f"{q.id}.follows", f"{q.follows!r} must be an earlier question"))
        if q.adds_condition is not None and q.adds_condition not in conditions:
            problems.append((where, f"{q.id}.adds_condition", f"unknown condition {q.adds_condition!r}"))
        seen.add(q.id)
    for rule in combined:
        for i, qid in enumerate(rule.any_of):
            if qid not in seen:
                problems.append(
                    ("rules/screening_combined.yaml", f"{rule.id}.any_of[{i}]", f"unknown question {qid!r}")
                )


@lru_cache(maxsize=8)
def _cached(extra: tuple[str, ...]) -> Catalog:
    return load_catalog([Path(p) for p in extra])


def builtin_catalog(extra_dirs: Iterable[Path] = ()) -> Catalog:
    """The catalog, loaded once per set of folders (data files do not change while running)."""
    return _cached(tuple(str(p) for p in extra_dirs))

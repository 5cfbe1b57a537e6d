"""The words Upright shows a person for each id: equipment, positions, places, feelings, outcomes.

Code and stored data speak in ids ("resistance-band", "upper-back", "harder"); the pages, the CLI and
the handouts turn an id into words with one lookup, `Vocabulary.word(kind, id)`. The words live in
`catalog/vocabulary.yaml`, once each. A translation is a second file of the same shape
(`vocabulary.<language>.yaml`) that fills in the same ids.

The ids of each kind are listed here, once: the loader refuses a vocabulary file that misses one or
names one that does not exist, and the code's own lists (`documents.fields.Location`, the session
result's `feeling`, ...) are these tuples or are checked against them by a unit test."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Final, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from upright.catalog.schema import CATEGORIES, EQUIPMENT, OUTCOMES, POSITIONS, REGIONS, SCREENING_GROUPS

__all__ = [
    "BREAK_COUNTS",
    "DOSE_WORDS",
    "FEELINGS",
    "FOCUSES",
    "IDS",
    "ITEM_STATUSES",
    "PAIN_CONTEXTS",
    "PAPER_SIZES",
    "PLACES",
    "PLAYER_WORDS",
    "SESSION_OUTCOMES",
    "SETTINGS",
    "WEEKDAYS",
    "Kind",
    "Vocabulary",
    "joined",
]

# Where it hurts: fixed choices, so no free text with health details is ever stored or logged.
PLACES: Final = (
    "neck",
    "upper-back",
    "mid-back",
    "low-back",
    "left-shoulder",
    "right-shoulder",
    "left-arm",
    "right-arm",
    "chest",
    "head",
    "other",
)
FEELINGS: Final = ("easier", "as_expected", "harder")  # how the session felt, asked at its end
SESSION_OUTCOMES: Final = ("completed", "ended_early", "stopped_for_pain")
ITEM_STATUSES: Final = ("done", "partial", "skipped", "stopped_for_pain")
PAIN_CONTEXTS: Final = ("check-in", "end", "during")  # when a pain score was given
SETTINGS: Final = ("home", "work")
FOCUSES: Final = ("mixed", "stretch", "strengthen", "posture")
BREAK_COUNTS: Final = ("prompted", "taken", "natural", "postponed", "skipped")
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # work days and the week's table
PAPER_SIZES: Final = ("letter", "a4")  # the handout's paper
# What the session players (player.js, the terminal player) show around a step. A word with `{...}`
# is filled in by the player; a translation keeps each of these names (the loader checks it, for
# every kind in FILLS).
PLAYER_FILLS: Final[dict[str, tuple[str, ...]]] = {
    "second": (),
    "seconds": (),
    "rep_of": ("n", "of"),
    "set_of": ("n", "of"),
    "side_named": ("side",),
    "side_of": ("n", "of"),
    "next": ("what",),
    "how_to": ("name",),
    "hold_pose": ("name",),
    "voice_on": (),
    "voice_off": (),
    # The no-JS page's list of where a person stopped ("Chin tuck: time 3 of 10, set 1 of 2").
    "stop_time_of": ("n", "of"),
    "stop_set_of": ("n", "of"),
    "first_side": (),
    "second_side": (),
    "all_done": (),
}
PLAYER_WORDS: Final = tuple(PLAYER_FILLS)
# The words of a dose ("Hold 5 seconds · 5 to 10 times · 2 sets · each side"), put together by
# domain.wording from the dose's numbers.
DOSE_FILLS: Final[dict[str, tuple[str, ...]]] = {
    "second": (),
    "seconds": (),
    "time": (),
    "times": (),
    "set": (),
    "sets": (),
    "amount": ("n", "unit"),
    "range": ("low", "high", "unit"),
    "hold": ("amount",),
    "each_side": (),
    "per_day": ("amount",),
    "no_count": (),
}
DOSE_WORDS: Final = tuple(DOSE_FILLS)
FILLS: Final[dict[str, dict[str, tuple[str, ...]]]] = {"player": PLAYER_FILLS, "doses": DOSE_FILLS}

Kind = Literal[
    "equipment",
    "positions",
    "position_steps",
    "categories",
    "regions",
    "places",
    "feelings",
    "session_outcomes",
    "item_statuses",
    "pain_contexts",
    "settings",
    "focuses",
    "screening_outcomes",
    "screening_groups",
    "break_counts",
    "weekdays",
    "paper_sizes",
    "player",
    "doses",
]

# Every kind and the ids it must give words for (exactly these: no more, no fewer).
IDS: Final[dict[str, tuple[str, ...]]] = {
    "equipment": EQUIPMENT,
    "positions": POSITIONS,
    "position_steps": POSITIONS,
    "categories": CATEGORIES,
    "regions": REGIONS,
    "places": PLACES,
    "feelings": FEELINGS,
    "session_outcomes": SESSION_OUTCOMES,
    "item_statuses": ITEM_STATUSES,
    "pain_contexts": PAIN_CONTEXTS,
    "settings": SETTINGS,
    "focuses": FOCUSES,
    "screening_outcomes": OUTCOMES,
    "screening_groups": SCREENING_GROUPS,
    "break_counts": BREAK_COUNTS,
    "weekdays": WEEKDAYS,
    "paper_sizes": PAPER_SIZES,
    "player": PLAYER_WORDS,
    "doses": DOSE_WORDS,
}

Words = Annotated[str, Field(min_length=1, max_length=200)]


class Vocabulary(BaseModel):
    """One language's words, one per id of each kind (see vocabulary.yaml for how each kind reads)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    language: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code, e.g. en, es")
    equipment: dict[str, Words]
    positions: dict[str, Words]
    position_steps: dict[str, Words]
    categories: dict[str, Words]
    regions: dict[str, Words]
    places: dict[str, Words]
    feelings: dict[str, Words]
    session_outcomes: dict[str, Words]
    item_statuses: dict[str, Words]
    pain_contexts: dict[str, Words]
    settings: dict[str, Words]
    focuses: dict[str, Words]
    screening_outcomes: dict[str, Words]
    screening_groups: dict[str, Words]
    break_counts: dict[str, Words]
    weekdays: dict[str, Words]
    paper_sizes: dict[str, Words]
    player: dict[str, Words]
    doses: dict[str, Words]

    @field_validator("*", mode="after")
    @classmethod
    def _every_id_once(cls, value: object, info: ValidationInfo) -> object:
        expected = IDS.get(info.field_name or "")
        if expected is None or not isinstance(value, dict):
            return value
        unknown = [k for k in value if k not in expected]
        if unknown:
            raise ValueError(f"unknown id {unknown[0]!r}; the ids are: {', '.join(expected)}")
        missing = [k for k in expected if k not in value]
        if missing:
            raise ValueError(f"no words for id {missing[0]!r}; every id needs them: {', '.join(expected)}")
        for k, names in FILLS.get(info.field_name or "", {}).items():
            found = tuple(sorted(set(re.findall(r"\{(\w+)\}", value[k]))))
            if found != tuple(sorted(names)):
                want = ", ".join("{" + n + "}" for n in names) or "no {...}"
                raise ValueError(f"{k!r} must have {want}; it has: {value[k]!r}")
        return {k: value[k] for k in expected}  # in the code's order, so lists show in a stable order

    def word(self, kind: Kind, ident: str) -> str:
        """The words for this id. An id this version does not know (an old stored row) shows as is."""
        return cast(dict[str, str], getattr(self, kind)).get(ident, ident)

    def choices(self, kind: Kind, ids: tuple[str, ...] | None = None) -> dict[str, str]:
        """id -> words for a list of choices, in order (all ids of the kind unless `ids` is given)."""
        table = cast(dict[str, str], getattr(self, kind))
        return {i: table.get(i, i) for i in (ids if ids is not None else tuple(table))}

    def filled(self, kind: Kind, ident: str, **values: object) -> str:
        """The words for this id with its `{...}` places filled in ("Rep {n} of {of}" -> "Rep 2 of 5")."""
        return self.word(kind, ident).format(**values)

    def listing(self, kind: Kind, ids: tuple[str, ...] | list[str]) -> str:
        """'a, b and c' of the words for these ids (for a sentence)."""
        return joined([self.word(kind, i) for i in ids])


def joined(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"

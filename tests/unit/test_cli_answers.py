"""A kept answer is given back only when it was made in the same state and is still whole."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from upright.cli.answers import FORMAT, body_of, entry, wanted

BODY = '[\n  {"id": "chin-tuck", "name": "Chin tuck ✓"}\n]\n'


def test_an_entry_gives_back_its_text_in_its_own_state_only() -> None:
    stored = entry("state-a", BODY)
    assert body_of(stored, "state-a") == BODY
    assert body_of(stored, "state-b") is None  # a file, a setting or the code changed since


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s[: len(s) - 5],  # cut short, as by a full disk
        lambda s: s.replace("Chin tuck", "Chin tick"),  # edited: the checksum no longer matches
        lambda s: s.replace(f"upright-answer {FORMAT} ", "upright-answer 999 "),  # another format
        lambda s: s.partition("\n")[2],  # no header at all
        lambda s: "",
    ],
)
def test_a_damaged_entry_is_a_miss(damage: Callable[[str], str]) -> None:
    assert body_of(damage(entry("state-a", BODY)), "state-a") is None


def test_only_json_is_kept_never_help_or_tables() -> None:
    assert wanted(["exercises", "--json", "--position", "sitting"])
    assert not wanted(["exercises"])  # a table, laid out for the terminal's width
    assert not wanted(["exercises", "--json", "--help"])

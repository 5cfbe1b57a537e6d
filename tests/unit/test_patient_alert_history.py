"""The shortened check-in list the Today page gives the alert rules raises exactly the alerts the
whole history raises (property test over many histories)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from upright.catalog import builtin_vocabulary
from upright.domain.progress import pain_alerts
from upright.services.checkins import alert_history, pain_check_ins

WORDS = builtin_vocabulary()  # the catalog's words (vocabulary.yaml), as the app uses them

T0 = datetime(2026, 1, 5, 8, tzinfo=UTC)


@dataclass(frozen=True)
class Report:
    taken_at: datetime
    score: int
    context: str
    location: str | None
    red_flag: bool


reports = st.lists(
    st.tuples(
        st.integers(1, 72),  # hours after the one before
        st.integers(0, 10),
        st.sampled_from(["check-in", "end", "during"]),
        st.sampled_from([None, "neck", "upper-back", "left-arm", "chest"]),
        st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(reports, st.integers(0, 60))
def test_the_short_list_raises_the_same_alerts(
    raw: list[tuple[int, int, str, str | None, bool]], days: int
) -> None:
    at = T0
    rows = []
    for gap, score, context, location, red in raw:
        at += timedelta(hours=gap)
        rows.append(Report(at, score, context, location, red))
    now = at + timedelta(days=days)
    full = pain_alerts(pain_check_ins(rows), now=now, words=WORDS)
    short = pain_alerts(pain_check_ins(alert_history(rows)), now=now, words=WORDS)
    assert short == full

"""Time zones by IANA name (Europe/Paris): this computer's zone, and checking a name a person typed.

Break schedules need a named zone, not a fixed offset, so that 09:45 stays 09:45 on both sides of a
daylight saving change. Used by the break services and the iCalendar export."""

from __future__ import annotations

import contextlib
import functools
import os
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from upright.errors import InvalidInput

__all__ = ["local_timezone_name", "resolve_timezone"]


def _known(name: str) -> bool:
    return name == "UTC" or name in _names()


@cache
def _names() -> frozenset[str]:
    return frozenset(available_timezones())


def local_timezone_name() -> str:
    """This computer's zone name: the TZ variable when it names a zone, /etc/timezone, or where
    /etc/localtime points; else UTC. Read it through `upright.clock.local_zone()`, the one source
    of "the local zone" for the web app, the CLI and the services (tests replace that one).

    (A person elsewhere sets their zone in the break settings, or passes --tz.) Every web request asks,
    so the answer is kept until TZ or either file changes (two stat calls instead of reading the file
    and following the link each time)."""
    return _zone_name(
        os.environ.get("TZ", ""), _stamp("/etc/timezone", follow=True), _stamp("/etc/localtime")
    )


def _stamp(path: str, *, follow: bool = False) -> tuple[int, int, int] | None:
    """What changes when the file (or the link itself) is replaced or edited."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _zone_name(tz: str, _timezone_file: object, _localtime_link: object) -> str:
    candidates: list[str] = [tz.removeprefix(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name and _known(name):
            return "UTC" if name in ("Etc/UTC", "Etc/Universal", "Universal", "Zulu") else name
    return "UTC"


def resolve_timezone(name: str | None, field: str = "tz") -> ZoneInfo:
    """The zone for a name (empty or None: this computer's zone, from upright.clock); an unknown
    name is an error."""
    chosen = (name or "").strip()
    if not chosen:
        from upright import clock  # here: clock reads the zone's name from this module

        return clock.local_zone()
    if not _known(chosen):
        raise InvalidInput(
            field,
            f"We do not know the time zone {chosen!r}. Use a name like Europe/Paris or America/New_York.",
        )
    try:
        return ZoneInfo(chosen)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - listed but unreadable
        raise InvalidInput(field, f"The time zone {chosen!r} cannot be read on this computer.") from None

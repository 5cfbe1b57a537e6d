"""Errors Upright raises on purpose. Interfaces map them to exit codes or HTTP statuses once.

UprightError                 base of everything below
├── CatalogError             a catalog data file is broken (names the file, field and problem)
├── InvalidInput             a value a person or script gave is out of range or unknown (names the field)
├── NotFound                 an exercise, program, plan or record id that does not exist
├── SafetyStop               screening says no session may start (emergency / seek care now)
├── UnsafeForPatient         a rule excludes this exercise for this person
├── Conflict                 the request clashes with stored state
├── LoginNeeded              clinic mode: no (or an ended) login session
├── NotAllowed               clinic mode: signed in, but this role may not do this
└── TooManyTries             clinic mode: too many failed logins for an account or an address
"""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "Conflict",
    "InvalidInput",
    "LoginNeeded",
    "NotAllowed",
    "NotFound",
    "SafetyStop",
    "TooManyTries",
    "UnsafeForPatient",
    "UprightError",
]


class UprightError(Exception):
    """Base of all errors Upright raises on purpose; the message is meant for a person."""


class CatalogError(UprightError):
    """A catalog data file is broken. `problems` lists (file, field, problem) triples."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        lines = [f"{file}: {field}: {problem}" for file, field, problem in problems]
        super().__init__("The exercise catalog has errors:\n" + "\n".join(lines))


class InvalidInput(UprightError):
    """A value is out of range or unknown. `field` names it, the message says what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NotFound(UprightError):
    """Nothing with this id exists."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(f"No {kind} called {ident!r}.")


class SafetyStop(UprightError):
    """Screening outcome forbids starting a session until a new screening clears it."""

    def __init__(self, outcome: str, reasons: list[str]) -> None:
        self.outcome = outcome
        self.reasons = reasons
        # The reasons are patient sentences; the outcome code stays out of what a person reads.
        super().__init__(
            " ".join(reasons) or "A session cannot start yet. Please answer the safety questions."
        )


class UnsafeForPatient(UprightError):
    """A rule excludes this exercise for this person; the message carries the reason."""


class Conflict(UprightError):
    """The request clashes with what is stored (for example the same id with other content)."""


class LoginNeeded(UprightError):
    """Clinic mode: the request needs a login session and has none (or it ended)."""


class NotAllowed(UprightError):
    """Clinic mode: the caller is signed in but their role may not do this."""


class TooManyTries(UprightError):
    """Clinic mode: logins are paused for this account or address; the message says for how long."""

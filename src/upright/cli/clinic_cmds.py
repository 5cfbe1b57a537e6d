"""`upright clinic init`, `upright users add`, `upright users list` and `upright audit verify`: clinic
mode's accounts from the server's command line. Passwords come from standard input (never an argument:
arguments show in `ps` and in shell history)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from upright import clock
from upright.cli.output import console, exits_on_error, print_json
from upright.errors import Conflict, InvalidInput

if TYPE_CHECKING:
    from upright.store import Database

__all__ = ["clinic_database", "read_password", "register"]

clinic_app = typer.Typer(
    help="Set up clinic mode: the practice's database and its first admin.", no_args_is_help=True
)
users_app = typer.Typer(
    help="Clinic mode accounts: add and list clinicians, patients and admins.", no_args_is_help=True
)
audit_app = typer.Typer(
    help="Clinic mode's audit log of every read and write of a patient's data.", no_args_is_help=True
)


def read_password() -> str:
    """One line from standard input; at a terminal, asked twice without showing it."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise InvalidInput("password", "the two passwords are not the same")
        return first
    line = sys.stdin.readline()
    if not line.strip():
        raise InvalidInput("password", "give the password on standard input, e.g. from a password manager")
    return line.rstrip("\r\n")


def clinic_database() -> Database:
    """The database of a clinic install (InvalidInput when UPRIGHT_MODE is not clinic)."""
    from upright.composition import Upright

    root = Upright()
    if not root.settings.is_clinic:
        raise InvalidInput("UPRIGHT_MODE", "set UPRIGHT_MODE=clinic for clinic accounts")
    return root.open_database()


def register(app: typer.Typer) -> None:
    app.add_typer(clinic_app, name="clinic")
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")

    @clinic_app.command("init")
    @exits_on_error
    def init(
        admin: str = typer.Option(..., "--admin", help="The first admin's email."),
        name: str = typer.Option("", "--name", help="The admin's name."),
    ) -> None:
        """Make the practice's database and its first admin (password from standard input)."""
        from sqlalchemy import select

        from upright.services.accounts import add_user
        from upright.store.accounts import UserRow
        from upright.store.repositories import find_person

        password = read_password()
        db = clinic_database()
        try:
            with db.transaction() as s:
                if find_person(s, "local") is not None:
                    raise Conflict(
                        "This database holds personal-mode data. Use a new, empty database for the practice."
                    )
                if s.scalar(select(UserRow.id).where(UserRow.role == "admin").limit(1)) is not None:
                    raise Conflict("This practice has an admin already. Add more with `upright users add`.")
                row = add_user(s, email=admin, name=name, role="admin", password=password, now=clock.now())
                email = row.email
        finally:
            db.dispose()
        console.print(f"The practice is ready. Admin: {email}. Start it with UPRIGHT_MODE=clinic upright serve.",
                      highlight=False, soft_wrap=True)  # fmt: skip

    @users_app.command("add")
    @exits_on_error
    def add(
        role: str = typer.Option(..., "--role", help="clinician, patient or admin."),
        email: str = typer.Option(..., "--email", help="Their email (they log in with it)."),
        clinician: str | None = typer.Option(None, "--clinician", help="A patient's clinician (email)."),
        name: str = typer.Option("", "--name", help="Their name."),
    ) -> None:
        """Add a clinician, patient or admin (password from standard input)."""
        from upright.services.accounts import add_user

        password = read_password()
        db = clinic_database()
        try:
            with db.transaction() as s:
                row = add_user(s, email=email, name=name, role=role, password=password,
                               clinician_email=clinician, now=clock.now())  # fmt: skip
                text = f"Added {row.email} ({row.role})."
        finally:
            db.dispose()
        console.print(text, highlight=False, soft_wrap=True)

    @users_app.command("list")
    @exits_on_error
    def list_accounts(as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
        """List every account with its role and state."""
        from upright.services.accounts import list_users

        db = clinic_database()
        try:
            with db.transaction() as s:
                rows = [
                    {"id": u.id, "email": u.email, "name": u.name, "role": u.role,
                     "disabled": u.is_disabled, "enrolled": u.password_hash is not None, "demo": u.is_demo}
                    for u in list_users(s)
                ]  # fmt: skip
        finally:
            db.dispose()
        if as_json:
            print_json(rows)
            return
        for r in rows:
            state = "disabled" if r["disabled"] else ("active" if r["enrolled"] else "not started")
            console.print(f"{r['role']:<10} {r['email']:<40} {state}", highlight=False)

    @audit_app.command("verify")
    @exits_on_error
    def verify() -> None:
        """Check the audit log's hash chain: no row changed, removed or slipped in."""
        from upright.composition import Upright
        from upright.services.audit import verify as check

        db = Upright().open_database()
        try:
            with db.transaction() as s:
                count, broken = check(s)
        finally:
            db.dispose()
        if broken is not None:
            raise Conflict(f"The audit log is broken at row {broken.row_id}: {broken.reason}.")
        console.print(f"The audit log is whole: {count} rows, none changed or removed.", highlight=False)

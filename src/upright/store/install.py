"""Per-install secrets: the form token (CSRF), the calendar feed token and, for remote access, the
hash of the access code. One row per name; values are made once and kept, so a form opened before a
restart still works after it. Created by migration 0004_trust. Queries flush, never commit.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from upright.store.tables import Base

__all__ = ["InstallSecretRow", "get_secret", "set_secret"]


class InstallSecretRow(Base):
    """A named secret of this install (not of a person: it survives "delete all my data")."""

    __tablename__ = "install_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


def get_secret(s: Session, name: str) -> str | None:
    row = s.get(InstallSecretRow, name)
    return row.value if row else None


def set_secret(s: Session, name: str, value: str) -> None:
    row = s.get(InstallSecretRow, name)
    if row is None:
        s.add(InstallSecretRow(name=name, value=value))
    else:
        row.value = value
    s.flush()

"""The audit log: who read or changed which patient's data, when. Append-only and hash-chained: each
row's hash covers its own values and the hash before it, so a changed or deleted row breaks the chain
(`upright audit verify`). `audit_head` is one row holding the newest hash; appending locks it, so two
server processes never chain onto the same row. Created by 0006_clinic_accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from upright.store.tables import Base

__all__ = ["GENESIS", "AuditHeadRow", "AuditRow"]

GENESIS = "0" * 64  # the hash before the first row


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    # No foreign keys to users: a row outlives the account it names (append-only means never changed).
    actor_id: Mapped[int | None] = mapped_column(Integer, default=None)  # None: a command on the server
    actor_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(8))  # "read" or "write"
    what: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)  # users.id
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHeadRow(Base):
    """One row (id 1): the newest row's id and hash. Locked while appending."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)

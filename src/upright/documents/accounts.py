"""Signing in to clinic mode (POST /api/auth/login, GET /api/auth/me): who logs in, and who is signed in."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AccountOut", "LoginIn", "LoginOut"]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    totp: str | None = Field(
        None, max_length=10, description="Clinicians with a second factor: the 6-digit code"
    )


class AccountOut(BaseModel):
    id: int
    email: str
    name: str
    role: str


class LoginOut(AccountOut):
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header on every change")

"""Settings from the environment (prefix UPRIGHT_). Read once; pass values down, never read os.environ elsewhere
(upright/environment.py is where the variables are read: light enough for the command line's first step).

A plain Pydantic model that merges UPRIGHT_* variables under the values given to it (the same rule
as pydantic-settings' BaseSettings, which costs a command about 0.1 s of imports at every start)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr, model_validator

from upright.environment import ENV_PREFIX, cache_folder, folder_list, upright_variables

__all__ = ["ENV_PREFIX", "Settings", "get_settings"]


def _default_database_url() -> str:
    """The database in the user's data folder, which is made (or tightened) 0700 here: only the
    default folder is ever made; a folder named in UPRIGHT_DATABASE_URL must exist already."""
    from platformdirs import user_data_path

    from upright.files import private_folder

    data_dir = user_data_path("upright", appauthor=False)
    private_folder(data_dir)
    return f"sqlite:///{data_dir / 'upright.db'}"


class Settings(BaseModel):
    """Every setting Upright reads. The README lists them. Values passed in win over the environment."""

    model_config = ConfigDict(extra="ignore")

    database_url: str = ""
    catalog_dirs: str = ""  # extra catalog folders, separated by the OS path separator (":" on Linux)
    host: str = "127.0.0.1"
    port: int = 8000
    # personal (one local person, loopback only, no accounts) or clinic (accounts everywhere; beyond
    # loopback only behind TLS). Exact values only: "Personal" or "clinc" is an error at start, never
    # a way around the loopback guard.
    mode: Literal["personal", "clinic"] = "personal"
    behind_tls: bool = False  # clinic mode: a TLS proxy in front; lets it listen beyond loopback
    public_url: str = ""  # clinic mode: the address patients use (https://upright.example.org), for QR codes
    allow_remote: bool = False  # personal mode refuses non-loopback addresses unless this is set
    country: str = ""  # two letters (GB, US, DE); picks the emergency number. Empty: from the locale
    emergency_number: str = ""  # overrides the country's number when set

    @property
    def effective_emergency_number(self) -> str:
        """The number every emergency message names: the setting, else the country's (else the locale's)."""
        import os

        from upright.domain.emergency import country_from_locale, emergency_number

        if self.emergency_number.strip():
            return self.emergency_number.strip()
        locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
        return emergency_number(self.country or country_from_locale(locale))

    access_code: SecretStr | None = None  # remote access: the code to log in with (stored hashed)
    allowed_hosts: str = ""  # extra host names browsers may use (comma-separated), e.g. for remote access

    @model_validator(mode="before")
    @classmethod
    def _environment_under_arguments(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {**upright_variables(), **data}

    @property
    def effective_database_url(self) -> str:
        return self.database_url or _default_database_url()

    @property
    def is_clinic(self) -> bool:
        return self.mode == "clinic"

    def check_mode(self) -> None:
        """The mode is one Upright knows (pydantic already refused any other value); kept as the one
        place a start checks its mode, for modes that need more than their name."""
        if self.mode not in ("personal", "clinic"):  # pragma: no cover - Literal refuses it first
            from upright.errors import InvalidInput

            raise InvalidInput("UPRIGHT_MODE", f"{self.mode} is not a mode; use personal or clinic")

    @property
    def extra_hosts(self) -> list[str]:
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]

    @property
    def catalog_cache_file(self) -> Path:
        """Parsed catalog files by content hash (catalog/cache.py); safe to delete at any time."""
        return cache_folder() / "catalog.json"

    @property
    def extra_catalog_dirs(self) -> list[Path]:
        return folder_list(self.catalog_dirs)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

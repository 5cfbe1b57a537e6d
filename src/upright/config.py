"""Settings from the environment (prefix UPRIGHT_). Read once; pass values down, never read os.environ elsewhere."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


def _default_database_url() -> str:
    data_dir = user_data_path("upright", appauthor=False)
    return f"sqlite:///{data_dir / 'upright.db'}"


class Settings(BaseSettings):
    """Every setting Upright reads. The README lists them."""

    model_config = SettingsConfigDict(env_prefix="UPRIGHT_", extra="ignore")

    database_url: str = ""
    catalog_dirs: str = ""  # extra catalog folders, separated by the OS path separator (":" on Linux)
    host: str = "127.0.0.1"
    port: int = 8000
    mode: str = "personal"  # personal (one local person, loopback only) or clinic (later)
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

    @property
    def effective_database_url(self) -> str:
        return self.database_url or _default_database_url()

    @property
    def extra_catalog_dirs(self) -> list[Path]:
        import os

        return [Path(p) for p in self.catalog_dirs.split(os.pathsep) if p.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""Settings from the environment (prefix UPRIGHT_). Read once; pass values down, never read os.environ elsewhere."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_cache_path, user_data_path
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

    @property
    def effective_database_url(self) -> str:
        return self.database_url or _default_database_url()

    @property
    def catalog_cache_file(self) -> Path:
        """Parsed catalog files by content hash (catalog/cache.py); safe to delete at any time."""
        return user_cache_path("upright", appauthor=False) / "catalog.json"

    @property
    def extra_catalog_dirs(self) -> list[Path]:
        import os

        return [Path(p) for p in self.catalog_dirs.split(os.pathsep) if p.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

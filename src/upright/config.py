"""Settings from the environment (prefix UPRIGHT_). Read once; pass values down, never read os.environ elsewhere."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


def _default_database_url() -> str:
    """The database in the user's data folder, which is made (or tightened) 0700 here: only the
    default folder is ever made; a folder named in UPRIGHT_DATABASE_URL must exist already."""
    from upright.files import private_folder

    data_dir = user_data_path("upright", appauthor=False)
    private_folder(data_dir)
    return f"sqlite:///{data_dir / 'upright.db'}"


class Settings(BaseSettings):
    """Every setting Upright reads. The README lists them."""

    model_config = SettingsConfigDict(env_prefix="UPRIGHT_", extra="ignore")

    database_url: str = ""
    catalog_dirs: str = ""  # extra catalog folders, separated by the OS path separator (":" on Linux)
    host: str = "127.0.0.1"
    port: int = 8000
    # personal (one local person, loopback only) or clinic (not built yet: refused at start). Exact
    # values only: "Personal" or "clinc" is an error at start, never a way around the loopback guard.
    mode: Literal["personal", "clinic"] = "personal"
    allow_remote: bool = False  # personal mode refuses non-loopback addresses unless this is set
    access_code: SecretStr | None = None  # remote access: the code to log in with (stored hashed)
    allowed_hosts: str = ""  # extra host names browsers may use (comma-separated), e.g. for remote access

    @property
    def effective_database_url(self) -> str:
        return self.database_url or _default_database_url()

    def check_mode(self) -> None:
        """Only personal mode is built; anything else stops the start with a sentence."""
        if self.mode != "personal":
            from upright.errors import InvalidInput

            raise InvalidInput(
                "UPRIGHT_MODE", f"{self.mode} mode is not built yet; use personal (the default)"
            )

    @property
    def extra_hosts(self) -> list[str]:
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]

    @property
    def extra_catalog_dirs(self) -> list[Path]:
        import os

        return [Path(p) for p in self.catalog_dirs.split(os.pathsep) if p.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""One Jinja2 environment for every page, with the filters pages share."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from upright.domain.wording import dose_text

__all__ = ["templates"]

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.filters["dose_text"] = dose_text
templates.env.globals["app_name"] = "Upright"

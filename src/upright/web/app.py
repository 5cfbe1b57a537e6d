"""Build the FastAPI app. Routers live in web/api/ and web/pages/; each module exposes `router`."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from upright.catalog import Catalog, load_catalog
from upright.config import Settings, get_settings
from upright.services.access import install_secrets
from upright.services.safety_words import use_emergency_number
from upright.store import open_database
from upright.web.errors import install_error_handlers
from upright.web.remote import LoginMiddleware
from upright.web.security import TrustMiddleware, allowed_host_names, is_loopback
from upright.web.static_files import STATIC_DIR, VersionedStaticFiles

__all__ = ["CLINIC_ROUTER_MODULES", "ROUTER_MODULES", "create_app", "load_secrets"]

# Add a line here when a new router module arrives. Pages before API keeps /docs tidy.
ROUTER_MODULES = (
    "upright.web.pages.handouts",  # before catalog: /programs/{id}/print must not fall to /programs/{id}
    "upright.web.pages.figures",  # before catalog: /exercises/figures must not fall to /exercises/{id}
    "upright.web.pages.catalog",
    "upright.web.pages.docs",
    "upright.web.pages.breaks",
    "upright.web.pages.onboarding",
    "upright.web.pages.today",
    "upright.web.pages.session",
    "upright.web.pages.progress",
    "upright.web.pages.settings",
    "upright.web.pages.login",
    "upright.web.pages.my_data",
    "upright.web.api.catalog",
    "upright.web.api.me",
    "upright.web.api.engine",
    "upright.web.api.breaks",
)
# Only in clinic mode (accounts). Each route needs a rule in web/access_rules.py.
CLINIC_ROUTER_MODULES = (
    "upright.web.pages.clinic_login",
    "upright.web.pages.account",
    "upright.web.pages.enrol",
    "upright.web.pages.clinic_patients",
    "upright.web.pages.admin",
    "upright.web.api.auth",
    "upright.web.api.clinic",
    "upright.web.api.clinic_care",
    "upright.web.pages.clinic_panel",
)
PERSONAL_ONLY_MODULES = frozenset({"upright.web.pages.login"})  # the access-code /login


WORKER_THREADS = 8  # for sync endpoints; more threads only fight over the one interpreter (bench/README.md)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield
    app.state.db.dispose()


def create_app(settings: Settings | None = None, *, catalog: Catalog | None = None) -> FastAPI:
    """The app for these settings. Loading the catalog here makes a broken data file stop the start."""
    settings = settings or get_settings()
    settings.check_mode()
    app = FastAPI(
        title="Upright",
        summary="Upper back and neck exercise programs: catalog, screening, plans, sessions, tracking.",
        version="0.1.0",
        docs_url=None,  # served by web/pages/docs.py with local assets (no CDN)
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    use_emergency_number(settings.effective_emergency_number)  # named in every emergency message
    app.state.catalog = catalog or load_catalog(
        settings.extra_catalog_dirs, cache_file=settings.catalog_cache_file
    )
    app.state.db = open_database(
        settings.effective_database_url
    )  # applies migrations; a failure stops the start
    app.router.redirect_slashes = False  # its redirects are absolute URLs built from the request's Host
    app.state.allowed_hosts = allowed_host_names(settings.host, settings.extra_hosts)
    app.state.listen_port = None  # `upright serve` sets it; then the Host must carry this port
    app.state.needs_login = (
        settings.allow_remote and not is_loopback(settings.host) and not settings.is_clinic
    )
    load_secrets(app)
    install_error_handlers(app)
    # Pages, JSON, CSS, JS and SVG shrink 4-10x; the player page stays small on a phone. PDFs are compressed already.
    app.add_middleware(
        GZipMiddleware, minimum_size=1000, exclude_content_types=("text/event-stream", "application/pdf")
    )
    if settings.is_clinic:
        from upright.web.clinic_gate import ClinicGate

        app.add_middleware(ClinicGate)  # accounts and roles (web/access_rules.py)
    elif app.state.needs_login:
        app.add_middleware(LoginMiddleware)
    app.add_middleware(TrustMiddleware)  # added last: runs first (Host check before anything else)
    app.mount("/static", VersionedStaticFiles(directory=STATIC_DIR), name="static")
    modules = (
        [m for m in ROUTER_MODULES if m not in PERSONAL_ONLY_MODULES] + list(CLINIC_ROUTER_MODULES)
        if settings.is_clinic
        else ROUTER_MODULES
    )
    for name in modules:
        app.include_router(importlib.import_module(name).router)
    return app


def load_secrets(app: FastAPI) -> None:
    """This install's form token, calendar token and login key onto app.state (again after a new
    access code: `upright serve` sets one after the app is made)."""
    with app.state.db.transaction() as s:
        secrets = install_secrets(s)
    app.state.csrf_token = secrets.csrf_token
    app.state.calendar_token = secrets.calendar_token
    app.state.login_key = secrets.login_key

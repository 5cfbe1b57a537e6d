"""Build the FastAPI app. Routers live in web/api/ and web/pages/; each module exposes `router`."""

from __future__ import annotations

import functools
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from fastapi.middleware.gzip import GZipMiddleware

import upright
from upright.catalog import Catalog
from upright.composition import Upright
from upright.config import Settings
from upright.services.access import install_secrets
from upright.web.api import auth as auth_api
from upright.web.api import breaks as breaks_api
from upright.web.api import catalog as catalog_api
from upright.web.api import clinic as clinic_api
from upright.web.api import clinic_care as clinic_care_api
from upright.web.api import engine as engine_api
from upright.web.api import me as me_api
from upright.web.checkpoints import checkpoints_beside_requests
from upright.web.errors import install_error_handlers
from upright.web.pages import account as account_page
from upright.web.pages import admin as admin_pages
from upright.web.pages import breaks as breaks_page
from upright.web.pages import catalog as catalog_pages
from upright.web.pages import clinic_login as clinic_login_page
from upright.web.pages import clinic_panel as clinic_panel_page
from upright.web.pages import clinic_patients as clinic_patients_pages
from upright.web.pages import docs as docs_page
from upright.web.pages import enrol as enrol_page
from upright.web.pages import figures as figures_pages
from upright.web.pages import handouts as handouts_pages
from upright.web.pages import login as login_page
from upright.web.pages import my_data as my_data_page
from upright.web.pages import onboarding as onboarding_pages
from upright.web.pages import progress as progress_page
from upright.web.pages import session as session_pages
from upright.web.pages import settings as settings_page
from upright.web.pages import today as today_page
from upright.web.remote import LoginMiddleware
from upright.web.security import TrustMiddleware, allowed_host_names, is_loopback
from upright.web.static_files import STATIC_DIR, VersionedStaticFiles

__all__ = ["CLINIC_ROUTERS", "ROUTERS", "create_app", "load_secrets"]

# Add a line here when a new router module arrives. The API routers' order is the order of /docs.
# The routes nearly every request goes to come first (Today; the player page, its script and its
# result POST in me_api): FastAPI tries each router in turn (a few hundredths of a millisecond each
# on every request), and none of these fixed paths is shadowed by a route after it. catalog_api comes
# along so that the API routers keep their order (the OpenAPI document stays the same).
ROUTERS: tuple[APIRouter, ...] = (
    today_page.router,
    session_pages.router,
    catalog_api.router,
    me_api.router,
    handouts_pages.router,  # before catalog: /programs/{id}/print must not fall to /programs/{id}
    figures_pages.router,  # before catalog: /exercises/figures must not fall to /exercises/{id}
    catalog_pages.router,
    docs_page.router,
    breaks_page.router,
    onboarding_pages.router,
    progress_page.router,
    settings_page.router,
    login_page.router,
    my_data_page.router,
    engine_api.router,
    breaks_api.router,
)
# Only in clinic mode (accounts). Each route needs a rule in web/access_rules.py.
CLINIC_ROUTERS: tuple[APIRouter, ...] = (
    clinic_login_page.router,
    account_page.router,
    enrol_page.router,
    clinic_patients_pages.router,
    admin_pages.router,
    auth_api.router,
    clinic_api.router,
    clinic_care_api.router,
    clinic_panel_page.router,
)
PERSONAL_ONLY_ROUTERS: tuple[APIRouter, ...] = (login_page.router,)  # the access-code /login


WORKER_THREADS = 8  # for sync endpoints; more threads only fight over the one interpreter (bench/README.md)


@functools.cache  # once per process (tests start many apps in one process)
def _freeze_start_up_objects() -> None:
    """Leave everything made at start-up (the catalog, templates, SQLAlchemy's and FastAPI's objects:
    ~200,000) out of Python's cyclic garbage collector. Its full collections walked all of them every
    few thousand requests, ~100 ms during which no request was answered: the rare slow answer at 50
    clients (bench/README.md, fourth round: full collections of 102-134 ms before, 5-8 ms after).
    What is frozen stays in memory for good, which it would anyway; garbage is collected first."""
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    _freeze_start_up_objects()
    async with checkpoints_beside_requests(app):
        yield
    app.state.db.dispose()


def create_app(settings: Settings | None = None, *, catalog: Catalog | None = None) -> FastAPI:
    """The app for these settings (default: the UPRIGHT_* variables), made by the composition root
    (upright/composition.py) like every command. A broken data file or database stops the start."""
    root = Upright(settings, catalog=catalog)
    settings = root.settings
    settings.check_mode()
    app = FastAPI(
        title="Upright",
        summary="Upper back and neck exercise programs: catalog, screening, plans, sessions, tracking.",
        version=upright.__version__,
        docs_url=None,  # served by web/pages/docs.py with local assets (no CDN)
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.catalog = root.catalog  # checked here: a broken data file stops the start
    app.state.db = root.open_database()  # applies migrations; a failure stops the start
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
    routers = (
        [r for r in ROUTERS if r not in PERSONAL_ONLY_ROUTERS] + list(CLINIC_ROUTERS)
        if settings.is_clinic
        else ROUTERS
    )
    for router in routers:
        app.include_router(router)
    return app


def load_secrets(app: FastAPI) -> None:
    """This install's form token, calendar token and login key onto app.state (again after a new
    access code: `upright serve` sets one after the app is made)."""
    with app.state.db.transaction() as s:
        secrets = install_secrets(s)
    app.state.csrf_token = secrets.csrf_token
    app.state.calendar_token = secrets.calendar_token
    app.state.login_key = secrets.login_key

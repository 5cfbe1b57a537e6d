"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright. No browser download, ever."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# A busy two-core CI machine can take longer than Playwright's 5 s default to load a page after a
# form post; waiting longer changes no outcome, it only stops a slow machine from failing a test.
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1024, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page that fails the test on any request leaving 127.0.0.1 (no CDN, nothing phones home)."""
    pg = context.new_page()
    outside: list[str] = []

    def _check(request: object) -> None:
        url = getattr(request, "url", "")
        if not (
            url.startswith("http://127.0.0.1")
            or url.startswith("data:")
            or url.startswith("blob:")
            or url.startswith("about:")
        ):
            outside.append(url)

    pg.on("request", _check)
    pg.outside_requests = outside  # type: ignore[attr-defined]
    return pg


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A 360 px wide phone-sized page."""
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield ctx.new_page()
    ctx.close()

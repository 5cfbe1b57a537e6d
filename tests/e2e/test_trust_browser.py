"""Issue 11 in real Chromium: a page on another name that resolves to 127.0.0.1 (DNS rebinding) cannot
read or delete the data, and a form on another site (a second loopback server with another host name)
cannot delete data or store a pain score. Chromium maps the made-up names to 127.0.0.1 itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Playwright

from tests.conftest import LiveServer
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.patient_helpers import onboard
from upright.catalog import Catalog

pytestmark = pytest.mark.browser

RESOLVE = "--host-resolver-rules=MAP evil.test 127.0.0.1, MAP attacker.test 127.0.0.1"


@pytest.fixture
def rebinding_browser(playwright_instance: Playwright) -> Iterator[Browser]:
    b = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, RESOLVE]
    )
    yield b
    b.close()


@pytest.fixture
def ready(live_server: LiveServer, catalog: Catalog) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url) as direct:
        onboard(direct, catalog)  # type: ignore[arg-type]
        yield direct


def _still_there(direct: httpx.Client) -> None:
    assert direct.get("/api/me/plan").status_code == 200
    assert direct.get("/api/me/progress").json()["pain"] == []


def test_a_rebinding_page_can_neither_read_nor_delete(
    rebinding_browser: Browser, live_server: LiveServer, ready: httpx.Client
) -> None:
    page = rebinding_browser.new_page()
    answer = page.goto(f"http://evil.test:{live_server.port}/today")
    assert answer is not None and answer.status == 400
    # The page is now same-origin with "evil.test:port", which reaches Upright's socket.
    got = page.evaluate("fetch('/api/me/export').then(r => r.status)")
    deleted = page.evaluate("fetch('/api/me', {method: 'DELETE'}).then(r => r.status)")
    assert (got, deleted) == (400, 400)
    _still_there(ready)
    page.close()


class _AttackerPage(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:
        body = f"""<!doctype html><title>Win a prize</title>
<form id="del" method="post" action="{self.target}/settings/delete">
  <input name="confirm" value="yes"><button id="go-delete">Delete</button></form>
<form id="pain" method="post" action="{self.target}/checkin">
  <input name="pain" value="9"><button id="go-pain">Pain</button></form>""".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def attacker(live_server: LiveServer) -> Iterator[str]:
    handler = type("Handler", (_AttackerPage,), {"target": live_server.url})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://attacker.test:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _like_an_older_browser(route: Any) -> None:
    """Older browsers send no Sec-Fetch-Site: then the Origin check and the form token must hold.
    Chromium always adds it, so the browser's own request (its Origin, Referer and body) is passed on
    here without the Sec-Fetch-* headers, and Upright's answer goes back to the page."""
    request = route.request
    headers = {k: v for k, v in request.all_headers().items() if not k.lower().startswith(("sec-fetch", ":"))}
    answer = httpx.request(request.method, request.url, headers=headers, content=request.post_data_buffer)
    route.fulfill(status=answer.status_code, headers=dict(answer.headers), body=answer.content)


@pytest.mark.parametrize("older", [False, True], ids=["chromium", "without-sec-fetch"])
@pytest.mark.parametrize("button", ["#go-delete", "#go-pain"])
def test_a_form_on_another_site_changes_nothing(
    rebinding_browser: Browser, attacker: str, ready: httpx.Client, button: str, older: bool
) -> None:
    page = rebinding_browser.new_page()
    if older:
        page.route("http://127.0.0.1:*/**", _like_an_older_browser)
    page.goto(attacker)
    with page.expect_navigation() as nav:
        page.click(button)
    response = nav.value
    assert response is not None and response.status == 403
    _still_there(ready)
    page.close()

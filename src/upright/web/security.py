"""Who may talk to Upright, and the headers on every answer. One pure ASGI middleware, outermost of ours.

Upright runs on the person's own computer, so a web page on another site is the main danger:
- **Host check (DNS rebinding).** A site whose name re-resolves to 127.0.0.1 would be same-origin with
  Upright. Only the names Upright listens as are accepted (loopback names, `--host`, UPRIGHT_ALLOWED_HOSTS,
  with the port when it is known); anything else gets 400 before any handler runs.
- **Cross-site writes.** On every state-changing request a browser's `Sec-Fetch-Site` must say
  same-origin, `Origin` (or `Referer` when there is no Origin) must be this server, and every HTML form
  carries the per-install token (`csrf_field()` in templates; the field is checked here, once).
  Scripts and the CLI send none of these headers and are allowed; they cannot post a form without the token.
- **Body size.** A body over MAX_BODY_BYTES gets 413 before anything parses it.
- **Headers.** CSP and friends on every answer, 500s included (`security_headers()` is also used by
  the 500 handler), and `Cache-Control: no-store` on everything but static files: pages hold health data.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSP",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "LOOPBACK_NAMES",
    "MAX_BODY_BYTES",
    "SESSION_COOKIE",
    "TrustMiddleware",
    "allowed_host_names",
    "csrf_token_for",
    "is_loopback",
    "security_headers",
    "session_csrf",
]

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; media-src 'self'; font-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"  # clinic mode: JSON writes with a login cookie carry the session's token
SESSION_COOKIE = "upright_session"  # clinic mode's login session (web/clinic_gate.py)
NO_HEADER_TOKEN = frozenset({"/api/auth/login"})  # a login with an old cookie still works
MAX_BODY_BYTES = 1_000_000  # 1 MB: a session result is a few kB; nothing Upright takes comes near it
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
STATIC_PREFIX = "/static/"

_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    # same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on our own form
    # posts, and the Origin check below could not tell them from a sandboxed attacker page.
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("X-Frame-Options", "DENY"),
)


def is_loopback(host: str) -> bool:
    """Is this address (or name) only reachable from this computer?"""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_host_names(listen_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a browser may use to reach Upright: loopback, the address it listens on, and extras.
    A wildcard listen address (0.0.0.0, ::) names no host; such setups list their names in `extra`."""
    names = set(LOOPBACK_NAMES)
    if listen_host not in ("0.0.0.0", "::", ""):
        names.add(listen_host.strip("[]").lower())
    names.update(n.strip().strip("[]").lower() for n in extra if n.strip())
    return frozenset(names)


def security_headers(path: str) -> list[tuple[str, str]]:
    """The headers every answer carries (the 500 handler uses this too)."""
    out = list(_HEADERS)
    if not path.startswith(STATIC_PREFIX):
        out.append(("Cache-Control", "no-store"))
    return out


def _split_host(value: str) -> tuple[str, int | None] | None:
    """`name[:port]` or `[v6][:port]` -> (lower-case name, port); None when it is not a host."""
    try:
        parts = urlsplit("//" + value)
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not name or parts.path or parts.query or parts.username is not None:
        return None
    return name.lower(), port


def _host_ok(value: str | None, names: frozenset[str], port: int | None) -> bool:
    if not value:
        return False
    split = _split_host(value)
    if split is None:
        return False
    name, given_port = split
    return name in names and (port is None or given_port in (None, port))


def _origin_ok(headers: Headers, host: str) -> bool:
    """A browser's request for a change must come from one of our own pages."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc.lower() == host.lower()
    referer = headers.get("referer")
    if referer is not None:
        return urlsplit(referer).netloc.lower() == host.lower()
    return True


def _problem(scope: Scope, status: int, error: str, message: str) -> Response:
    path: str = scope.get("path", "")
    headers = dict(security_headers(path))
    if path.startswith("/api"):
        return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)
    return PlainTextResponse(message, status_code=status, headers=headers)


def session_csrf(install_token: str, cookie: str) -> str:
    """Clinic mode: the form and header token of one login session. Derived from the install's token
    and the session cookie, so checking it needs no lookup, and it is useless with another cookie."""
    return hmac.new(install_token.encode(), b"csrf:" + cookie.encode(), hashlib.sha256).hexdigest()


def csrf_token_for(scope: Scope) -> str:
    """The token this request's forms must carry: the install's (personal mode, and clinic pages
    before login), or the login session's (clinic mode with a session cookie)."""
    state: Any = scope["app"].state
    if state.settings.is_clinic:
        cookie = cookie_parser(Headers(scope=scope).get("cookie", "")).get(SESSION_COOKIE)
        if cookie:
            return session_csrf(state.csrf_token, cookie)
    token: str = state.csrf_token
    return token


def _tokens_equal(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


async def _form_token(scope: Scope, body: bytes, content_type: str) -> str | None:
    if content_type.startswith("application/x-www-form-urlencoded"):
        try:
            pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        except ValueError:
            return None
        return next((v for k, v in pairs if k == CSRF_FIELD), None)

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, replay).form()
    except Exception:  # a broken multipart body: no token can be read from it
        return None
    token = form.get(CSRF_FIELD)
    await form.close()
    return token if isinstance(token, str) else None


class TrustMiddleware:
    """See the module docstring. Reads `app.state.allowed_hosts`, `.listen_port` and `.csrf_token`
    from the app (set by create_app and `upright serve`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: Any = scope["app"].state
        headers = Headers(scope=scope)
        host = headers.get("host")
        if not _host_ok(host, state.allowed_hosts, getattr(state, "listen_port", None)):
            await _problem(
                scope, 400, "BadHost", "Upright answers only at the address it runs on, like 127.0.0.1."
            )(scope, receive, send)
            return
        assert host is not None
        path: str = scope.get("path", "")
        send = _with_headers(send, security_headers(path))
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        if not _origin_ok(headers, host):
            await _problem(scope, 403, "CrossSite", "This change must come from Upright's own pages.")(
                scope, receive, send
            )
            return
        body = await _read_body(headers, receive)
        if body is None:
            await _problem(
                scope, 413, "TooLarge", f"The request is too large: at most {MAX_BODY_BYTES:,} bytes."
            )(scope, receive, send)
            return
        content_type = headers.get("content-type", "").lower()
        expected = csrf_token_for(scope)
        if content_type.startswith(FORM_TYPES):
            token = await _form_token(scope, body, content_type)
            if not _tokens_equal(token, expected):
                await _problem(
                    scope,
                    403,
                    "FormExpired",
                    "This form is out of date or did not come from Upright. Go back, reload the page "
                    "and try again.",
                )(scope, receive, send)
                return
        elif _needs_header_token(scope, headers) and not _tokens_equal(headers.get(CSRF_HEADER), expected):
            await _problem(
                scope,
                403,
                "TokenMissing",
                "Send the X-CSRF-Token header with the csrf_token that logging in gave you.",
            )(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _needs_header_token(scope: Scope, headers: Headers) -> bool:
    """Clinic mode: a change through the JSON API with a login cookie needs the session's token in a
    header (a script gets it from POST /api/auth/login; our pages' forms carry it as a field)."""
    if not scope["app"].state.settings.is_clinic or scope.get("path") in NO_HEADER_TOKEN:
        return False
    return SESSION_COOKIE in cookie_parser(headers.get("cookie", ""))


async def _read_body(headers: Headers, receive: Receive) -> bytes | None:
    """The whole body, or None when it is over the limit (by its stated length or as it arrives)."""
    stated = headers.get("content-length")
    if stated is not None and stated.isdigit() and int(stated) > MAX_BODY_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return again


def _with_headers(send: Send, extra: list[tuple[str, str]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in extra:
                if name not in headers:
                    headers[name] = value
        await send(message)

    return sending

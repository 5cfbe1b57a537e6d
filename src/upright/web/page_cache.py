"""Rendered pages kept in one server process, and the validator (ETag / 304) that goes with them.

A key must name everything the page is made from, so that a change anywhere makes it miss: the
person's data revision (people.revision, changed by the database with every write, from any process),
their local date, their time zone. What the clock alone changes within a day (a break coming due, an
alert) is checked on every hit by the page's own `clock` (pure, no database): a different answer
renders the page again. Each process has its own cache; nothing in it needs the others.

The ETag is a hash of the page's bytes, so every process gives the same tag for the same page and a
browser's revalidation gets its 304 from whichever process answers."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["CachedPage", "PageCache", "etag_of", "page_response"]

Inputs = TypeVar("Inputs")


@dataclass(frozen=True)
class CachedPage(Generic[Inputs]):
    body: bytes
    etag: str
    inputs: Inputs  # what `clock` needs to tell whether the page still holds at a later time
    clock: Hashable  # the time-dependent parts of the page when it was rendered


def etag_of(body: bytes) -> str:
    # Weak: gzip changes the bytes on the wire, not the page.
    return f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


class PageCache(Generic[Inputs]):
    """A small least-recently-used map, safe across the worker threads of one process."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._pages: OrderedDict[Hashable, CachedPage[Inputs]] = OrderedDict()
        self._lock = threading.Lock()
        self._renders: dict[Hashable, asyncio.Future[tuple[CachedPage[Inputs], bool]]] = {}

    def get(self, key: Hashable, clock: Callable[[Inputs], Hashable]) -> CachedPage[Inputs] | None:
        """The page under `key`, if the clock has changed nothing on it since it was rendered."""
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            self._pages.move_to_end(key)
        return page if clock(page.inputs) == page.clock else None

    async def render(
        self,
        key: Hashable,
        clock: Callable[[Inputs], Hashable],
        render: Callable[[], Awaitable[tuple[CachedPage[Inputs], bool]]],
    ) -> CachedPage[Inputs]:
        """The page under `key` made by `render` (the page, and whether it may be kept), once for all
        the requests that miss on `key` at the same time: the others wait for it, and take it when it
        may be kept and their `clock` finds it unchanged (else each renders its own).

        Why: after a write, the next requests all miss at once. Each rendering the page in its own
        worker thread, N renders fighting over the one interpreter took about N times one render
        each: the rare 100-300 ms answers at 50 clients (bench/README.md, fourth round)."""
        loop = asyncio.get_running_loop()
        pending = self._renders.get(key)
        if pending is not None and pending.get_loop() is loop:
            await asyncio.wait((pending,))  # never raises the render's error: that was its request's
            if not pending.cancelled():
                page, keep = pending.result()
                if keep and clock(page.inputs) == page.clock:
                    return page
        mine: asyncio.Future[tuple[CachedPage[Inputs], bool]] = loop.create_future()
        self._renders[key] = mine
        try:
            page, keep = await render()
        except BaseException:
            mine.cancel()  # the waiters render their own
            raise
        finally:
            if self._renders.get(key) is mine:
                del self._renders[key]
        mine.set_result((page, keep))
        if keep:
            self.put(key, page)
        return page

    def put(self, key: Hashable, page: CachedPage[Inputs]) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _matches(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match", "")
    if wanted.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in wanted.split(","))


def page_response(request: Request, body: bytes, etag: str, *, cache_control: str, **kw: Any) -> Response:
    """The page, or 304 with no body when the browser already has exactly this page."""
    headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Cookie"}
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/html; charset=utf-8", headers=headers, **kw)

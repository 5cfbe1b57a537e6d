"""Running a coroutine from a plain (sync) test."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to its end on a new event loop in a thread of its own. Not `asyncio.run` here: a
    browser test earlier in the same pytest worker may have left Playwright's loop running on this
    thread, and asyncio.run refuses to start while one runs."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coro).result()

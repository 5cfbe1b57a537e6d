"""The page cache: a page comes back only under its own key and while its clock says the same; the
oldest page makes room; the tag depends on the bytes only."""

from __future__ import annotations

import asyncio

from tests.loops import run_coroutine
from upright.web.page_cache import CachedPage, PageCache, etag_of


def page(body: bytes, clock: str = "10:00 not due") -> CachedPage[str]:
    return CachedPage(body, etag_of(body), "inputs", clock)


def test_a_page_comes_back_under_its_key_only_while_its_clock_agrees() -> None:
    cache: PageCache[str] = PageCache()
    cache.put(("person", 1, "rev-a"), page(b"<p>Today</p>"))
    assert cache.get(("person", 1, "rev-a"), lambda inputs: "10:00 not due") is not None
    assert cache.get(("person", 1, "rev-b"), lambda inputs: "10:00 not due") is None  # a write since
    assert cache.get(("person", 1, "rev-a"), lambda inputs: "10:30 due") is None  # a break came due


def test_the_least_recently_used_page_makes_room() -> None:
    cache: PageCache[str] = PageCache(size=2)
    cache.put("a", page(b"a"))
    cache.put("b", page(b"b"))
    assert cache.get("a", lambda _: "10:00 not due") is not None  # a is used again
    cache.put("c", page(b"c"))
    assert cache.get("b", lambda _: "10:00 not due") is None
    assert cache.get("a", lambda _: "10:00 not due") is not None


def test_the_tag_is_weak_and_names_the_bytes() -> None:
    assert etag_of(b"same") == etag_of(b"same") != etag_of(b"other")
    assert etag_of(b"same").startswith('W/"')


def renders_at_once(cache: PageCache[str], *, keep: bool, fail: bool = False, clock: str = "10:00 not due",
                    callers: int = 5) -> tuple[list[CachedPage[str] | BaseException], int]:  # fmt: skip
    """`callers` requests miss on one key at the same time; what each gets, and how many renders ran."""
    renders = 0

    async def render() -> tuple[CachedPage[str], bool]:
        nonlocal renders
        renders += 1
        await asyncio.sleep(0)  # the others arrive while this one renders
        if fail and renders == 1:
            raise RuntimeError("the database went away")
        return page(b"<p>Today</p>"), keep

    async def all_at_once() -> list[CachedPage[str] | BaseException]:
        calls = [cache.render("key", lambda _: clock, render) for _ in range(callers)]
        return await asyncio.gather(*calls, return_exceptions=True)

    return run_coroutine(all_at_once()), renders


def test_requests_that_miss_together_share_one_render() -> None:
    cache: PageCache[str] = PageCache()
    got, renders = renders_at_once(cache, keep=True)
    assert renders == 1 and all(isinstance(p, CachedPage) and p.body == b"<p>Today</p>" for p in got)
    assert cache.get("key", lambda _: "10:00 not due") is not None


def test_a_page_that_may_not_be_kept_or_whose_clock_moved_is_rendered_again() -> None:
    _, renders = renders_at_once(PageCache(), keep=False)  # e.g. a pain score later than now
    assert renders == 5
    _, renders = renders_at_once(PageCache(), keep=True, clock="10:30 due")  # a break came due since
    assert renders == 5


def test_a_failed_render_fails_only_its_own_request() -> None:
    got, renders = renders_at_once(PageCache(), keep=True, fail=True)
    assert isinstance(got[0], RuntimeError)
    assert all(isinstance(p, CachedPage) for p in got[1:]) and renders >= 2

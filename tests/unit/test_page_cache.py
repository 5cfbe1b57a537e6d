"""The page cache: a page comes back only under its own key and while its clock says the same; the
oldest page makes room; the tag depends on the bytes only."""

from __future__ import annotations

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

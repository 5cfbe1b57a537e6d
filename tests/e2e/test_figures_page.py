"""The figure gallery in real Chromium: no axe violations, the figures really move (and land exactly
on their keyframes), and they hold the start pose when the person asks for reduced motion or stops them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright

from tests.conftest import LiveServer
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.integration.test_figures import _bone_ends
from upright.figures import _prepared, figure_ids, figure_svg

pytestmark = [pytest.mark.browser, pytest.mark.dateless]

# Each bone's far end, in the figure's own view box units, for every figure on the page.
BONE_ENDS_JS = """(id) => {
  const svg = document.querySelector(`svg.upr-fig--${id}`);
  const toSvg = svg.getScreenCTM().inverse();
  const out = {};
  for (const line of svg.querySelectorAll('line[data-bone]')) {
    const m = toSvg.multiply(line.getScreenCTM());
    const a = new DOMPoint(line.x1.baseVal.value, line.y1.baseVal.value).matrixTransform(m);
    const b = new DOMPoint(line.x2.baseVal.value, line.y2.baseVal.value).matrixTransform(m);
    out[line.dataset.bone] = [[a.x, a.y], [b.x, b.y]];
  }
  return out;
}"""

ANIMATION_NAMES_JS = """() => [...document.querySelectorAll('svg.upr-anim .upr-m')]
  .map(el => getComputedStyle(el).animationName)"""


def _close(
    got: dict[str, list[list[float]]], want: dict[str, tuple[tuple[float, float], ...]], tol: float
) -> bool:
    return all(
        abs(got[bone][end][axis] - want[bone][end][axis]) < tol
        for bone in want
        for end in (0, 1)
        for axis in (0, 1)
    )


@pytest.fixture
def reduced_page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(viewport={"width": 1024, "height": 800}, reduced_motion="reduce")
    yield ctx.new_page()
    ctx.close()


def test_gallery_passes_axe_and_stays_on_this_computer(live_server: LiveServer, page: Page) -> None:
    response = page.goto(live_server.url + "/exercises/figures")
    assert response is not None and response.ok
    assert page.locator("svg.upr-anim").count() == len(figure_ids())
    page.evaluate(
        "document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })"
    )  # load every still
    for _ in range(100):  # wait_for_function would eval a string, which the page's CSP forbids
        if page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert_no_axe_violations(page)
    assert page.outside_requests == []  # type: ignore[attr-defined]


def test_gallery_fits_a_phone(live_server: LiveServer, phone_page: Page) -> None:
    phone_page.goto(live_server.url + "/exercises/figures")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"scrolls sideways by {overflow}px at 360px"
    assert_no_axe_violations(phone_page)


def test_figures_move_through_exactly_their_keyframes(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/exercises/figures")
    names = page.evaluate(ANIMATION_NAMES_JS)
    assert names and all(n != "none" for n in names)
    for ex_id in figure_ids():
        motion = _prepared(ex_id)[1]
        stills = [_bone_ends(figure_svg(ex_id, frame=i)) for i in range(len(motion.figure.frames))]
        for t, frame in zip(motion.times, motion.frames, strict=True):
            page.evaluate(
                """([id, ms]) => document.querySelector(`svg.upr-fig--${id}`).getAnimations({subtree: true})
                   .forEach(a => { a.pause(); a.currentTime = ms; })""",
                [ex_id, t * 1000],
            )
            got = page.evaluate(BONE_ENDS_JS, ex_id)
            assert _close(got, stills[frame], tol=0.05), f"{ex_id} at {t:.2f}s is not keyframe {frame}"
        # Half way through the first move the figure is somewhere new: it really moves.
        i = next(k for k in range(len(motion.frames) - 1) if motion.frames[k] != motion.frames[k + 1])
        page.evaluate(
            """([id, ms]) => document.querySelector(`svg.upr-fig--${id}`).getAnimations({subtree: true})
               .forEach(a => { a.pause(); a.currentTime = ms; })""",
            [ex_id, (motion.times[i] + motion.times[i + 1]) * 500],
        )
        assert not _close(page.evaluate(BONE_ENDS_JS, ex_id), stills[0], tol=0.5), ex_id


def test_reduced_motion_holds_the_start_pose(live_server: LiveServer, reduced_page: Page) -> None:
    reduced_page.goto(live_server.url + "/exercises/figures")
    names = reduced_page.evaluate(ANIMATION_NAMES_JS)
    assert names and all(n == "none" for n in names)
    reduced_page.wait_for_timeout(600)
    for ex_id in figure_ids():
        start = _bone_ends(figure_svg(ex_id, frame=0))
        assert _close(reduced_page.evaluate(BONE_ENDS_JS, ex_id), start, tol=0.05), ex_id
    assert_no_axe_violations(reduced_page)


def test_stop_box_stops_every_figure(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/exercises/figures")
    page.get_by_label("Stop the moving pictures").check()
    assert all(n == "none" for n in page.evaluate(ANIMATION_NAMES_JS))
    page.get_by_label("Stop the moving pictures").uncheck()
    assert all(n != "none" for n in page.evaluate(ANIMATION_NAMES_JS))


def test_figure_file_moves_on_its_own_and_respects_reduced_motion(
    live_server: LiveServer, page: Page, reduced_page: Page
) -> None:
    # Opened on its own, the file's style passes its own policy (a blocked style would leave "none").
    page.goto(live_server.url + "/figures/bird-dog.svg")
    assert all(n != "none" for n in page.evaluate(ANIMATION_NAMES_JS))
    reduced_page.goto(live_server.url + "/figures/bird-dog.svg")
    assert all(n == "none" for n in reduced_page.evaluate(ANIMATION_NAMES_JS))


def _distinct_img_frames(page: Page, url: str) -> int:
    page.set_content(f'<img id="fig" src="{url}" width="400" alt="">')
    page.wait_for_timeout(500)
    shots = set()
    for _ in range(4):
        shots.add(hashlib.sha256(page.locator("#fig").screenshot()).hexdigest())
        page.wait_for_timeout(700)
    return len(shots)


def test_figure_in_an_img_moves_and_holds_still_when_the_system_asks(
    live_server: LiveServer, page: Page, playwright_instance: Playwright
) -> None:
    """The session player shows /figures/{id}.svg in an <img>, which cannot load our style sheet:
    the file's own style moves it, and a system-wide reduced-motion setting stops it."""
    url = f"{live_server.url}/figures/bird-dog.svg"
    assert _distinct_img_frames(page, url) > 1
    still = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--force-prefers-reduced-motion"]
    )
    try:
        assert _distinct_img_frames(still.new_page(), url) == 1
    finally:
        still.close()

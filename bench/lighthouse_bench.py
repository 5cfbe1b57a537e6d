"""Lighthouse (mobile) on the patient pages, and the same layout-shift number from the browser itself.

    uv run python bench/lighthouse_bench.py [--lighthouse PATH] [--runs 1]

Lighthouse is not a project dependency (it is large and only this bench uses it). Install it once
outside the project, e.g. `npm install --prefix /tmp/lh lighthouse@13.5.0`, and pass
`--lighthouse /tmp/lh/node_modules/.bin/lighthouse` (or set LIGHTHOUSE). It drives Debian's Chromium
(CHROME_PATH=/usr/bin/chromium) on 127.0.0.1 only; nothing leaves the machine.

Without Lighthouse the bench still prints the cumulative layout shift of each page measured through
PerformanceObserver('layout-shift') in Playwright at 360x740, with scripts and API answers slowed
by 0.6 s (the same measurement tests/e2e/test_player_layout.py makes and fails on above 0.02).

The server gets a person with a cleared screening and a plan (the upper back program), as issue 18
measured. Targets (issue 18): performance >= 98, accessibility 100, CLS <= 0.02 on every page."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

PAGES = ("/today", "/session", "/progress", "/breaks")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROMIUM = "/usr/bin/chromium"
SLOW_SECONDS = 0.6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int, database_url: str) -> None:
    import uvicorn

    from upright.config import Settings
    from upright.web.app import create_app

    uvicorn.run(
        create_app(Settings(database_url=database_url)), host="127.0.0.1", port=port, log_level="warning"
    )


def _start(database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--database-url", database_url])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a busy machine starts slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/exercises", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise SystemExit("the bench server did not start")
    from upright.catalog import load_catalog

    screening = {"answers": {q.id: False for q in load_catalog().screening}, "cleared_by_clinician": True}
    with httpx.Client(base_url=url) as http:
        http.post("/api/me/screenings", json=screening).raise_for_status()
        http.post(
            "/api/me/plan", json={"choice": "handout", "program": "upper-back-program"}
        ).raise_for_status()
    return proc, url


def _lighthouse(binary: str, url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                binary, url, "--quiet", "--output=json", f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)},
        )  # fmt: skip
        report: dict[str, Any] = json.loads(out.read_text())
    return report


def _observer_cls(url: str) -> float:
    from playwright.sync_api import Route, sync_playwright

    def slow(route: Route) -> None:
        time.sleep(SLOW_SECONDS)
        route.continue_()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        ctx = browser.new_context(
            viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
        )
        page = ctx.new_page()
        page.add_init_script(
            "window.__cls = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) {"
            " if (!e.hadRecentInput) { window.__cls += e.value; } } }).observe({type: 'layout-shift', buffered: true});"
        )
        page.route("**/*.js*", slow)
        page.route("**/api/**", slow)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(int(SLOW_SECONDS * 4000))
        cls = float(page.evaluate("window.__cls"))
        browser.close()
    return cls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lighthouse", default=os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse"))
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--database-url", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        _serve(args.serve, args.database_url)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start(f"sqlite:///{tmp}/bench.db")
        try:
            print(
                "| page | performance | accessibility | best practices | SEO | CLS (Lighthouse) | CLS (observer, slowed) |"
            )
            print("|---|---|---|---|---|---|---|")
            for path in PAGES:
                observed = _observer_cls(url + path)
                if args.lighthouse:
                    report = _lighthouse(args.lighthouse, url + path)
                    scores = [round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES]
                    cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
                    print(f"| {path} | " + " | ".join(map(str, scores)) + f" | {cls:.3f} | {observed:.3f} |")
                else:
                    print(f"| {path} | - | - | - | - | - | {observed:.3f} |")
            if not args.lighthouse:
                print("Lighthouse not found: pass --lighthouse PATH (see this file's docstring).")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

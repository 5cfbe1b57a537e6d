"""CLI start-up: each command as a whole process (interpreter start, imports, work, exit), as a ratio
against `python -c pass` measured in the same run, interleaved so a busy moment hits every row alike.

    uv run python bench/cli_bench.py [--runs 15] [--upright PATH]

`--upright` times another build's `upright` script (an older commit installed in its own venv:
`git archive COMMIT | tar -x -C DIR && cd DIR && uv sync --no-dev`); its own Python is the baseline.

Rows: `upright --help`; `upright breaks status --help` (a sub-command's help); `upright exercises --json` with the catalog parse cache warm (every run after
the first) and cold (the cache folder emptied before each run). Each row reports the median and best
wall time and CPU time (user + system) of the process; the ratio is median wall against median wall
of `python -c pass`. Targets (issue 14): help <= 5x; exercises --json <= 8x and <= 300 ms on a quiet
machine. A fresh XDG_CACHE_HOME is used, so your own cache is not touched."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
TARGETS = {"upright --help": 5.0, "upright exercises --json (cache warm)": 8.0}


def _one(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--upright", type=Path, default=BIN / "upright", help="the upright script to time")
    parser.add_argument("--python", type=Path, help="the baseline's Python (default: next to --upright)")
    args = parser.parse_args()
    upright = str(args.upright)
    python = str(args.python or args.upright.parent / "python")
    cache_home = Path(tempfile.mkdtemp(prefix="upright-bench-cache-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("UPRIGHT_CATALOG_DIRS", None)

    def empty_cache() -> None:
        shutil.rmtree(cache_home / "upright", ignore_errors=True)

    rows: dict[str, tuple[list[str], bool]] = {
        "python -c pass": ([python, "-c", "pass"], False),
        "upright --help": ([upright, "--help"], False),
        "upright breaks status --help": ([upright, "breaks", "status", "--help"], False),
        "upright exercises --json (cache warm)": ([upright, "exercises", "--json"], False),
        "upright exercises --json (cache cold)": ([upright, "exercises", "--json"], True),
    }
    walls: dict[str, list[float]] = {name: [] for name in rows}
    cpus: dict[str, list[float]] = {name: [] for name in rows}
    for cmd, _ in rows.values():  # one untimed run each: page cache, the catalog cache filled
        _one(cmd, env)
    for _ in range(args.runs):
        for name, (cmd, cold) in rows.items():
            if cold:
                empty_cache()
            wall, cpu = _one(cmd, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
            if cold:
                _one(rows["upright exercises --json (cache warm)"][0], env)  # warm again for the warm row
    shutil.rmtree(cache_home, ignore_errors=True)

    base = statistics.median(walls["python -c pass"])
    print(f"{upright}\nload average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}   runs: {args.runs}")
    print(f"{'row':40s} {'median':>8s} {'best':>8s} {'CPU':>8s} {'ratio':>7s}  target")
    for name in rows:
        med, best, cpu = statistics.median(walls[name]), min(walls[name]), statistics.median(cpus[name])
        ratio = med / base
        target = TARGETS.get(name)
        verdict = "" if target is None else f"<= {target:g}x {'met' if ratio <= target else 'MISSED'}"
        print(
            f"{name:40s} {med * 1000:6.0f}ms {best * 1000:6.0f}ms {cpu * 1000:6.0f}ms {ratio:6.1f}x  {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""CLI start-up: each command as a whole process (interpreter start, imports, work, exit), as a ratio
against `python -c pass` measured in the same run, interleaved so a busy moment hits every row alike.

    uv run python bench/cli_bench.py [--runs 15] [--upright PATH]

`--upright` times another build's `upright` script (an older commit installed in its own venv:
`git archive COMMIT | tar -x -C DIR && cd DIR && uv sync --no-dev`); its own Python is the baseline.

Rows: `upright --help`; `upright breaks status --help` (a sub-command's help); `upright exercises --json`
answered from its kept answer (cli/answers.py: every run after the first), made again with the
catalog parse cache warm (the kept answers removed before each run), and cold (the whole cache folder
emptied before each run); `upright exercise chin-tuck --json` and `upright programs --json` from their
kept answers. Each row reports the median and best wall time and CPU time (user + system) of the
process; the ratio is median wall against median wall of `python -c pass`. Targets (issue 14): help
<= 5x; exercises --json <= 8x and <= 300 ms on a quiet machine. A fresh XDG_CACHE_HOME is used, so
your own cache is not touched."""

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
TARGETS = {"upright --help": 5.0, "upright exercises --json (answer kept)": 8.0}
KEPT, PARSED, COLD = "kept", "parsed", "cold"  # what is in the cache folder when the row runs
STATES = (KEPT, PARSED, COLD)


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
    # Each kind of row has a cache folder of its own, so emptying one never empties another's.
    cache_homes = {state: Path(tempfile.mkdtemp(prefix=f"upright-bench-{state}-")) for state in STATES}
    envs = {state: {**os.environ, "XDG_CACHE_HOME": str(home)} for state, home in cache_homes.items()}
    for env in envs.values():
        env.pop("UPRIGHT_CATALOG_DIRS", None)

    def prepare(state: str) -> None:
        if state == COLD:
            shutil.rmtree(cache_homes[COLD] / "upright", ignore_errors=True)
        elif state == PARSED:
            shutil.rmtree(cache_homes[PARSED] / "upright" / "answers", ignore_errors=True)

    exercises = [upright, "exercises", "--json"]
    rows: dict[str, tuple[list[str], str]] = {
        "python -c pass": ([python, "-c", "pass"], KEPT),
        "upright --help": ([upright, "--help"], KEPT),
        "upright breaks status --help": ([upright, "breaks", "status", "--help"], KEPT),
        "upright exercises --json (answer kept)": (exercises, KEPT),
        "upright exercises --json (parse cache)": (exercises, PARSED),
        "upright exercises --json (cache cold)": (exercises, COLD),
        "upright exercise chin-tuck --json (kept)": ([upright, "exercise", "chin-tuck", "--json"], KEPT),
        "upright programs --json (answer kept)": ([upright, "programs", "--json"], KEPT),
    }
    walls: dict[str, list[float]] = {name: [] for name in rows}
    cpus: dict[str, list[float]] = {name: [] for name in rows}
    for cmd, state in rows.values():  # one untimed run each: page cache, the caches filled
        _one(cmd, envs[state])
    for _ in range(args.runs):
        for name, (cmd, state) in rows.items():
            prepare(state)
            wall, cpu = _one(cmd, envs[state])
            walls[name].append(wall)
            cpus[name].append(cpu)
    for home in cache_homes.values():
        shutil.rmtree(home, ignore_errors=True)

    base = statistics.median(walls["python -c pass"])
    print(f"{upright}\nload average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}   runs: {args.runs}")
    print(f"{'row':42s} {'median':>8s} {'best':>8s} {'CPU':>8s} {'ratio':>7s}  target")
    for name in rows:
        med, best, cpu = statistics.median(walls[name]), min(walls[name]), statistics.median(cpus[name])
        ratio = med / base
        target = TARGETS.get(name)
        verdict = "" if target is None else f"<= {target:g}x {'met' if ratio <= target else 'MISSED'}"
        print(
            f"{name:42s} {med * 1000:6.0f}ms {best * 1000:6.0f}ms {cpu * 1000:6.0f}ms {ratio:6.1f}x  {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long ``mtfix fix`` takes on the seed article, warm, and where the time goes.

    python eval/time_fix.py [--runs 5] [--no-model | --compare] [-- EXTRA MTFIX OPTIONS]

Runs the installed ``mtfix fix --json`` on samples/lavrov-de-mistura.mt.txt as a new
process each time, after one warm-up run (caches filled: converted weights, compiled
files). Prints the median wall time of the runs and the median seconds and share of
each stage and each load (``load:NAME``); "other" is the rest of the wall time (Python
start and imports, reading, writing). ``--compare`` interleaves default and ``--no-model``
runs (one of each per turn, so a change in the machine's load hits both) and prints both
medians and their ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "lavrov-de-mistura.mt.txt"


def _mtfix() -> str:
    """This interpreter's ``mtfix`` console script (what a virtual environment runs; a
    version manager's shim on PATH adds its own start-up), else the one on PATH."""
    beside = Path(sys.executable).with_name("mtfix")
    return str(beside) if beside.is_file() else shutil.which("mtfix") or "mtfix"


def one_run(extra: list[str]) -> tuple[float, dict[str, float]]:
    """Wall seconds and the report's timings of one ``mtfix fix --json`` process."""
    exe = _mtfix()
    start = time.perf_counter()
    done = subprocess.run([exe, "fix", str(SEED), "--json", "-q", *extra],
                          capture_output=True, text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"mtfix fix failed: {done.stderr.strip().splitlines()[-1:]}")
    return wall, json.loads(done.stdout)["timings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-model", action="store_true", help="time mtfix fix --no-model")
    parser.add_argument("--compare", action="store_true", help="default against --no-model")
    parser.add_argument("extra", nargs="*", help="more mtfix fix options (after --)")
    args = parser.parse_args()
    if args.compare:
        return compare(args.runs, args.extra)
    extra = (["--no-model"] if args.no_model else []) + args.extra
    one_run(extra)  # warm-up: fills the caches
    show(extra, [one_run(extra) for _ in range(args.runs)])


def compare(runs: int, extra: list[str]) -> None:
    """Default and ``--no-model`` runs in turn; both medians and their ratio."""
    configs = {"default": extra, "no-model": ["--no-model", *extra]}
    for options in configs.values():
        one_run(options)  # warm-up
    walls: dict[str, list] = {name: [] for name in configs}
    for _ in range(runs):
        for name, options in configs.items():
            walls[name].append(one_run(options))
    for options, found in zip(configs.values(), walls.values(), strict=True):
        show(options, found)
    medians = {name: statistics.median(w for w, _ in found) for name, found in walls.items()}
    print(f"default / --no-model: {medians['default'] / medians['no-model']:.2f}x "
          f"(medians {medians['default']:.2f} s / {medians['no-model']:.2f} s)")  # fmt: skip


def show(extra: list[str], runs: list[tuple[float, dict[str, float]]]) -> None:
    """The median wall time and each stage's median seconds and share."""
    wall = statistics.median(w for w, _ in runs)
    names = sorted({k for _, t in runs for k in t}, key=lambda k: (k.startswith("load:"), k))
    medians = {k: statistics.median(t.get(k, 0.0) for _, t in runs) for k in names}
    medians["other"] = max(0.0, wall - sum(medians.values()))
    label = " ".join(["mtfix fix", *extra])
    print(f"# {_mtfix()}, {len(runs)} runs after one warm-up")
    print(f"{label}: median wall {wall:.2f} s over {len(runs)} warm runs "
          f"(min {min(w for w, _ in runs):.2f}, max {max(w for w, _ in runs):.2f})")  # fmt: skip
    for name, seconds in medians.items():
        print(f"  {name:<22}{seconds:>8.2f} s {seconds / wall:>7.1%}")


if __name__ == "__main__":
    main()

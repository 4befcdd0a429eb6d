"""How long choosing the grammar checker takes, in a fresh process each time.

    python eval/lt_startup.py [--runs N] [-- MTFIX-FIX-OPTIONS...]

Times ``load_checker`` (what ``mtfix fix --checker auto`` does before any article) and
the whole ``mtfix fix --no-rewrite --no-fluency`` of the seed, and prints the notice.
With no LanguageTool configured or installed this is the offline fallback.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "lavrov-de-mistura.mt.txt"
PROBE = """
import sys, time
from mtfix.check import load_checker
start = time.perf_counter()
checker, notice = load_checker("auto")
print(time.perf_counter() - start)
print(notice)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args, extra = parser.parse_known_args()
    times = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
        seconds, notice = out.stdout.splitlines()[:2]
        times.append(float(seconds))
    print(f"load_checker('auto'): median {statistics.median(times):.3f} s, max {max(times):.3f} s")
    print(f"notice: {notice}")
    cmd = ["mtfix", "fix", str(SEED), "--checker", "auto", "--no-rewrite", "--no-fluency", *extra]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    print(f"whole `mtfix fix` run: {time.perf_counter() - start:.2f} s, exit {done.returncode}")
    print("stderr:", *done.stderr.splitlines(), sep="\n  ")


if __name__ == "__main__":
    main()

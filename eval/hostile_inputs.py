"""Time and peak memory of ``mtfix fix`` on each kind of hostile input (issue 35).

    python eval/hostile_inputs.py [--out NAME] [--tree DIR] [--timeout 120] [--max-gb 12]
                                  [-- EXTRA]

Runs the installed ``mtfix fix -q`` once per input as a new process, with the fluency LM
on and with ``--no-fluency``, beside the seed article as the baseline. A run is killed
past ``--timeout`` seconds or ``--max-gb`` of resident memory (so a run that would eat the
machine is reported, not suffered). Prints a Markdown table: exit code, wall seconds,
peak resident memory and its excess over the seed's, and the last line of stderr; with
``--out`` it is also written to ``eval/results/NAME.md``. ``--tree DIR`` runs the mtfix of
another checkout (``git worktree add DIR COMMIT``: the code before a change). States the CPU.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from hostile_kinds import issue_inputs

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "lavrov-de-mistura.mt.txt"


def cpu() -> str:
    """The CPU's model name and its matrix and bfloat16 flags."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                  if line.startswith("model name")), platform.processor())  # fmt: skip
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines()
                  if line.startswith("flags")), [])  # fmt: skip
    shown = [f for f in flags if f.startswith(("amx", "avx512_bf16", "avx512f"))]
    return f"{model} ({psutil.cpu_count()} cores; {' '.join(shown) or 'no AVX-512'})"


def run_one(path: Path, extra: list[str], limits: argparse.Namespace) -> dict:
    """Exit code, wall seconds, peak RSS (GB) and the last stderr line of one run."""
    timeout, max_gb = limits.timeout, limits.max_gb
    env = {**os.environ, "PYTHONPATH": limits.tree} if limits.tree else None
    start = time.perf_counter()
    proc = psutil.Popen([sys.executable, "-m", "mtfix.cli", "fix", str(path), "-q", *extra],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                        env=env)  # fmt: skip
    peak, killed = 0.0, ""
    while proc.poll() is None:
        try:
            rss = sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])
        except psutil.Error:
            rss = 0
        peak = max(peak, rss / 2**30)
        elapsed = time.perf_counter() - start
        if elapsed > timeout or peak > max_gb:
            over = f"{timeout:.0f} s" if elapsed > timeout else f"{max_gb:g} GB"
            killed = f"killed past {over}"
            for child in [*proc.children(recursive=True), proc]:
                child.kill()
            break
        time.sleep(0.05)
    err = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    last = killed or (err.strip().splitlines() or [""])[-1][:110]
    return {"rc": proc.returncode, "wall": time.perf_counter() - start, "peak": peak,
            "last": last}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="also write eval/results/OUT.md")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--max-gb", type=float, default=12.0)
    parser.add_argument("--tree", help="run the mtfix package of this checkout")
    parser.add_argument("extra", nargs="*", help="more mtfix fix options (after --)")
    args = parser.parse_args()
    code = f"the checkout at {args.tree}" if args.tree else "this checkout"
    lines = [f"CPU: {cpu()}", f"code: {code}", f"options: mtfix fix -q {' '.join(args.extra)}", "",
             "| input | fluency | exit | seconds | peak GB | over the seed | stderr's last line |",
             "|---|---|---:|---:|---:|---:|---|"]  # fmt: skip
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = [("seed", SEED)]
        for kind, name, data in issue_inputs():
            path = Path(tmp) / kind.replace(" ", "_").replace(",", "").replace("(", "")
            path = path.with_name(path.name.replace(")", "")).with_suffix(Path(name).suffix)
            path.write_bytes(data)
            inputs.append((kind, path))
        base: dict[str, float] = {}
        for fluency in (["--no-fluency"], []):
            for kind, path in inputs:
                found = run_one(path, [*fluency, *args.extra], args)
                mode = "off" if fluency else "on"
                base.setdefault(mode, found["peak"])
                row = (f"| {kind} | {mode} | {found['rc']} | {found['wall']:.1f} | "
                       f"{found['peak']:.2f} | {found['peak'] - base[mode]:+.2f} | "
                       f"{found['last'].replace('|', '/')} |")  # fmt: skip
                lines.append(row)
                print(row, flush=True)
    if args.out:
        (ROOT / "eval" / "results" / f"{args.out}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

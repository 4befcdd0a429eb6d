"""Screenshot an eval report with headless chromium, to check how the page looks.

    python eval/screenshot_report.py REPORT.html OUT.png [--size 1280,2000]
    python eval/screenshot_report.py REPORT.html OUT.png --demo 1000

``--demo N`` first writes REPORT.html from a synthetic N-row EvalResult (no data needed).
Needs Debian's ``chromium`` (``apt-get install -y chromium``).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mtfix.score import EvalResult, MetricResult, SentenceRow

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_browser() -> str:
    """The path of a chromium binary, or exit with how to install one."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found on PATH: install it with `apt-get install -y chromium`")


def screenshot(report: Path, out: Path, size: str = "1280,2000", timeout: int = 120) -> None:
    """Render ``report`` to the PNG ``out`` with headless chromium and a throwaway profile."""
    browser = find_browser()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="mtfix-chromium-") as profile:
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
            f"--window-size={size}", f"--screenshot={out.resolve()}", report.resolve().as_uri(),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0 or not out.is_file():
        sys.exit(f"chromium failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")


_WORDS = (
    "the minister said talks would take place in Geneva on next week with foreign affairs "
    "officials Russia and United States agreed to continue consultations about ceasefire regime "
    "humanitarian situation sides discussed implementation of political process"
).split()


def demo_result(n: int, seed: int = 1) -> EvalResult:
    """A synthetic EvalResult of ``n`` rows with plausible score changes."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        words = rng.choices(_WORDS, k=rng.randint(6, 28))
        mt = " ".join(words).capitalize() + "."
        out, before = mt, rng.uniform(10, 80)
        if rng.random() < 0.45:
            edited = [w for w in words if rng.random() > 0.12]
            edited.insert(rng.randrange(len(edited) + 1), rng.choice(_WORDS))
            out = " ".join(edited).capitalize() + "."
        after = min(100.0, max(0.0, before + (rng.gauss(1.5, 6) if out != mt else 0.0)))
        ref = " ".join(rng.sample(words, len(words))).capitalize() + "."
        refs = (ref,) if i % 7 else (ref, "A second <reference> & more.")
        rows.append(SentenceRow(i + 1, mt, out, refs, before, after, flagged=rng.random() < 0.2))
    sig = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.2"
    chrf_sig = "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.2"
    metrics = {
        "BLEU": MetricResult("BLEU", 27.31, 28.12, 0.81, sig, {"p_value": 0.012}),
        "chrF": MetricResult("chrF", 55.02, 55.40, 0.38, chrf_sig, {"p_value": 0.21}),
        "TER": MetricResult("TER", 61.2, 60.4, -0.8, None, {"p_value": 0.08}),
        "COMET": MetricResult("COMET", 0.8123, 0.8171, 0.0048, "Unbabel/wmt22-comet-da"),
    }  # fmt: skip
    changed = sum(r.changed for r in rows)
    return EvalResult(
        metrics=metrics,
        rows=rows,
        behaviour={"changed_rate": changed / n, "flag_rate": 0.2, "guard_rejections": 31.0},
        grammar={"issues_before": 412, "issues_after": 298},
        meta={"system": "demo-mt", "pair": "ru-en", "segments": n, "sentence_metric": "chrF"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280,2000", help="window WIDTH,HEIGHT")
    parser.add_argument("--demo", type=int, metavar="N", help="write a synthetic N-row report")
    args = parser.parse_args()
    if args.demo:
        from mtfix.score.report import write_report

        write_report(demo_result(args.demo), html_path=args.report)
    if not args.report.is_file():
        sys.exit(f"no report at {args.report}")
    screenshot(args.report, args.out, args.size)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

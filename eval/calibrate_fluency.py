"""Calibrate the fluency detector: length fit and threshold, on human news, the seed and JFLEG.

    python eval/calibrate_fluency.py [--seed /tmp/seed12.txt] [--dtype bfloat16] [--limit N]

Positives (less fluent) are the seed's MT sentences and JFLEG dev sources; negatives are WMT21
ru-en reference A (human news) and JFLEG ref0. Prints ROC AUCs for raw and length-adjusted SLOR,
the length fit, the thresholds that flag 5-8% of human news (with a held-out check), and the
figures at the module's LENGTH_FIT and DEFAULT_THRESHOLD. Lower score = less fluent.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir, read_lines

from mtfix.detect.fluency import (
    DEFAULT_THRESHOLD,
    LENGTH_FIT,
    MIN_WORDS,
    FluencyScorer,
    fluency_available,
)

Scored = list[tuple[float, int]]  # (SLOR, words) per sentence


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a random positive scores below a random negative)."""
    wins = sum((p < n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def fit(rows: Scored) -> tuple[float, float]:
    """Least-squares ``SLOR ~ a + b ln(words)`` over sentences of at least MIN_WORDS words."""
    kept = [(math.log(n), v) for v, n in rows if n >= MIN_WORDS]
    b, a = statistics.linear_regression([x for x, _ in kept], [y for _, y in kept])
    return a, b


def adjusted(rows: Scored, ab: tuple[float, float]) -> list[float]:
    return [v - (ab[0] + ab[1] * math.log(max(n, 1))) for v, n in rows]


def flags(rows: Scored, ab: tuple[float, float], thr: float) -> int:
    """How many sentences the detector flags: enough words and a score under ``thr``."""
    return sum(
        n >= MIN_WORDS and s < thr for s, (_, n) in zip(adjusted(rows, ab), rows, strict=True)
    )


def threshold_for(rows: Scored, ab: tuple[float, float], share: float) -> float:
    """The threshold that flags ``share`` of ``rows``."""
    eligible = sorted(
        s for s, (_, n) in zip(adjusted(rows, ab), rows, strict=True) if n >= MIN_WORDS
    )
    return eligible[min(int(len(rows) * share), len(eligible) - 1)]


def pct(k: int, rows: Scored) -> str:
    return f"{k}/{len(rows)} = {100 * k / len(rows):.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=Path("/tmp/seed12.txt"))
    ap.add_argument("--dtype", default="bfloat16")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    if not fluency_available():
        sys.exit("the fluency extra is not installed: pip install -e '.[fluency]'")
    data = data_dir()
    ref_a = data / "wmt21-ru-en/txt/references/newstest2021.ru-en.ref.A.en"
    human_txt = read_lines(ref_a, args.limit)
    seed_txt = [s for s in read_lines(args.seed) if s.strip()]
    jsrc_txt = read_lines(data / "jfleg-dev/dev.src", args.limit)
    jref_txt = read_lines(data / "jfleg-dev/dev.ref0", args.limit)

    t0 = time.perf_counter()
    scorer = FluencyScorer(dtype=args.dtype)
    print(f"model load {time.perf_counter() - t0:.1f}s ({args.dtype})")
    t0 = time.perf_counter()
    human = scorer.slor(human_txt)
    took = time.perf_counter() - t0
    print(f"throughput {len(human) / took:.1f} sentences/s on human refs ({took:.0f}s)")
    seed, jsrc, jref = scorer.slor(seed_txt), scorer.slor(jsrc_txt), scorer.slor(jref_txt)

    changed = [
        i for i, (s, r) in enumerate(zip(jsrc_txt, jref_txt, strict=True)) if s.strip() != r.strip()
    ]
    ab = fit(human)
    lengths = [math.log(max(n, 1)) for _, n in human]
    r = statistics.correlation([v for v, _ in human], lengths)
    print(f"human SLOR vs ln(words): r = {r:.2f}; fit a = {ab[0]:.3f}, b = {ab[1]:.3f}")
    for name, kind in (("raw SLOR", (0.0, 0.0)), ("length-adjusted", ab)):
        h, s = adjusted(human, kind), adjusted(seed, kind)
        js, jr = adjusted(jsrc, kind), adjusted(jref, kind)
        print(
            f"AUC {name}: JFLEG src vs ref0 {auc(js, jr):.3f} (all {len(js)} pairs), "
            f"{auc([js[i] for i in changed], [jr[i] for i in changed]):.3f} "
            f"({len(changed)} changed); seed vs human {auc(s, h):.3f}"
        )
        for share in (0.05, 0.06, 0.07, 0.08):
            thr = threshold_for(human, kind, share)
            print(
                f"  {share:.0%} of human flagged at {thr:+.3f}: seed hits {flags(seed, kind, thr)}"
            )

    even, odd = human[0::2], human[1::2]
    half = fit(even)
    thr = threshold_for(even, half, 0.07)
    print(
        f"held out: fit + 7% threshold on even lines ({thr:+.3f}) flags odd lines "
        f"{pct(flags(odd, half, thr), odd)}"
    )

    thr = DEFAULT_THRESHOLD
    print(f"module: LENGTH_FIT = ({LENGTH_FIT[0]:.3f}, {LENGTH_FIT[1]:.3f}), threshold {thr:+.2f}")
    print(f"  human refs flagged {pct(flags(human, LENGTH_FIT, thr), human)}")
    print(f"  seed flagged {pct(flags(seed, LENGTH_FIT, thr), seed)}")
    print(f"  JFLEG src flagged {pct(flags(jsrc, LENGTH_FIT, thr), jsrc)}")
    print(f"  JFLEG ref0 flagged {pct(flags(jref, LENGTH_FIT, thr), jref)}")
    for value, text in sorted(zip(adjusted(seed, LENGTH_FIT), seed_txt, strict=True)):
        print(f"  seed {value:+.2f}  {text[:72]}")


if __name__ == "__main__":
    main()

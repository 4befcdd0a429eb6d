"""Calibrate the fluency detector's SLOR threshold on human news, the seed and JFLEG.

    python eval/calibrate_fluency.py [--seed /tmp/seed12.txt] [--dtype bfloat16] [--limit N]

Prints ROC AUCs (JFLEG dev sources vs their ref0 corrections; seed vs human refs), the
thresholds that flag 5/6/8% of human news, the human flag rate and seed hits at the chosen
threshold, and the throughput. Lower SLOR = less fluent; sentences under MIN_WORDS words are
never flagged.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir, read_lines

from mtfix.detect.fluency import (
    DEFAULT_THRESHOLD,
    MIN_WORDS,
    FluencyScorer,
    fluency_available,
    unigram_logprob,
)


def auc(pos: list[float], neg: list[float]) -> float:
    """P(score of a random positive < score of a random negative): positives are less fluent."""
    wins = sum((p < n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def flagged(texts: list[str], scores: list[float], threshold: float) -> list[bool]:
    """What the detector flags: enough words and a score under the threshold."""
    return [
        unigram_logprob(t)[1] >= MIN_WORDS and s < threshold
        for t, s in zip(texts, scores, strict=True)
    ]


def rate(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)} = {100 * sum(flags) / max(len(flags), 1):.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=Path("/tmp/seed12.txt"))
    ap.add_argument("--dtype", default="bfloat16")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    if not fluency_available():
        sys.exit("the fluency extra is not installed: pip install -e '.[fluency]'")
    data = data_dir()
    human = read_lines(data / "wmt21-ru-en/txt/references/newstest2021.ru-en.ref.A.en", args.limit)
    seed = [s for s in read_lines(args.seed) if s.strip()]
    jsrc = read_lines(data / "jfleg-dev/dev.src", args.limit)
    jref = read_lines(data / "jfleg-dev/dev.ref0", args.limit)

    t0 = time.perf_counter()
    scorer = FluencyScorer(dtype=args.dtype)
    print(f"model load: {time.perf_counter() - t0:.1f}s ({args.dtype})")
    t0 = time.perf_counter()
    h = scorer.score(human)
    elapsed = time.perf_counter() - t0
    print(f"throughput: {len(human) / elapsed:.1f} sentences/s on human refs ({elapsed:.0f}s)")
    s, js, jr = scorer.score(seed), scorer.score(jsrc), scorer.score(jref)

    changed = [i for i in range(len(jsrc)) if jsrc[i].strip() != jref[i].strip()]
    print(f"AUC JFLEG src vs ref0, all {len(jsrc)} pairs: {auc(js, jr):.3f}")
    jsc, jrc = [js[i] for i in changed], [jr[i] for i in changed]
    print(f"AUC JFLEG src vs ref0, {len(changed)} changed pairs: {auc(jsc, jrc):.3f}")
    print(f"JFLEG pairs with src < ref0: {sum(a < b for a, b in zip(jsc, jrc))}/{len(changed)}")
    print(f"AUC seed ({len(seed)}) vs human refs ({len(human)}): {auc(s, h):.3f}")
    print(f"human SLOR median {statistics.median(h):.2f}, seed median {statistics.median(s):.2f}")

    eligible = sorted(v for t, v in zip(human, h, strict=True) if unigram_logprob(t)[1] >= MIN_WORDS)
    for pct in (5, 6, 8, 10):
        thr = eligible[int(len(human) * pct / 100)]
        print(f"threshold for ~{pct}% human flags: {thr:.3f}  seed hits {sum(flagged(seed, s, thr))}")
    thr = args.threshold
    print(f"at threshold {thr:.2f}:")
    print(f"  human refs flagged {rate(flagged(human, h, thr))}")
    print(f"  seed flagged {rate(flagged(seed, s, thr))}")
    print(f"  JFLEG src flagged {rate(flagged(jsrc, js, thr))}")
    print(f"  JFLEG ref0 flagged {rate(flagged(jref, jr, thr))}")
    for text, v in sorted(zip(seed, s, strict=True), key=lambda p: p[1]):
        print(f"  seed {v:6.2f}  {text[:70]}")


if __name__ == "__main__":
    main()

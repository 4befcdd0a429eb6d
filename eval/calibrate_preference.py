"""Calibrate ``MIN_PREFERENCE``: does the rewriter's own preference predict a TER gain?

    python eval/calibrate_preference.py [-n 150] [--pairs ru,et,ro,ne,si] [--model DIR]
        [--prepared DIR] [--seen SEED:BATCHES ...]

On MLQE-PE *train* sentences the model did not train on (dev stays for the final
figures): the sentences of the first BATCHES batches of each ``--seen`` data order
(``seed:batches``, as ``mtfix train`` drew them from ``--prepared``) are left out. Each
sentence is rewritten (greedy, as ``mtfix fix``; the segment's ending kept), the
preference ``log p(rewrite) - log p(copy)`` is scored, and the change in TER edits
against the post-edit is summed for the rewrites above each threshold. The guard and the
fluency margin are not applied here: this isolates what the preference alone says.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir, ter_edits

from mtfix.repair.model import keep_ending
from mtfix.rewrite.causal import CausalRewriter
from mtfix.rewrite.shipped import shipped_model_dir
from mtfix.train.lm_loop import batch_order, encode_pairs
from mtfix.train.prepare import load_prepared

THRESHOLDS = (-1e9, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0)


def seen_sources(rewriter: CausalRewriter, prepared: Path, seen: list[str]) -> set[str]:
    """The sources of the batches each ``seed:batches`` order trained on."""
    if not seen:
        return set()
    pairs, _, _ = load_prepared(prepared)
    codec = rewriter.codec
    kept = [
        p for p in pairs if len(codec.prompt(p["source"])) + len(codec.target(p["target"])) <= 160
    ]
    examples = encode_pairs(codec, pairs, 160)
    out: set[str] = set()
    for spec in seen:
        seed, batches = (int(x) for x in spec.split(":"))
        for batch in batch_order(examples, 8, seed, 0)[:batches]:
            out.update(kept[i]["source"] for i in batch)
    return out


def held_out(lang: str, n: int, seen: set[str]) -> list[tuple[str, str]]:
    from sacremoses import MosesDetokenizer

    moses = MosesDetokenizer("en")
    folder = data_dir() / f"mlqe-pe/train/{lang}-en"
    mt = (folder / "train.mt").read_text(encoding="utf-8").splitlines()
    pe = (folder / "train.pe").read_text(encoding="utf-8").splitlines()
    rows = [
        (moses.detokenize(a.split()), moses.detokenize(b.split()))
        for a, b in zip(mt, pe, strict=True)
    ]
    rows = [r for r in rows if r[0] not in seen and len(r[0]) < 300]
    random.Random(0).shuffle(rows)
    return rows[:n]


def calibrate(rewriter: CausalRewriter, rows: list[tuple[str, str]]) -> dict[float, list[float]]:
    """Per threshold: the TER edit changes of the rewrites preferred above it."""
    from sacrebleu.metrics import TER

    ter = TER()
    sources = [s for s, _ in rows]
    outs = [keep_ending(s, o) for s, o in zip(sources, rewriter.rewrite(sources), strict=True)]
    changed = [i for i, (s, o) in enumerate(zip(sources, outs, strict=True)) if s != o]
    prefs = rewriter.preference([sources[i] for i in changed], [outs[i] for i in changed])
    deltas = [
        ter_edits(ter, outs[i], rows[i][1]) - ter_edits(ter, rows[i][0], rows[i][1])
        for i in changed
    ]
    return {t: [d for p, d in zip(prefs, deltas, strict=True) if p > t] for t in THRESHOLDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=150)
    parser.add_argument("--pairs", default="ru,et,ro,ne,si")
    parser.add_argument("--model", help="default: the shipped rewriter")
    parser.add_argument("--prepared", type=Path, help="the training folder (for --seen)")
    parser.add_argument("--seen", action="append", default=[], metavar="SEED:BATCHES")
    args = parser.parse_args()
    rewriter = CausalRewriter(args.model or str(shipped_model_dir()))
    seen = seen_sources(rewriter, args.prepared, args.seen) if args.prepared else set()
    for lang in args.pairs.split(","):
        rows = held_out(lang, args.n, seen)
        ref_words = sum(len(r.split()) for _, r in rows)
        for t, ds in calibrate(rewriter, rows).items():
            label = "any" if t < -1e8 else f"> {t:g}"
            print(f"{lang}-en\tpreference {label}\trewrites {len(ds)}\tTER "
                  f"{100 * sum(ds) / ref_words:+.2f}\thelped {sum(d < 0 for d in ds)}\t"
                  f"hurt {sum(d > 0 for d in ds)}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()

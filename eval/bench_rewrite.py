"""Rewriting speed: sentences per second through the rewriter, batched vs one by one.

    python eval/bench_rewrite.py [--model ID_OR_DIR] [-n 200] [--naive 40] [--threads 2]

Takes the first N MT sentences of MLQE-PE ru-en and et-en dev (detokenized) as the
"flagged" sentences, and prints the batched rate and the rate of one model call per sentence.
For a causal LM (the shipped model) it also times prompt-lookup decoding (one sentence at a
time, drafts from the source) and says whether its outputs equal greedy decoding's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir, read_lines

from mtfix.read.corpus import Moses
from mtfix.rewrite import Rewriter, load_rewriter


def sentences(n: int) -> list[str]:
    """N detokenized MT sentences, alternating ru-en and et-en dev."""
    moses = Moses()
    ru = read_lines(data_dir() / "mlqe-pe/dev/ru-en/dev.mt")
    et = read_lines(data_dir() / "mlqe-pe/dev/et-en/dev.mt")
    mixed = [s for pair in zip(ru, et, strict=True) for s in pair]
    return [moses.detokenize(s) for s in mixed[:n]]


def rate(rewriter: Rewriter, texts: list[str], one_by_one: bool) -> float:
    """Sentences per second."""
    start = time.perf_counter()
    if one_by_one:
        for text in texts:
            rewriter.rewrite([text])
    else:
        rewriter.rewrite(texts)
    return len(texts) / (time.perf_counter() - start)


def describe(rewriter: Rewriter) -> str:
    """Batch size and search of a rewriter."""
    search = getattr(rewriter, "decoding", None) or f"beams {rewriter.num_beams}"
    return f"batch {rewriter.batch_size}, {search}"


def lookup_rate(model: str | None, texts: list[str]) -> None:
    """Prompt-lookup decoding's rate, and whether it writes what greedy decoding writes."""
    from mtfix.rewrite.causal import CausalRewriter

    lookup = load_rewriter(model, decoding="lookup")
    if not isinstance(lookup, CausalRewriter):
        return
    start = time.perf_counter()
    out = lookup.rewrite(texts)
    speed = len(texts) / (time.perf_counter() - start)
    greedy = load_rewriter(model).rewrite(texts)
    same = sum(a == b for a, b in zip(out, greedy, strict=True))
    print(f"prompt lookup ({lookup.lookup_tokens} draft tokens, one at a time): "
          f"{speed:.2f} sentences/s; {same}/{len(texts)} outputs equal greedy's")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model id or dir (default: the shipped model)")
    parser.add_argument("-n", type=int, default=200, help="sentences for the batched run")
    parser.add_argument("--naive", type=int, default=40, help="sentences for the one-by-one run")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    rewriter = load_rewriter(args.model)
    if rewriter is None:
        sys.exit("no model: pass --model or install the shipped one")
    texts = sentences(args.n)
    rewriter.rewrite(texts[:4])  # warm-up
    batched = rate(rewriter, texts, one_by_one=False)
    naive = rate(rewriter, texts[: args.naive], one_by_one=True)
    print(f"model {rewriter.name}: batched {batched:.2f} sentences/s ({len(texts)} sentences, "
          f"{describe(rewriter)}); one by one {naive:.2f} sentences/s ({args.naive})")  # fmt: skip
    lookup_rate(args.model, texts[: args.naive])


if __name__ == "__main__":
    main()

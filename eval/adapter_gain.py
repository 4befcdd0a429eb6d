"""Does a rewriting model add anything as one more proposer of the search?

    python eval/adapter_gain.py [--model mtfix/models/mtfix-rewriter] [--sets jfleg,ru-en]
                                [--limit 100] [--out STEM]

Repairs the first ``--limit`` lines of each set twice as ``mtfix eval`` does (one-line
articles, no document detector, the offline checker, the default margin): the default
search, and the search with ``--model`` (its rewrite of each flagged sentence is one more
proposal, ranked and guarded like the others). Prints each set's metric (JFLEG GLEU,
MLQE-PE TER), the lines changed and the steps whose source is the model.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see calibrate_search.py
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, data_dir
from margin_replay import metrics
from search_sets import chosen, load_set, one_line_articles, results_stem

from mtfix.pipeline import Options, Pipeline
from mtfix.score.evaluate import line_outputs

MODEL = str(ROOT / "mtfix" / "models" / "mtfix-rewriter")


def run(options: Options, data: dict, tok: bool) -> tuple[list[str], int, float]:
    """The outputs, the steps taken from the model, and the seconds the repair took."""
    import torch

    torch.set_num_threads(2)
    pipeline, start = Pipeline(options), time.perf_counter()
    reports = []
    for k in range(0, len(data["plain"]), 16):
        reports += pipeline.fix_many(one_line_articles(data["plain"][k : k + 16]))
    spent = time.perf_counter() - start
    steps = [s.source for r in reports for e in r.accepted for s in e.steps]
    model_steps = sum(source.startswith(("causal:", "seq2seq:")) for source in steps)
    return line_outputs(data["mt"], reports, tok), model_steps, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--sets", default="jfleg,ru-en")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--out", help="write <stem>.md")
    args = parser.parse_args()
    rows = ["| set | lines | config | metric | changed | model steps | seconds |",
            "|---|---:|---|---:|---:|---:|---:|"]  # fmt: skip
    for name, spec in chosen(data_dir(), args.sets).items():
        data = load_set(spec, args.limit)
        base = Options(checker="offline", document=False)
        for label, options in (("search", base), ("search + model", Options(
            checker="offline", document=False, model=args.model))):  # fmt: skip
            outputs, steps, spent = run(options, data, spec["tok"])
            m = metrics(name, data, outputs)
            key = "gleu" if "gleu" in m else "ter"
            row = (f"| {name} | {len(outputs)} | {label} | {key} {m[key]:.2f} | "
                   f"{m['changed']:.1%} | {steps} | {spent:.0f} |")  # fmt: skip
            print(row, flush=True)
            rows.append(row)
        plain = metrics(name, data, data["mt"])
        key = "gleu" if "gleu" in plain else "ter"
        rows.append(f"| {name} | {len(data['mt'])} | unchanged | {key} {plain[key]:.2f} | 0% "
                    "| - | - |")  # fmt: skip
    text = "\n".join(["# A rewriting model as a proposer", "", f"model: {args.model}", "", *rows])
    if args.out:
        stem = results_stem(args.out)
        (stem.parent / f"{stem.name}.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()

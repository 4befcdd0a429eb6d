"""What each local repair does to TER: every guard-accepted fix applied alone, by source.

    python eval/fix_sources.py [--limit N] [--only NAME] [--no-fluency]

Runs mtfix with ``--no-model`` over the MLQE-PE dev sets (MT vs post-edit). For each
fix the guard accepts, the line with that fix alone is scored against the post-edit;
the summed change in TER edits (per 100 reference words of the whole set, so the
figures add up to the set's TER change) is printed per source ("rules:<rule>",
"harper:<rule>", ...), with how many fixes helped and hurt. A source that makes TER
worse on a set is one to take off the allow-list or to make surer.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import benchmark_sets
from common import data_dir, ter_edits

from mtfix.pipeline import Options, Pipeline
from mtfix.read import read_line
from mtfix.read.corpus import read_lines
from mtfix.score.evaluate import plain_lines


def chosen_sets(only: str | None) -> list[tuple[str, dict]]:
    """The MLQE-PE and JFLEG sets, all or those ``only`` names, in its order."""
    sets = [(n, s) for n, s in benchmark_sets(data_dir()).items() if "wmt21" not in n]
    if not only:
        return sets
    return [(n, s) for part in only.split(",") for n, s in sets if part in n]


def attribute(pipeline: Pipeline, spec: dict, limit: int | None) -> tuple[dict, float]:
    """Per source: [summed edit change, fixes, helped, hurt]; and the reference length."""
    from sacrebleu.metrics import TER

    ter = TER()
    lines = plain_lines(read_lines(str(spec["mt"]))[:limit], spec["tok"])
    refs = plain_lines(read_lines(str(spec["refs"][0]))[:limit], spec["tok"])
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0, 0])
    for k in range(0, len(lines), 64):
        articles = [read_line(x) for x in lines[k : k + 64]]
        chunk = zip(lines[k : k + 64], refs[k : k + 64], pipeline.fix_many(articles), strict=True)
        for line, ref, report in chunk:
            base = ter_edits(ter, line, ref)
            for edit in (e for e in report.edits if e.kind == "fix" and e.reason == "accepted"):
                after = line[: edit.start] + edit.after + line[edit.end :]
                delta = ter_edits(ter, after, ref) - base
                row = out[label(edit)]
                row[0] += delta
                row[1] += 1
                row[2 if delta < 0 else 3] += delta != 0
    ref_words = sum(len(r.split()) for r in refs)
    return dict(out), ref_words


def label(edit) -> str:
    """The rule behind a single fix: "rules:<rule>", or the checker's rule id."""
    fix = edit.fixes[0]
    return fix.rule or fix.source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--only", default="mlqe-pe")
    parser.add_argument("--no-fluency", action="store_true")
    args = parser.parse_args()
    options = Options(use_model=False, fluency=not args.no_fluency, checker="offline")
    pipeline = Pipeline(replace(options, document=False))
    for name, spec in chosen_sets(args.only):
        rows, ref_words = attribute(pipeline, spec, args.limit)
        for source, (delta, n, helped, hurt) in sorted(rows.items(), key=lambda r: r[1][0]):
            print(f"{name}\t{source}\tTER {100 * delta / ref_words:+.3f}\tfixes {n}\t"
                  f"helped {helped}\thurt {hurt}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()

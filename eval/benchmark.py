"""Run mtfix on every benchmark set and write eval/results/<date>.json and .md.

    python eval/benchmark.py [--limit N] [--no-fluency] [--no-errant] [--model ID_OR_DIR]

Sets (from ../shared/data or $MTFIX_DATA): MLQE-PE dev ru/et/ro/ne/si-en (MT vs post-edit,
Moses-tokenized), JFLEG dev (4 fluency references), and WMT21 ru-en for the strongest
and the weakest system by the human z-scores (references A and B). Every metric is
printed with the unchanged-input baseline (before) beside mtfix (after).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, data_dir

from mtfix.pipeline import Options, Pipeline
from mtfix.read.corpus import read_lines
from mtfix.score.evaluate import Corpus, grammar_counts, repair_lines, score
from mtfix.score.report import result_dict

RESULTS = ROOT / "eval" / "results"
WMT_SYSTEM_NAMES = {"Nemo": "NVIDIA-NeMo"}


def wmt_extremes(data: Path) -> tuple[str, str]:
    """The strongest and weakest MT system by WMT21 human z-score (HUMAN excluded)."""
    path = data / "wmt21-ru-en/humaneval/newstest2021-toen/ad-sys-scores-ru-en.csv"
    with path.open() as f:
        rows = [r for r in csv.DictReader(f, delimiter=" ") if not r["SYS"].startswith("HUMAN")]
    rows.sort(key=lambda r: float(r["Z.SCR"]))
    name = lambda r: WMT_SYSTEM_NAMES.get(r["SYS"].split(".")[0], r["SYS"].split(".")[0])  # noqa: E731
    return name(rows[-1]), name(rows[0])


def benchmark_sets(data: Path) -> dict[str, dict]:
    """Each set: MT file, reference files, and whether it is Moses-tokenized."""
    sets = {}
    for pair in ("ru", "et", "ro", "ne", "si"):
        d = data / f"mlqe-pe/dev/{pair}-en"
        sets[f"mlqe-pe {pair}-en dev"] = {"mt": d / "dev.mt", "refs": [d / "dev.pe"], "tok": True}
    j = data / "jfleg-dev"
    sets["jfleg dev"] = {"mt": j / "dev.src", "refs": [j / f"dev.ref{i}" for i in range(4)]}
    sets["jfleg dev"]["tok"] = True
    wmt = data / "wmt21-ru-en/txt"
    refs = [wmt / f"references/newstest2021.ru-en.ref.{x}.en" for x in "AB"]
    best, worst = wmt_extremes(data)
    for label, system in (("strongest", best), ("weakest", worst)):
        mt = wmt / f"system-outputs/newstest2021.ru-en.hyp.{system}.en"
        sets[f"wmt21 ru-en {system} ({label})"] = {"mt": mt, "refs": refs, "tok": False}
    return sets


def run_set(pipeline: Pipeline, spec: dict, args: argparse.Namespace) -> dict:
    """Repair and score one set; the JSON of ``mtfix eval --json`` without the sentences."""
    mt = read_lines(str(spec["mt"]))[: args.limit]
    refs = [read_lines(str(r))[: args.limit] for r in spec["refs"]]
    start = time.perf_counter()
    outputs, flagged, _ = repair_lines(pipeline, mt, tokenized=spec["tok"], progress=False)
    seconds = time.perf_counter() - start
    grammar = grammar_counts(pipeline.stages.checker, mt, outputs)
    result = score(Corpus(mt, refs), outputs, flagged, grammar=grammar, errant=not args.no_errant)
    data = result_dict(result)
    data.pop("sentences")
    data["lines"], data["repair_seconds"] = len(mt), round(seconds, 1)
    data["flagged"] = sum(flagged)
    return data


def markdown(results: dict[str, dict], notices: list[str]) -> str:
    """A Markdown table: every metric of every set, baseline beside mtfix."""
    lines = [
        "| set | lines | flagged | changed | metric | baseline (MT) | mtfix | delta |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name, data in results.items():
        changed = f"{data['behaviour']['changed']:.1%}"
        for metric, m in data["metrics"].items():
            row = f"| {name} | {data['lines']} | {data['flagged']} | {changed} | {metric} "
            lines.append(row + f"| {m['before']:.2f} | {m['after']:.2f} | {m['delta']:+.2f} |")
    notes = "\n".join(f"- {n}" for n in notices)
    return "\n".join(lines) + f"\n\nRun notes:\n{notes}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N lines of each set")
    parser.add_argument("--no-fluency", action="store_true")
    parser.add_argument("--no-errant", action="store_true")
    parser.add_argument("--model", help="rewriting model (default: the shipped one, if any)")
    parser.add_argument("--only", help="run only the sets whose name contains this")
    args = parser.parse_args()
    options = Options(model=args.model, fluency=not args.no_fluency, checker="offline")
    pipeline = Pipeline(replace(options, document=False))
    notices = [*pipeline.stages.notices, f"limit: {args.limit or 'none'}"]
    results = {}
    for name, spec in benchmark_sets(data_dir()).items():
        if args.only and args.only not in name:
            continue
        print(f"{name} ...", file=sys.stderr, flush=True)
        results[name] = run_set(pipeline, spec, args)
        summary = {k: round(v["delta"], 2) for k, v in results[name]["metrics"].items()}
        print(f"{name}: {results[name]['repair_seconds']}s, deltas {summary}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / dt.date.today().isoformat()
    stem.with_suffix(".json").write_text(
        json.dumps({"notices": notices, "sets": results}, indent=2)
    )
    stem.with_suffix(".md").write_text(markdown(results, notices))
    print(f"wrote {stem}.json and {stem}.md")


if __name__ == "__main__":
    main()

"""Does an LM engine make the same decisions as the float32 reference?

    MTFIX_ENGINE=float32  python eval/calibrate_search.py --sets ... --cache DIR_A
    MTFIX_ENGINE=bfloat16 python eval/calibrate_search.py --sets ... --cache DIR_B
    python eval/engine_agreement.py --reference DIR_A --candidate DIR_B
                                    [--sets ...] [--set-limit ...] [--margins 5,2] [--out STEM]

Reads two folders of ``calibrate_search.py`` caches (the same sets, lines and low margin,
each made under one engine) and replays both at each margin (default: the news profile's
5 nats and the learner profile's 2). Per set and margin: the share of lines whose output
is the same, each set's metric under both engines (JFLEG dev GLEU, MLQE-PE dev TER, WMT21
ref A lines changed, WMT16 TER), and every line whose output differs, both outputs shown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_search import LOW, cache_path, read_cache, set_limits
from common import data_dir
from margin_replay import metrics, replayed
from search_sets import chosen, load_set, results_stem, write_results

MARGINS = (5.0, 2.0)  # the news and the learner profiles' margins


def compare_set(name: str, data: dict, tok: bool, caches: dict[str, dict],
                margins: list[float]) -> dict:  # fmt: skip
    """Per margin: agreement, both engines' metrics and the lines that differ."""
    out: dict = {"lines": len(data["mt"]), "margins": {}}
    for margin in margins:
        outputs = {engine: replayed(data, records, tok, margin)[0]
                   for engine, records in caches.items()}  # fmt: skip
        ref, cand = outputs.values()
        differ = [i for i, (a, b) in enumerate(zip(ref, cand, strict=True)) if a != b]
        out["margins"][f"{margin:g}"] = {
            "same": round(1 - len(differ) / len(ref), 4),
            "metrics": {e: metrics(name, data, o) for e, o in outputs.items()},
            "differ": [{"line": i, "mt": data["mt"][i], "reference": ref[i], "candidate": cand[i]}
                       for i in differ],
        }  # fmt: skip
    return out


def markdown(results: dict, labels: tuple[str, str]) -> str:
    """The agreement table, then every differing line."""
    ref, cand = labels
    lines = [f"# Engine agreement: {cand} against {ref}", "",
             f"| set | margin | lines | same output | metric | {ref} | {cand} |",
             "|---|---:|---:|---:|---|---:|---:|"]  # fmt: skip
    for name, res in results["sets"].items():
        for margin, m in res["margins"].items():
            a, b = m["metrics"]["reference"], m["metrics"]["candidate"]
            for metric in a:
                first = metric == next(iter(a))
                lead = f"| {name} | {margin} | {res['lines']} | {m['same']:.1%} |" if first else (
                    "| | | | |"
                )
                lines.append(f"{lead} {metric} | {a[metric]} | {b[metric]} |")
    lines += ["", f"All sets: {results['same']:.2%} of {results['lines']} line outputs the "
              f"same (every set, every margin).", ""]  # fmt: skip
    for name, res in results["sets"].items():
        for margin, m in res["margins"].items():
            for d in m["differ"]:
                lines += [f"- {name} line {d['line']} (margin {margin})",
                          f"  - MT: {d['mt']}", f"  - {ref}: {d['reference']}",
                          f"  - {cand}: {d['candidate']}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, required=True, help="float32 caches")
    parser.add_argument("--candidate", type=Path, required=True, help="the other engine's")
    parser.add_argument("--labels", default="float32,bfloat16", help="the two engines' names")
    parser.add_argument("--sets", default="jfleg,ru-en,ro-en,et-en,si-en,ne-en,wmt21-ref,wmt16")
    parser.add_argument("--limit", type=int, help="only the first N lines of each set")
    parser.add_argument("--set-limit", help="per set, e.g. jfleg=754,wmt16=560")
    parser.add_argument("--low", type=float, default=LOW, help="the caches' low margin")
    parser.add_argument("--margins", default=",".join(f"{m:g}" for m in MARGINS))
    parser.add_argument("--out", help="write <stem>.json and <stem>.md")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    margins = [float(m) for m in args.margins.split(",")]
    sets = chosen(data_dir(), args.sets)
    limits = set_limits(args, list(sets))
    results: dict = {"sets": {}}
    for name, spec in sets.items():
        data = load_set(spec, limits[name])
        caches = {}
        for role, folder in (("reference", args.reference), ("candidate", args.candidate)):
            records = read_cache(cache_path(name, args.low, False, folder))[1]
            missing = [i for i in range(len(data["mt"])) if i not in records]
            if missing:
                sys.exit(f"{name}: {len(missing)} lines missing from the {role} cache {folder}")
            caches[role] = records
        results["sets"][name] = compare_set(name, data, spec["tok"], caches, margins)
    counts = [(m["same"], r["lines"]) for r in results["sets"].values()
              for m in r["margins"].values()]  # fmt: skip
    results["lines"] = sum(n for _, n in counts)
    results["same"] = round(sum(s * n for s, n in counts) / results["lines"], 4)
    text = markdown(results, tuple(args.labels.split(",")))
    print(text)
    if args.out:
        write_results(results_stem(args.out), results, text)


if __name__ == "__main__":
    main()

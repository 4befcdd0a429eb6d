"""How often detection flags a sentence for rewriting: the seed's awkward sentences
(should be flagged) and human-written news (should mostly not be).

    python eval/flag_rate.py [--limit N] [--no-fluency]

Prints the seed hits, then the share of WMT21 ru-en reference A segments (human news)
and of one MT system's outputs that carry at least one rewrite finding, and the share
with any sentence finding (review-only ones included).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, data_dir, read_lines

from mtfix.pipeline import Options, Pipeline, targets, targets_of
from mtfix.read import read_line, read_path

SEED_AWKWARD = (
    "Lavrov will discuss with de Mistura, the implementation",
    "The start of a political process in Syria",
    "Visit de Mistura in Moscow",
    "The results of the multilateral meeting on 30 October",
    "One of the main tasks de Mistura",
    "Expected to start work in this direction",
    "Partly on the efforts of the UN envoy",
    "However, the Russian foreign Ministry repeatedly stated",
    "In Vienna, it was agreed",
    "Contacts de Mistura in Moscow and Damascus",
    "As noted by the official representative",
    "Discussion of the results of the efforts of de Mistura",
)


def flagged_lines(
    pipeline: Pipeline, lines: list[str], chunk: int = 64
) -> tuple[int, int, Counter]:
    """How many lines carry a rewrite finding, how many any sentence finding (review ones
    included), and which rules sent lines to the rewriter."""
    flagged, noted, rules = 0, 0, Counter()
    threshold = pipeline.options.min_confidence
    for start in range(0, len(lines), chunk):
        analyses = [pipeline.analyse(read_line(x)) for x in lines[start : start + chunk]]
        for analysis, findings in zip(analyses, pipeline.detect_many(analyses), strict=True):
            noted += any(f.kind == "sentence" for f in findings)
            if targets(analysis, findings, threshold):
                flagged += 1
                rules.update(f"{f.detector}:{f.rule}" for f in targets_of(findings, threshold))
    return flagged, noted, rules


def seed_hits(pipeline: Pipeline) -> dict[str, bool]:
    """Which of the seed's twelve awkward sentences are sent to the rewriter."""
    analysis = pipeline.analyse(read_path(str(ROOT / "samples/lavrov-de-mistura.mt.txt")))
    chosen = targets(analysis, pipeline.detect(analysis), pipeline.options.min_confidence)
    return {s: any(t.text.startswith(s) for t in chosen) for s in SEED_AWKWARD}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N segments of each set")
    parser.add_argument("--no-fluency", action="store_true")
    parser.add_argument("--system", default="Online-W", help="WMT21 system whose MT to count")
    args = parser.parse_args()
    options = Options(rewrite=False, checker="offline", fluency=not args.no_fluency, document=False)
    pipeline = Pipeline(options)
    print("\n".join(pipeline.stages.notices), file=sys.stderr)
    hits = seed_hits(pipeline)
    for start, hit in hits.items():
        print(f"seed {'FLAGGED' if hit else 'missed '}  {start} ...")
    wmt = data_dir() / "wmt21-ru-en/txt"
    sets = {
        "wmt21 ref A (human)": wmt / "references/newstest2021.ru-en.ref.A.en",
        f"wmt21 {args.system} (MT)": wmt
        / f"system-outputs/newstest2021.ru-en.hyp.{args.system}.en",
    }
    result = {"seed_flagged": sum(hits.values()), "seed_total": len(hits)}
    for name, path in sets.items():
        lines = read_lines(path, args.limit)
        start = time.perf_counter()
        flagged, noted, rules = flagged_lines(pipeline, lines)
        seconds = time.perf_counter() - start
        share = flagged / len(lines)
        rate = len(lines) / seconds
        print(f"{name}: {flagged}/{len(lines)} flagged = {share:.1%} ({rate:.1f} seg/s); "
              f"{noted} = {noted / len(lines):.1%} with any sentence finding")  # fmt: skip
        print("  by rule:", dict(rules.most_common(12)))
        result[name] = {"flagged": flagged, "total": len(lines), "rate": round(share, 4),
                        "any_finding": round(noted / len(lines), 4)}  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()

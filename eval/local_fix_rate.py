"""How often the local repairs (parser rules' fixes, checker replacements) change human news.

    python eval/local_fix_rate.py [--limit N] [--no-fluency]

Runs mtfix with ``--no-model`` over WMT21 ru-en reference A (human translations of news:
they should almost never need a fix), prints the share of changed sentences and lists
each change with its sources. The target is at most 1%.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir, read_lines

from mtfix.output.diff import plain_diff, word_diff
from mtfix.pipeline import Options, Pipeline
from mtfix.score.evaluate import repair_lines

REF_A = "wmt21-ru-en/txt/references/newstest2021.ru-en.ref.A.en"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N lines")
    parser.add_argument("--no-fluency", action="store_true", help="parser rules and checker only")
    args = parser.parse_args()
    lines = read_lines(data_dir() / REF_A, args.limit)
    options = Options(use_model=False, fluency=not args.no_fluency, checker="offline")
    pipeline = Pipeline(replace(options, document=False))  # a line is not an article
    outputs, _, reports = repair_lines(pipeline, lines, progress=sys.stderr.isatty())
    changed = [i for i, (a, b) in enumerate(zip(lines, outputs, strict=True)) if a != b]
    for i in changed:
        sources = sorted({e.source for e in reports[i].edits if e.accepted})
        print(f"{i + 1}: [{', '.join(sources)}] {plain_diff(word_diff(lines[i], outputs[i]))}")
    share = len(changed) / len(lines)
    print(f"local fixes changed {len(changed)}/{len(lines)} = {share:.1%} of human news sentences "
          f"(WMT21 ru-en ref A; target at most 1%)")  # fmt: skip


if __name__ == "__main__":
    main()

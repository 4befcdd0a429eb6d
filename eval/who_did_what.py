"""The search on good sentences with unusual but true subjects: what each profile changes.

    python eval/who_did_what.py [--profiles news,learner] [--out STEM]

Runs the whole pipeline (the LM search, the offline checker) on every sentence of
``tests/data/who-did-what.txt`` and prints, per profile, the sentences it changed, the
steps, and how many were reordered or had a verb's arguments reassigned (must be 0).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT

from mtfix.guard.roles import reassigned
from mtfix.output.diff import plain_diff, word_diff
from mtfix.pipeline import Options, Pipeline
from mtfix.read import read_line

FILE = ROOT / "tests" / "data" / "who-did-what.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="news,learner")
    parser.add_argument("--out", help="also write the lines to this file")
    args = parser.parse_args()
    good = [x.strip() for x in FILE.read_text().splitlines() if x.strip() and x[0] != "#"]
    lines = [f"{len(good)} good sentences ({FILE.relative_to(ROOT)})"]
    for profile in args.profiles.split(","):
        pipeline = Pipeline(Options(profile=profile, checker="offline", document=False))
        reports = pipeline.fix_many([read_line(s) for s in good])
        changed = [(s, r) for s, r in zip(good, reports, strict=True) if r.output != s]
        moved = [s for s, r in changed if any(st.source == "lm:order" for e in r.accepted
                                              for st in e.steps)]  # fmt: skip
        swapped = [s for s, r in changed if reassigned(pipeline.nlp(s), pipeline.nlp(r.output))]
        lines.append(f"\n{profile}: {len(changed)} changed, {len(moved)} reordered, "
                     f"{len(swapped)} with arguments reassigned")  # fmt: skip
        for sentence, report in changed:
            steps = ", ".join(f"{st.source} {st.gain:+.1f}" for e in report.accepted
                              for st in e.steps if st.gain is not None)  # fmt: skip
            lines.append(f"- {plain_diff(word_diff(sentence, report.output))}  [{steps}]")
    print("\n".join(lines))
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

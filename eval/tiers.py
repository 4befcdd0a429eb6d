"""Applied edits and suggestions on the reporting halves of the dev sets (issue 36).

    python eval/tiers.py [--sets ru-en,et-en,...] [--per-set N] [--out STEM] [--fresh]

Each dev set is split once, the same way for every script: MLQE-PE dev, JFLEG dev and WMT16
by line (even lines, counted from 0, are the tuning half; odd lines the reporting half),
WMT21 reference A by document (the XML's documents in order: even ones tune, odd ones
report). This script reads the *reporting* half only (the first ``--per-set`` lines of it),
runs ``mtfix eval``'s pipeline (a line is an article, the offline checker) under the
default profile (JFLEG: ``--profile learner``) and caches each line's output, its output
with the suggestions taken, and the steps of both, one JSON line per line
(``~/.cache/mtfix/tiers/<set>-<profile>.jsonl``; a rerun resumes, ``--fresh`` starts over).

It prints and writes (``eval/results/<STEM>.md`` and ``.json``) per set: the share of lines
changed, TER against the post-edit / reference (JFLEG: GLEU) for the MT, the output and the
output with the suggestions, how many changed lines move toward the human text and how many
away (applied, and the suggestions on top), the share of ru-en lines whose post-edit equals
the MT left alone, WMT16's changes per DA quartile (Q1: the worst MT), every changed WMT21
line, and a seeded random sample of 30 applied edits and 30 suggestions to read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, data_dir
from margin_replay import quartile_changes, share
from search_sets import REF_A, chosen, load_set, one_line_articles

from mtfix.output.compose import with_suggestions
from mtfix.score.evaluate import line_outputs
from mtfix.score.toward import verdict_counts

SETS = "ru-en,et-en,ro-en,ne-en,si-en,wmt21-ref,wmt16,jfleg"
CACHE = Path.home() / ".cache" / "mtfix" / "tiers"
SAMPLE = 30
SEED = 36


def reporting_half(name: str, n: int) -> list[int]:
    """The reporting half's line numbers (0-based) of a set of ``n`` lines."""
    if name != "wmt21-ref":
        return list(range(1, n, 2))
    from style_wmt21 import XML, documents

    lines, at = [], 0
    for k, versions in enumerate(documents(data_dir() / XML).values()):
        size = len(versions["ref-A"])
        if k % 2:
            lines += range(at, min(at + size, n))
        at += size
    return lines


def tuning_half(name: str, n: int) -> list[int]:
    """The other half: the lines a threshold or a rule may be chosen on."""
    report = set(reporting_half(name, n))
    return [i for i in range(n) if i not in report]


def record(i: int, report) -> dict:
    """What the cache keeps of line ``i``'s report."""
    steps = lambda edits: [[s.source, s.gain, s.before, s.after] for e in edits for s in e.steps]  # noqa: E731
    return {"i": i, "input": report.article.text, "output": report.output,
            "suggested": with_suggestions(report), "applied": steps(report.accepted),
            "suggestions": steps(report.suggestions)}  # fmt: skip


def run_set(name: str, plain: list[str], lines: list[int], fresh: bool) -> dict[int, dict]:
    """Every chosen line's record, computed where the cache lacks it."""
    profile = "learner" if name == "jfleg" else "news"
    path = CACHE / f"{name}-{profile}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh and path.exists():
        path.unlink()
    done = {}
    if path.exists():
        for raw in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(raw)
            if rec["i"] < len(plain) and rec["input"].strip() == plain[rec["i"]].strip():
                done[rec["i"]] = rec
    todo = [i for i in lines if i not in done]
    if todo:
        from mtfix.pipeline import Options, Pipeline

        pipeline = Pipeline(Options(checker="offline", document=False, style=False,
                                    profile=profile))  # fmt: skip
        with path.open("a", encoding="utf-8") as out:
            for k in range(0, len(todo), 16):
                chunk = todo[k : k + 16]
                reports = pipeline.fix_many(one_line_articles([plain[i] for i in chunk]))
                for i, report in zip(chunk, reports, strict=True):
                    done[i] = record(i, report)
                    out.write(json.dumps(done[i], ensure_ascii=False) + "\n")
                out.flush()
                print(f"  {name}: {k + len(chunk)}/{len(todo)}", file=sys.stderr, flush=True)
    return {i: done[i] for i in lines}


def figures(name: str, data: dict, recs: dict[int, dict], tok: bool) -> dict:
    """The set's figures on its reporting half."""
    from sacrebleu.metrics import TER

    from mtfix.score.gleu import GLEU

    lines = sorted(recs)
    mt = [data["mt"][i] for i in lines]
    refs = [[r[i] for i in lines] for r in data["refs"]]
    out_lines = line_outputs(mt, [SimpleNamespace(output=recs[i]["output"]) for i in lines], tok)
    sug_lines = line_outputs(mt, [SimpleNamespace(output=recs[i]["suggested"]) for i in lines],
                             tok)  # fmt: skip
    changed = [o != m for o, m in zip(out_lines, mt, strict=True)]
    further = sum(s != o for s, o in zip(sug_lines, out_lines, strict=True))
    fig: dict = {"lines": len(lines), "changed": share(changed), "suggested_lines": further}
    if refs:
        fig["applied"] = verdict_counts(mt, out_lines, refs)
        fig["suggestions"] = verdict_counts(out_lines, sug_lines, refs)
        sides = (("mt", mt), ("applied", out_lines), ("suggested", sug_lines))
        for key, hyp in sides:
            if name == "jfleg":
                fig[f"gleu_{key}"] = round(GLEU().corpus_score(hyp, mt, refs), 2)
            else:
                fig[f"ter_{key}"] = round(TER().corpus_score(hyp, refs).score, 2)
    if name.endswith("-en") and refs:
        clean = [c for c, m, pe in zip(changed, mt, refs[0], strict=True) if m == pe]
        fig["untouched_when_pe_eq_mt"] = round(1 - share(clean), 4) if clean else None
    if data["da"]:
        fig |= quartile_changes([data["da"][i] for i in lines], changed)
    return fig


def sample(recs: dict[str, dict[int, dict]], key: str) -> list[tuple[str, int, list]]:
    """A seeded random sample of lines with ``key`` steps (applied or suggestions)."""
    pool = [(name, i, r[key]) for name, rs in recs.items() for i, r in rs.items() if r[key]]
    return random.Random(SEED).sample(pool, min(SAMPLE, len(pool)))


def markdown(figs: dict, recs: dict[str, dict[int, dict]]) -> str:
    """The tables, the changed WMT21 lines and the samples to read."""
    out = ["# Applied edits and suggestions, reporting halves", "", "```json",
           json.dumps(figs, indent=1), "```", ""]  # fmt: skip
    for name in ("wmt21-ref",):
        for i, r in sorted(recs.get(name, {}).items()):
            if r["output"].strip() != r["input"].strip():
                out.append(f"- {name} line {i + 1}: {r['input'].strip()} -> {r['output'].strip()}")
    for key in ("applied", "suggestions"):
        out += ["", f"## {SAMPLE} random lines with {key} steps (seed {SEED})", ""]
        for name, i, steps in sample(recs, key):
            line = recs[name][i]
            shown = "; ".join(f"{src} {g if g is None else round(g, 1)}: {b!r} -> {a!r}"
                              for src, g, b, a in steps)  # fmt: skip
            out.append(f"- {name} {i + 1}: {line['input'].strip()}\n  - {shown}")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=SETS)
    parser.add_argument("--per-set", type=int, default=200, help="reporting lines per set")
    parser.add_argument("--out", default=f"tiers-{dt.date.today()}")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    specs = chosen(data_dir(), args.sets)
    assert REF_A in str(specs.get("wmt21-ref", {"mt": REF_A})["mt"])
    figs, recs = {}, {}
    for name, spec in specs.items():
        data = load_set(spec, None)
        lines = reporting_half(name, len(data["mt"]))[: args.per_set]
        recs[name] = run_set(name, data["plain"], lines, args.fresh)
        figs[name] = figures(name, data, recs[name], spec["tok"])
        print(name, json.dumps(figs[name]), flush=True)
    stem = ROOT / "eval" / "results" / args.out
    stem.with_suffix(".json").write_text(json.dumps(figs, indent=1) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(figs, recs), encoding="utf-8")
    print(f"wrote {stem}.md and .json")


if __name__ == "__main__":
    main()

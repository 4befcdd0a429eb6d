"""Repair quality on the dev sets: the combined choice beside the model alone and the local
fixes alone, all through the guard, each scored as ``mtfix eval`` scores it.

    python eval/bench_repair.py [--limit N] [--only NAME] [--configs combined,model,local]
                                [--model DIR] [--no-fluency] [--n-best N]
                                [--changes FILE]

Sets: MLQE-PE dev ru/et/ro/ne/si-en (MT vs post-edit) and JFLEG dev (4 references).
Detection runs once per set and every configuration repairs from it; the model's rewrite
of a text is computed once. Prints one line per set and configuration and writes
``eval/results/repair-<date>.{json,md}``; ``--changes`` also lists every changed line
(set, config, TER edits gained against the first reference, the line, its repair, the
reference) as TSV.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import RESULTS, benchmark_sets
from common import data_dir, ter_edits

from mtfix.pipeline import Options, Pipeline, targets_of
from mtfix.read import read_line
from mtfix.read.corpus import read_lines
from mtfix.rewrite import ScoringRewriter
from mtfix.score.evaluate import Corpus, line_outputs, plain_lines, score

CONFIGS = {
    "combined": {"use_model": True, "local_fixes": True},  # the default
    "model": {"use_model": True, "local_fixes": False},
    "local": {"use_model": False, "local_fixes": True},  # --no-model
}
CHUNK = 64


class CachedRewriter:
    """A rewriter that computes each distinct text once."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.cache, self.preferences = inner, inner.name, {}, {}

    def rewrite(self, texts: list[str]) -> list[str]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        self.cache.update(zip(todo, self.inner.rewrite(todo) if todo else [], strict=True))
        return [self.cache[t] for t in texts]

    def rewrite_n(self, texts: list[str], n: int) -> list[list[str]]:
        """The n-best (``--n-best``), each distinct text once (the best alone where the
        backend has no beam search)."""
        if not hasattr(self.inner, "rewrite_n"):
            return [[r] for r in self.rewrite(texts)]
        todo = [t for t in dict.fromkeys(texts) if (t, n) not in self.cache]
        found = self.inner.rewrite_n(todo, n) if todo else []
        self.cache.update(zip([(t, n) for t in todo], found, strict=True))
        return [self.cache[t, n] for t in texts]


class CachedScoringRewriter(CachedRewriter):
    """... and each distinct preference (the choice needs it: a plain wrapper hides it)."""

    def preference(self, sources: list[str], rewrites: list[str]) -> list[float]:
        pairs = list(zip(sources, rewrites, strict=True))
        todo = [p for p in dict.fromkeys(pairs) if p not in self.preferences]
        if todo:
            scores = self.inner.preference([s for s, _ in todo], [r for _, r in todo])
            self.preferences.update(zip(todo, scores, strict=True))
        return [self.preferences[p] for p in pairs]


def repair_set(
    pipeline: Pipeline, spec: dict, configs: list[str], limit: int | None
) -> tuple[dict, dict[str, list[str]]]:
    """Every configuration's scores on one set, and each configuration's output lines."""
    mt = read_lines(str(spec["mt"]))[:limit]
    refs = [read_lines(str(r))[:limit] for r in spec["refs"]]
    plain, base = plain_lines(mt, spec["tok"]), pipeline.options
    reports: dict[str, list] = {c: [] for c in configs}
    seconds = dict.fromkeys(["detect", *configs], 0.0)
    for k in range(0, len(plain), CHUNK):
        start = time.perf_counter()
        analyses, findings = pipeline.find([read_line(x) for x in plain[k : k + CHUNK]], {})
        seconds["detect"] += time.perf_counter() - start
        for config in configs:
            start = time.perf_counter()
            pipeline.options = replace(base, **CONFIGS[config])
            reports[config] += pipeline.repair(analyses, findings, {})
            seconds[config] += time.perf_counter() - start
    pipeline.options = base
    flagged = [bool(targets_of(r.findings, base.min_confidence)) for r in reports[configs[0]]]
    out = {"lines": len(mt), "flagged": sum(flagged), "seconds": {}}
    lines = {}
    for config in configs:
        outputs = lines[config] = line_outputs(mt, reports[config], spec["tok"])
        result = score(Corpus(mt, refs), outputs, flagged, errant=False)
        edits = [e for r in reports[config] for e in r.edits if e.accepted]
        out[config] = {
            "metrics": {n: {"before": m.before, "after": m.after, "delta": m.delta}
                        for n, m in result.metrics.items()},
            "behaviour": result.behaviour,
            "accepted": {kind: sum(e.kind == kind for e in edits)
                         for kind in ("fix", "combined", "model")},
        }  # fmt: skip
    out["seconds"] = {k: round(v, 1) for k, v in seconds.items()}
    return out, lines


def changed_rows(
    name: str, spec: dict, lines: dict[str, list[str]], limit: int | None
) -> list[str]:
    """TSV rows of the lines a configuration changed, with the TER edits each one gains."""
    from sacrebleu.metrics import TER

    ter = TER()
    mt, ref = read_lines(str(spec["mt"]))[:limit], read_lines(str(spec["refs"][0]))[:limit]
    rows = []
    for config, outputs in lines.items():
        for src, out, r in zip(mt, outputs, ref, strict=True):
            if out != src:
                gain = ter_edits(ter, out, r) - ter_edits(ter, src, r)
                rows.append("\t".join([name, config, f"{gain:+g}", src, out, r]))
    return rows


def summary_line(name: str, config: str, data: dict) -> str:
    m, b = data[config]["metrics"], data[config]["behaviour"]
    parts = [f"{k} {m[k]['before']:.2f}->{m[k]['after']:.2f} ({m[k]['delta']:+.2f})"
             for k in ("ter", "bleu", "gleu") if k in m]  # fmt: skip
    kept = f"{b['no_fix_needed_untouched']:.1%} of {int(b['no_fix_needed'])}"
    return (
        f"{name} [{config}]: " + ", ".join(parts) + f"; changed {b['changed']:.1%}; "
        f"left alone when no fix needed: {kept}; accepted {data[config]['accepted']}"
    )


def markdown(results: dict, notices: list[str]) -> str:
    lines = ["| set | config | TER | BLEU | chrF | GLEU | changed | untouched (no fix needed) |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, data in results.items():
        for config in (c for c in CONFIGS if c in data):
            m, b = data[config]["metrics"], data[config]["behaviour"]
            cells = [f"{m[k]['after']:.2f} ({m[k]['delta']:+.2f})" for k in
                     ("ter", "bleu", "chrf", "gleu")]  # fmt: skip
            lines.append(
                f"| {name} | {config} | "
                + " | ".join(cells)
                + f" | {b['changed']:.1%} | {b['no_fix_needed_untouched']:.1%} |"
            )
    return "\n".join(lines) + "\n\nRun notes:\n" + "\n".join(f"- {n}" for n in notices) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N lines of each set")
    parser.add_argument(
        "--only",
        help="only the sets whose name contains one of these (comma-separated), in that order",
    )
    parser.add_argument("--configs", default="combined,model,local")
    parser.add_argument("--model", help="rewriting model (default: the shipped one)")
    parser.add_argument("--no-fluency", action="store_true")
    parser.add_argument("--n-best", type=int, default=1, help="model rewrites per sentence")
    parser.add_argument("--out", help="results stem (default eval/results/repair-<date>)")
    parser.add_argument("--changes", type=Path, help="list every changed line here (TSV)")
    args = parser.parse_args()
    configs = args.configs.split(",")
    options = Options(
        model=args.model, fluency=not args.no_fluency, checker="offline", n_best=args.n_best
    )
    pipeline = Pipeline(replace(options, document=False))
    inner = pipeline.stages.rewriter
    if inner is not None:
        scoring = isinstance(inner, ScoringRewriter)
        pipeline.stages.rewriter = (CachedScoringRewriter if scoring else CachedRewriter)(inner)
    notices = [*pipeline.stages.notices, f"limit: {args.limit or 'none'}", f"configs: {configs}",
               f"n-best: {args.n_best}"]  # fmt: skip
    results = {}
    stem = Path(args.out) if args.out else RESULTS / f"repair-{dt.date.today().isoformat()}"
    changes: list[str] = []
    for name, spec in chosen_sets(args.only):
        results[name], lines = repair_set(pipeline, spec, configs, args.limit)
        if args.changes:
            changes += changed_rows(name, spec, lines, args.limit)
            args.changes.write_text("".join(f"{row}\n" for row in changes), encoding="utf-8")
        for config in configs:
            print(summary_line(name, config, results[name]), flush=True)
        print(f"{name}: seconds {results[name]['seconds']}", flush=True)
        write(stem, results, notices)  # after every set: a long run keeps what it measured
    print(f"wrote {stem}.json and {stem}.md")


def chosen_sets(only: str | None) -> list[tuple[str, dict]]:
    """The MLQE-PE and JFLEG sets, all or those ``only`` names, in its order."""
    sets = [(n, s) for n, s in benchmark_sets(data_dir()).items() if "wmt21" not in n]
    if not only:
        return sets
    return [(n, s) for part in only.split(",") for n, s in sets if part in n]


def write(stem: Path, results: dict, notices: list[str]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"notices": notices, "sets": results}
    stem.with_suffix(".json").write_text(json.dumps(data, indent=2))
    stem.with_suffix(".md").write_text(markdown(results, notices))


if __name__ == "__main__":
    main()

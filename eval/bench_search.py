"""The search's speed: sentences searched per second, and where the time goes.

    python eval/bench_search.py [--set jfleg] [--limit N] [--batch N] [--all]
                                [--margin NATS] [--warmup N] [--out STEM]

Runs the pipeline as ``mtfix eval`` does on a line-aligned set (one-line articles, no
document detector, the offline checker), ``--batch`` lines per ``fix_many`` call, with
``torch.set_num_threads(2)`` and after a warm-up on lines the measurement does not read
(the set's last ``--warmup`` lines: the fluency scores are cached per text). Prints lines,
sentences in the input and sentences searched per second (flagged ones, or every sentence
with ``--all``), wall time per sentence, the seconds of each stage and of each part of the
search (the reports' ``repair.*`` timings), the rounds each searched sentence stayed open
and the steps accepted per kind. Sets: jfleg, ru-en, et-en, ro-en, ne-en, si-en, wmt21-ref,
wmt16. ``--out`` writes ``<stem>.json`` and ``<stem>.md`` (a bare name: under eval/results/).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

# torch's OpenMP threads spin while they wait: while anything else runs on the 2 cores a
# 2-thread forward took 10x longer (7.4 s, not 0.8). Waiting passively costs nothing
# measurable on an idle machine; OMP_WAIT_POLICY=ACTIVE lets them spin.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir
from search_sets import chosen, kind_of, load_set, one_line_articles, results_stem, write_results

from mtfix.pipeline import Options, Pipeline

BATCH_KEYS = ("analyse", "detect", "repair")  # the batch's, the same in each of its reports
REPORT_KEYS = ("compose", "check")  # each report's own
SEARCH_KEYS = ("propose", "lm_pass", "propose_words", "estimate", "rescore", "rescore_exact",
               "guard")  # fmt: skip


class Probe:
    """Counts what the search does, by wrapping ``Search.run`` of the pipeline's repairer:
    sentences searched and, per sentence, the rounds it stayed open."""

    def __init__(self, search) -> None:
        self.search, self.inner = search, search.run
        self.sentences, self.rounds = 0, Counter()
        search.run = self.run

    def run(self, sentences, *rest):
        outcomes = self.inner(sentences, *rest)
        most = self.search.config.max_rounds
        self.sentences += len(sentences)
        self.rounds.update(min(len(o.steps) + 1, most) for o in outcomes)
        return outcomes

    def reset(self) -> None:
        self.sentences, self.rounds = 0, Counter()


def measure(pipeline: Pipeline, lines: list[str], batch: int) -> dict:
    """Repair ``lines`` in batches: wall seconds, stage seconds, counts of what was done."""
    seconds: Counter = Counter()
    steps: Counter = Counter()
    wall, sentences, changed = 0.0, 0, 0
    for k in range(0, len(lines), batch):
        articles = one_line_articles(lines[k : k + batch])
        start = time.perf_counter()
        reports = pipeline.fix_many(articles)
        wall += time.perf_counter() - start
        first = reports[0].timings
        seconds.update({key: v for key, v in first.items()
                        if key in BATCH_KEYS or key.startswith("repair.")})  # fmt: skip
        for report in reports:
            seconds.update({key: report.timings.get(key, 0.0) for key in REPORT_KEYS})
            sentences += len(report.article.sentences())
            changed += report.output != report.article.text
            steps.update(kind_of(st.source) for e in report.edits
                         if e.accepted for st in e.steps)  # fmt: skip
    return {"wall": wall, "seconds": dict(seconds), "sentences": sentences,
            "changed_lines": changed, "steps": dict(steps)}  # fmt: skip


def figures(run: dict, probe: Probe, lines: int, batch: int) -> dict:
    """The rates, the time per sentence, where the time went, the rounds."""
    wall, searched, inputs = run["wall"], probe.sentences, run["sentences"]
    rounds = sum(n * c for n, c in probe.rounds.items())
    return {
        "lines": lines, "batch": batch, "wall_s": round(wall, 2),
        "sentences_in_input": inputs, "sentences_searched": searched,
        "lines_per_s": round(lines / wall, 3),
        "input_sentences_per_s": round(inputs / wall, 3),
        "searched_sentences_per_s": round(searched / wall, 3),
        "ms_per_input_sentence": round(1000 * wall / max(inputs, 1), 1),
        "ms_per_searched_sentence": round(1000 * wall / max(searched, 1), 1),
        "rounds_per_searched_sentence": round(rounds / max(searched, 1), 2),
        "rounds_histogram": dict(sorted(probe.rounds.items())),
        "changed_lines": run["changed_lines"],
        "steps_accepted": dict(sorted(run["steps"].items(), key=lambda kv: -kv[1])),
        "seconds": breakdown(run["seconds"], wall),
    }  # fmt: skip


def breakdown(seconds: dict[str, float], wall: float) -> dict[str, dict[str, float]]:
    """Seconds and share of the wall time per stage; the search's parts under ``repair.``,
    and what the repair spent outside them (fixes, a model, the outcome) as ``repair.other``."""
    rows = {k: seconds.get(k, 0.0) for k in (*BATCH_KEYS, *REPORT_KEYS)}
    parts = {f"repair.{k}": seconds.get(f"repair.{k}", 0.0) for k in SEARCH_KEYS}
    parts |= {k: v for k, v in seconds.items() if k.startswith("repair.") and k not in parts}
    parts["repair.other"] = max(rows["repair"] - sum(parts.values()), 0.0)
    rows |= parts
    rows["outside stages"] = max(wall - sum(rows[k] for k in (*BATCH_KEYS, *REPORT_KEYS)), 0.0)
    return {k: {"s": round(v, 2), "share": round(v / wall, 3)} for k, v in rows.items()}


def summary(name: str, mode: str, f: dict) -> list[str]:
    """The printed lines."""
    out = [
        f"{name} [{mode}, batch {f['batch']}]: {f['lines']} lines, {f['sentences_in_input']} "
        f"sentences, {f['sentences_searched']} searched, {f['wall_s']} s",
        f"  {f['input_sentences_per_s']} sentences in input/s, "
        f"{f['searched_sentences_per_s']} sentences searched/s, {f['lines_per_s']} lines/s",
        f"  {f['ms_per_input_sentence']} ms per input sentence, "
        f"{f['ms_per_searched_sentence']} ms per searched sentence",
        f"  rounds per searched sentence {f['rounds_per_searched_sentence']} "
        f"(histogram {f['rounds_histogram']}); changed lines {f['changed_lines']}",
        f"  steps accepted per kind: {f['steps_accepted']}",
        "  where the time goes (s, share of wall):",
    ]
    out += [f"    {k:<22} {v['s']:>8.2f}  {v['share']:>6.1%}" for k, v in f["seconds"].items()]
    return out


def markdown(name: str, mode: str, f: dict, notices: list[str]) -> str:
    """The figures as Markdown."""
    rows = ["| figure | value |", "|---|---:|"]
    rows += [f"| {k} | {f[k]} |" for k in ("lines", "batch", "sentences_in_input",
             "sentences_searched", "wall_s", "input_sentences_per_s", "searched_sentences_per_s",
             "lines_per_s", "ms_per_input_sentence", "ms_per_searched_sentence",
             "rounds_per_searched_sentence", "changed_lines")]  # fmt: skip
    rows += ["", "| stage | seconds | share of wall |", "|---|---:|---:|"]
    rows += [f"| {k} | {v['s']:.2f} | {v['share']:.1%} |" for k, v in f["seconds"].items()]
    rows += ["", "| steps accepted, kind | count |", "|---|---:|"]
    rows += [f"| {k} | {v} |" for k, v in f["steps_accepted"].items()]
    notes = "\n".join(f"- {n}" for n in notices)
    return f"# Search speed: {name} ({mode})\n\n" + "\n".join(rows) + f"\n\nRun notes:\n{notes}\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="jfleg", help="which set (default jfleg)")
    parser.add_argument("--limit", type=int, default=100, help="lines measured (default 100)")
    parser.add_argument("--batch", type=int, default=16, help="lines per fix_many call")
    parser.add_argument("--all", action="store_true", help="search every sentence")
    parser.add_argument("--margin", type=float, help="nats (default: the calibrated MARGIN)")
    parser.add_argument("--warmup", type=int, default=8, help="warm-up lines (from the end)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    parser.add_argument("--out", help="write <stem>.json and <stem>.md")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    import torch

    torch.set_num_threads(args.threads)
    name, spec = next(iter(chosen(data_dir(), args.set).items()))
    lines = load_set(spec, None)["plain"]
    measured, warm = lines[: args.limit], lines[len(lines) - args.warmup :]
    if args.limit + args.warmup > len(lines):
        sys.exit(f"{name} has {len(lines)} lines: --limit plus --warmup must not exceed it")
    options = Options(checker="offline", document=False, search_all=args.all, margin=args.margin)
    pipeline = Pipeline(options)
    probe = Probe(pipeline.repairer().search)
    measure(pipeline, warm, args.batch)
    probe.reset()
    found = figures(measure(pipeline, measured, args.batch), probe, len(measured), args.batch)
    mode = "every sentence" if args.all else "flagged only"
    margin = pipeline.repairer().search.config.margin
    notices = [*pipeline.notices(), f"margin {margin}", f"torch threads {args.threads}",
               f"warm-up {args.warmup} lines",
               f"OMP_WAIT_POLICY {os.environ['OMP_WAIT_POLICY']}"]  # fmt: skip
    print("\n".join(summary(name, mode, found)))
    if args.out:
        stem = results_stem(args.out)
        data = {"set": name, "mode": mode, "notices": notices, "figures": found}
        write_results(stem, data, markdown(name, mode, found, notices))
        print(f"wrote {stem}.json and {stem}.md")


if __name__ == "__main__":
    main()

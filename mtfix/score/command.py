"""``mtfix eval``: score MT before and after repair against references."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from mtfix.pipeline import Options, Pipeline
from mtfix.score.evaluate import edit_sources, grammar_counts, load_corpus, repair_lines, score


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``mtfix eval`` (the repair options are added by the CLI)."""
    parser.add_argument("--mt", required=True, help="MT output, one segment per line")
    parser.add_argument("--ref", action="append", required=True, help="reference file (repeatable)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--hyp", help="score this already-repaired file instead of repairing")
    source.add_argument("--save", metavar="FILE", help="keep the repaired lines in FILE")
    parser.add_argument("--report", metavar="HTML", help="write the HTML report here")
    parser.add_argument("--json", metavar="FILE", dest="json_path", help="write the JSON here")
    parser.add_argument("--limit", type=int, help="score only the first N lines")
    parser.add_argument(
        "--tokenized", action="store_true",
        help="Moses-tokenized data (MLQE-PE): detokenize to repair, score in the data's tokens",
    )  # fmt: skip
    parser.add_argument("--no-errant", action="store_true", help="skip ERRANT (slow on big sets)")


def run_eval(args: argparse.Namespace, options: Options) -> int:
    """Repair (or read) the hypothesis, score it, print the table, write the reports."""
    from mtfix.output.files import write_atomic
    from mtfix.score.report import write_report

    corpus = load_corpus(args.mt, args.ref, args.hyp, args.limit)
    pipeline = Pipeline(replace(options, document=False))
    try:
        if corpus.hyp is not None:
            outputs, flagged, sources = corpus.hyp, None, None
        else:
            outputs, flagged, reports = repair_lines(
                pipeline, corpus.mt, tokenized=args.tokenized, progress=sys.stderr.isatty()
            )
            sources = edit_sources(reports)
            if args.save:
                write_atomic(args.save, "".join(line + "\n" for line in outputs))
        grammar = grammar_counts(pipeline.stages.checker, corpus.mt, outputs)
    finally:
        pipeline.close()
    meta = {"mt": args.mt, "refs": ", ".join(args.ref), "lines": len(corpus.mt)}
    result = score(
        corpus, outputs, flagged, grammar=grammar, errant=not args.no_errant, meta=meta,
        sources=sources,
    )  # fmt: skip
    print_table(result.metrics)
    write_report(result, args.report, args.json_path)
    return 0


def print_table(metrics: dict) -> None:
    """The metrics as a plain table on stdout."""
    print(f"{'metric':<12}{'before':>10}{'after':>10}{'delta':>10}  p-value")
    for name, m in metrics.items():
        p = m.extra.get("p_value", "")
        print(f"{name:<12}{m.before:>10.2f}{m.after:>10.2f}{m.delta:>+10.2f}  {p}")

"""``mtfix eval``: score MT before and after repair against references."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from mtfix.api import Fixer, evaluate
from mtfix.pipeline import Options
from mtfix.score.evaluate import Corpus, load_corpus
from mtfix.score.tokenization import decide_tokenized


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``mtfix eval`` (the repair options are added by the CLI)."""
    parser.add_argument("--mt", required=True, help="MT output, one segment per line")
    parser.add_argument("--ref", action="append", required=True, help="reference file (repeatable)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--hyp", help="score this already-repaired file instead of repairing")
    source.add_argument("--save", metavar="FILE", help="keep the repaired lines in FILE")
    parser.add_argument("--report", metavar="HTML", help="write the HTML report here")
    parser.add_argument("--json", metavar="FILE", dest="json_path", help="write the JSON here")
    parser.add_argument(
        "--docids", metavar="FILE",
        help="each line's document id, one per line: a document's lines are repaired as one "
        "article (its first line the headline), so the article pass makes its names and dates "
        "consistent, and the report gains a view per article",
    )  # fmt: skip
    parser.add_argument("--limit", type=int, help="score only the first N lines")
    parser.add_argument(
        "--tokenized", action=argparse.BooleanOptionalAction, default=None,
        help="Moses-tokenized data (MLQE-PE, JFLEG): detokenize to repair, score in the data's "
        "tokens (default: on when every file looks Moses-tokenized, with a notice; "
        "--no-tokenized scores such files as plain text)",
    )  # fmt: skip
    parser.add_argument("--no-errant", action="store_true", help="skip ERRANT (slow on big sets)")


def run_eval(args: argparse.Namespace, options: Options) -> int:
    """Repair (or read) the hypothesis, score it, print the table, write the reports."""
    from mtfix.output.files import write_atomic
    from mtfix.pipeline import run_settings
    from mtfix.score.report import write_report

    corpus = load_corpus(args.mt, args.ref, args.hyp, args.limit, args.docids)
    tokenized, notice = decide_tokenized(corpus_files(args, corpus), args.tokenized)
    if notice and not getattr(args, "quiet", False):
        print(f"mtfix: {notice}", file=sys.stderr)
    meta = {"mt": args.mt, "refs": ", ".join(args.ref), "lines": len(corpus.mt)}
    if corpus.docids is not None:
        meta["documents"] = len(dict.fromkeys(corpus.docids))
    meta["tokenized"] = "yes" if tokenized else "no"
    if args.tokenized is None and tokenized:
        meta["tokenized"] = "yes (detected)"
    if args.hyp is None:  # the repair's settings, as its signature names them
        meta["settings"] = run_settings(options)["signature"]
    articles = corpus.docids is not None  # else a line is not an article
    with Fixer(options if articles else replace(options, document=False)) as fixer:
        result = evaluate(
            corpus.mt, corpus.refs, corpus.hyp, fixer=fixer, tokenized=tokenized,
            errant=not args.no_errant, meta=meta, progress=sys.stderr.isatty(),
            docids=corpus.docids,
        )  # fmt: skip
    if args.save:
        write_atomic(args.save, "".join(row.output + "\n" for row in result.rows))
    print_table(result.metrics)
    print_suggestions(result.suggestions)
    write_report(result, args.report, args.json_path)
    return 0


def corpus_files(args: argparse.Namespace, corpus: Corpus) -> dict[str, list[str]]:
    """Each input file's name and its (limited) lines: the MT, the references, any --hyp."""
    files = {args.mt: corpus.mt, **dict(zip(args.ref, corpus.refs, strict=True))}
    if args.hyp is not None and corpus.hyp is not None:
        files[args.hyp] = corpus.hyp
    return files


def print_suggestions(effect: dict[str, float]) -> None:
    """What the suggestions would do, on a line of its own (nothing where none was made)."""
    if not effect:
        return
    counted = {"lines", "toward", "away", "neutral"}
    metrics = ", ".join(f"{k} {v:.2f}" for k, v in effect.items() if k not in counted)
    print(f"suggestions (not applied) would change {effect['lines']:.0f} more line(s): "
          f"{effect['toward']:.0f} toward the references, {effect['away']:.0f} away, "
          f"{effect['neutral']:.0f} neutral; with them: {metrics}")  # fmt: skip


def print_table(metrics: dict) -> None:
    """The metrics as a plain table on stdout."""
    print(f"{'metric':<12}{'before':>10}{'after':>10}{'delta':>10}  p-value")
    for name, m in metrics.items():
        p = m.extra.get("p_value", "")
        print(f"{name:<12}{m.before:>10.2f}{m.after:>10.2f}{m.delta:>+10.2f}  {p}")

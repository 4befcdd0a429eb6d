"""The ``mtfix`` command line: parse options, call the pipeline, print. Nothing more."""

from __future__ import annotations

import argparse
import gc
import json
import sys

from mtfix.api import Fixer
from mtfix.article import Article
from mtfix.batch.command import add_batch_arguments, run_batch
from mtfix.check import CHECKERS, LT_SERVER_ENV
from mtfix.check.safe_rules import ALLOW_ENV, DENY_ENV, parse_ids
from mtfix.errors import MtfixError
from mtfix.output.diff import edit_sources, print_diff, style_lines, suggestion_lines, word_diff
from mtfix.output.files import write_atomic
from mtfix.output.report import findings_dict, report_dict
from mtfix.pipeline import Options
from mtfix.profiles import DEFAULT as DEFAULT_PROFILE
from mtfix.profiles import PROFILES
from mtfix.read import FORMATS, MAX_INPUT_BYTES, read_path
from mtfix.score.command import add_eval_arguments, run_eval
from mtfix.serve.command import add_serve_arguments
from mtfix.train.command import add_train_arguments, run_train


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="article file, or - for stdin")
    parser.add_argument(
        "--format", default="auto", choices=FORMATS,
        help="input format (default: by extension, else sniffed). "
        f"Inputs over {MAX_INPUT_BYTES:,} bytes are refused.",
    )  # fmt: skip


def _add_common(parser: argparse.ArgumentParser, rewrite: bool = True) -> None:
    """Options that change detection and repair, shared by every command."""
    parser.add_argument(
        "--checker", default="auto", choices=CHECKERS,
        help="grammar checker: auto (the first LanguageTool that works: --lt-server, a local "
        "install, --lt-public; else offline), languagetool (fail if none works), "
        "offline (Harper), none",
    )  # fmt: skip
    _add_languagetool(parser)
    parser.add_argument("--no-fluency", action="store_true", help="skip the LM fluency score")
    parser.add_argument("--no-style", action="store_true",
                        help="skip the article pass (names and dates made consistent)")
    parser.add_argument(
        "--min-confidence", type=float, default=0.5,
        help="rewrite sentences whose findings reach this confidence (default 0.5)",
    )  # fmt: skip
    if rewrite:
        model = parser.add_mutually_exclusive_group()
        model.add_argument(
            "--model", metavar="ID_OR_DIR",
            help="a rewriting model whose rewrites the search weighs beside its own edits: a "
            "Hugging Face seq2seq model or causal LM (id or directory), or a LoRA adapter "
            "directory (e.g. mtfix/models/mtfix-rewriter)",
        )  # fmt: skip
        model.add_argument(
            "--no-model", action="store_true",
            help="no LM search: repair with the rules' and the grammar checker's fixes only",
        )  # fmt: skip
        parser.add_argument(
            "--no-local-fixes", action="store_true",
            help="no rule or checker fixes: the LM search alone (to compare with the default)",
        )  # fmt: skip
        parser.add_argument(
            "--profile", default=DEFAULT_PROFILE, choices=list(PROFILES),
            help="news (default: machine-translated news, flagged sentences, precision "
            "first) or learner (learners' English: every sentence, spelling, recall first)",
        )  # fmt: skip
        parser.add_argument(
            "--margin", type=float, default=None, metavar="NATS",
            help="nats by which an edit must make its sentence more likely to be kept "
            "(default: the profile's acceptance)",
        )  # fmt: skip
        parser.add_argument(
            "--accept", choices=["margin", "learned"], default=None,
            help="how an edit is accepted: margin (the profiles' default) or learned (the "
            "acceptance model trained on post-edits, mtfix/repair/accept.json)",
        )  # fmt: skip
        parser.add_argument(
            "--context", type=int, default=None, metavar="N",
            help="sentences of the article the LM reads before each sentence, after the "
            "headline (default: the profile's, 1; 0: none)",
        )  # fmt: skip
        parser.add_argument(
            "--no-suggestions", action="store_true",
            help="no suggestions (edits under the profile's bar, shown but not applied; "
            "saves the search's last rounds; batch never makes them)",
        )  # fmt: skip
        parser.add_argument(
            "--search-all", action="store_true", default=None,
            help="search every sentence, not only those the detectors flag (slower; "
            "the learner profile does)",
        )  # fmt: skip
        parser.add_argument(
            "--n-best", type=int, default=1, metavar="N",
            help="model rewrites per sentence, all guarded and compared (beam search with N "
            "beams; about N times slower; default 1: greedy)",
        )  # fmt: skip
        parser.add_argument("--no-rewrite", action="store_true", help="detect and clean only")
    parser.add_argument("-q", "--quiet", action="store_true", help="no notices on stderr")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def _add_languagetool(parser: argparse.ArgumentParser) -> None:
    lt = parser.add_argument_group("LanguageTool")
    lt.add_argument(
        "--lt-server", metavar="URL",
        help=f"a LanguageTool server, e.g. self-hosted (also ${LT_SERVER_ENV}); "
        "the text is sent there",
    )  # fmt: skip
    lt.add_argument(
        "--lt-public", action="store_true",
        help="use the public LanguageTool API: the text is sent to languagetool.org, a third "
        "party, under its rate limits",
    )  # fmt: skip
    lt.add_argument(
        "--lt-path", metavar="DIR",
        help="a local LanguageTool install (a LanguageTool-X.Y folder or one holding them; "
        "default $LTP_PATH or ~/.cache/language_tool_python); started once, needs Java 17+",
    )  # fmt: skip
    lt.add_argument(
        "--lt-download", action="store_true",
        help="let language-tool-python download LanguageTool (about 250 MB) if none is installed",
    )  # fmt: skip
    lt.add_argument(
        "--lt-timeout", type=float, metavar="SECONDS",
        help="wait at most this long for a LanguageTool server to answer (default 1.5 with "
        "auto, 10 with languagetool) or for a local one to start (default 30)",
    )  # fmt: skip
    lt.add_argument(
        "--lt-allow", metavar="IDS", default="",
        help="LanguageTool or Harper (HARPER_...) rule or category ids (comma-separated) whose "
        f"replacements are applied, besides the defaults (also ${ALLOW_ENV}; see "
        "mtfix/check/safe_rules.py)",
    )  # fmt: skip
    lt.add_argument(
        "--lt-deny", metavar="IDS", default="",
        help=f"rule or category ids whose replacements are never applied (also ${DENY_ENV})",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="mtfix", description="Repair English text produced by machine translation."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fix = commands.add_parser("fix", help="repair one article")
    _add_input(fix)
    _add_common(fix)
    fix.add_argument("-o", "--output", metavar="FILE", help="write the result here")
    fix.add_argument("--diff", action="store_true", help="print a word-level diff")
    fix.add_argument("--json", action="store_true", help="print the JSON report")
    detect = commands.add_parser("detect", help="list what is wrong with one article")
    _add_input(detect)
    _add_common(detect, rewrite=False)
    detect.add_argument("--json", action="store_true", help="print the findings as JSON")
    evaluate = commands.add_parser("eval", help="score MT before and after repair")
    add_eval_arguments(evaluate)
    _add_common(evaluate)
    batch = commands.add_parser("batch", help="repair every article of a feed into JSONL")
    add_batch_arguments(batch)
    _add_common(batch)
    serve = commands.add_parser("serve", help="HTTP server: LanguageTool's API and a page")
    add_serve_arguments(serve)
    _add_common(serve)
    trainer = commands.add_parser("train", help="train the repair model")
    add_train_arguments(trainer)
    trainer.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def _options(args: argparse.Namespace) -> Options:
    return Options(
        model=getattr(args, "model", None),
        rewrite=not getattr(args, "no_rewrite", True),
        use_model=not getattr(args, "no_model", False),
        local_fixes=not getattr(args, "no_local_fixes", False),
        n_best=max(1, getattr(args, "n_best", 1)),
        margin=getattr(args, "margin", None),
        profile=getattr(args, "profile", DEFAULT_PROFILE),
        search_all=getattr(args, "search_all", None),
        context=getattr(args, "context", None),
        accept=getattr(args, "accept", None),
        suggest=not getattr(args, "no_suggestions", False) and args.command != "batch",
        checker=args.checker,
        lt_server=args.lt_server,
        fluency=not args.no_fluency,
        style=not getattr(args, "no_style", False),
        min_confidence=args.min_confidence,
        lt_public=args.lt_public,
        lt_path=args.lt_path,
        lt_download=args.lt_download,
        lt_timeout=args.lt_timeout,
        lt_allow=parse_ids(args.lt_allow),
        lt_deny=parse_ids(args.lt_deny),
    )


def _emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def run_fix(args: argparse.Namespace, article: Article, fixer: Fixer) -> int:
    """``mtfix fix``: the repaired text, its diff, or the whole report."""
    report = fixer.fix(article)
    if args.no_rewrite:
        report.notices.append("rewrite skipped: --no-rewrite given")
    _notify(args, report.notices)
    if args.json:
        _emit(json.dumps(report_dict(report), ensure_ascii=False, indent=2), args.output)
        return 0
    if args.output or not args.diff:
        _emit(report.output, args.output)
    if args.diff:
        print_diff(word_diff(report.article.text, report.output), color=sys.stdout.isatty())
        sources = edit_sources(report.edits)
        if sources:
            print("\n".join(["", "edits (source: change):", *sources]))
        suggested = suggestion_lines(report.suggestions)
        if suggested:
            head = "suggested, not applied (source: change; the output is left as it is):"
            print("\n".join(["", head, *suggested]))
        style = style_lines(report.style)
        if style:
            print("\n".join(["", "style sheet (the article's names and dates):", *style]))
    return 0


def run_detect(args: argparse.Namespace, article: Article, fixer: Fixer) -> int:
    """``mtfix detect``: the findings only."""
    findings = fixer.check(article)
    _notify(args, fixer.notices())
    if args.json:
        data = {
            "input": article.text,
            "findings": findings_dict(findings),
            "notices": fixer.notices(),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for f in findings:
        print(f"{f.start:>6}-{f.end:<6} {f.category:<18} {f.confidence:.2f} {f.action:<7} "
              f"{f.message}  «{f.text}»")  # fmt: skip
    print(f"{len(findings)} finding(s)")
    return 0


def _notify(args: argparse.Namespace, notices: list[str]) -> None:
    if not args.quiet:
        for notice in notices:
            print(f"mtfix: {notice}", file=sys.stderr)


def _run(args: argparse.Namespace, fixers: list[Fixer]) -> int:
    if args.command == "eval":
        return run_eval(args, _options(args))
    if args.command == "train":
        return run_train(args)
    if args.command == "batch":
        return run_batch(args, _options(args))
    if args.command == "serve":
        from mtfix.serve.command import run_serve

        return run_serve(args, _options(args))
    article = read_path(args.path, fmt=args.format)
    fixers.append(Fixer(_options(args)))
    return {"fix": run_fix, "detect": run_detect}[args.command](args, article, fixers[0])


# The collector's first threshold for the console script (Python's is 700 allocations):
# a run loads hundreds of thousands of long-lived objects (spaCy's vocabulary, lemminflect's
# tables, the models' modules) that every collection of the oldest generation walks again.
# On the seed: 9.47 s -> 9.11 s by default, 6.43 s -> 6.24 s with --no-model.
GC_THRESHOLD = (100_000, 50, 1000)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mtfix`` console script."""
    gc.set_threshold(*GC_THRESHOLD)
    args = build_parser().parse_args(argv)
    quiet_libraries()
    fixers: list[Fixer] = []
    try:
        return _run(args, fixers)
    except MtfixError as exc:
        print(f"mtfix: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mtfix: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (``| head``): not an error of ours
        return 0
    except Exception as exc:
        if args.debug:
            raise
        print(f"mtfix: internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
              file=sys.stderr)  # fmt: skip
        return 1
    finally:
        for fixer in fixers:
            fixer.close()
        close_servers()


def close_servers() -> None:
    """Stop the local LanguageTool servers this command started (atexit does it too)."""
    from mtfix.check import ltlocal

    ltlocal.close_all()


def quiet_libraries() -> None:
    """Keep transformers' download and loading progress bars off stderr."""
    import os

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


if __name__ == "__main__":
    sys.exit(main())

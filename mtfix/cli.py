"""The ``mtfix`` command line: parse options, call the pipeline, print. Nothing more."""

from __future__ import annotations

import argparse
import json
import sys

from mtfix.article import Article
from mtfix.check import CHECKERS, LT_SERVER_ENV
from mtfix.errors import MtfixError
from mtfix.output.diff import print_diff, word_diff
from mtfix.output.files import write_atomic
from mtfix.output.report import findings_dict, report_dict
from mtfix.pipeline import Options, Pipeline
from mtfix.read import FORMATS, MAX_INPUT_BYTES, read_path
from mtfix.score.command import add_eval_arguments, run_eval
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
        help="grammar checker: auto (LanguageTool if a server is configured, else offline), "
        "languagetool, offline (Harper), none",
    )  # fmt: skip
    parser.add_argument(
        "--lt-server", metavar="URL",
        help=f"LanguageTool server to use (also ${LT_SERVER_ENV}); the text is sent there",
    )  # fmt: skip
    parser.add_argument("--no-fluency", action="store_true", help="skip the LM fluency score")
    parser.add_argument(
        "--min-confidence", type=float, default=0.5,
        help="rewrite sentences whose findings reach this confidence (default 0.5)",
    )  # fmt: skip
    if rewrite:
        parser.add_argument("--model", metavar="ID_OR_DIR", help="Hugging Face seq2seq model")
        parser.add_argument("--no-rewrite", action="store_true", help="detect and clean only")
    parser.add_argument("-q", "--quiet", action="store_true", help="no notices on stderr")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(prog="mtfix", description=__doc__)
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
    trainer = commands.add_parser("train", help="train the repair model")
    add_train_arguments(trainer)
    trainer.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def _options(args: argparse.Namespace) -> Options:
    return Options(
        model=getattr(args, "model", None),
        rewrite=not getattr(args, "no_rewrite", True),
        checker=args.checker,
        lt_server=args.lt_server,
        fluency=not args.no_fluency,
        min_confidence=args.min_confidence,
    )


def _emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def run_fix(args: argparse.Namespace, article: Article, pipeline: Pipeline) -> int:
    """``mtfix fix``: the repaired text, its diff, or the whole report."""
    report = pipeline.fix(article)
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
    return 0


def run_detect(args: argparse.Namespace, article: Article, pipeline: Pipeline) -> int:
    """``mtfix detect``: the findings only."""
    analysis = pipeline.analyse(article)
    findings = pipeline.detect(analysis)
    _notify(args, pipeline.stages.notices)
    if args.json:
        data = {
            "input": analysis.article.text,
            "findings": findings_dict(findings),
            "notices": pipeline.stages.notices,
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


def _run(args: argparse.Namespace, pipeline_box: list[Pipeline]) -> int:
    if args.command == "eval":
        return run_eval(args, _options(args))
    if args.command == "train":
        return run_train(args)
    article = read_path(args.path, fmt=args.format)
    pipeline_box.append(Pipeline(_options(args)))
    return {"fix": run_fix, "detect": run_detect}[args.command](args, article, pipeline_box[0])


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mtfix`` console script."""
    args = build_parser().parse_args(argv)
    quiet_libraries()
    pipelines: list[Pipeline] = []
    try:
        return _run(args, pipelines)
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
        for pipeline in pipelines:
            pipeline.close()


def quiet_libraries() -> None:
    """Keep transformers' download and loading progress bars off stderr."""
    import os

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


if __name__ == "__main__":
    sys.exit(main())

"""The library API: load the models once, then fix, check and score texts.

    import mtfix

    with mtfix.load() as fixer:
        report = fixer.fix(text)
        print(report.output)

``mtfix fix``, ``detect``, ``batch``, ``eval`` and ``serve`` are built on these calls.
(``evaluate``, not ``score``: ``mtfix.score`` is the scoring sub-package.)
Every error a caller can cause raises ``mtfix.errors.MtfixError`` (``InputError`` for the
text, ``ConfigError`` for an option), with the message the command line prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import fields
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mtfix.article import Article, Finding, Report
from mtfix.check.safe_rules import parse_ids
from mtfix.errors import ConfigError
from mtfix.pipeline import Options, Pipeline

if TYPE_CHECKING:
    from mtfix.check import Checker
    from mtfix.score import EvalResult

Text = str | bytes | Article  # what ``fix`` and ``check`` take


def load(**options: Any) -> Fixer:
    """A ``Fixer`` with its checker, parser, detectors and LM loaded once.

    The options are ``Options``'s fields, with the command line's defaults: ``checker``
    ("auto", "languagetool", "offline", "none"), ``profile`` ("news", the default, or
    "learner"), ``margin``, ``search_all``, ``use_model``
    (False: rules and checker only, like ``--no-model``), ``model``, ``fluency``,
    ``min_confidence``, ``document``, ``lt_server`` ... An unknown option or a bad value
    raises ``ConfigError``.
    """
    return Fixer(make_options(**options))


def make_options(**options: Any) -> Options:
    """``Options`` from keyword arguments, checked: unknown names raise ``ConfigError``."""
    known = {f.name for f in fields(Options)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ConfigError(
            f"unknown option {', '.join(map(repr, unknown))}; options: {', '.join(sorted(known))}"
        )
    for name in ("lt_allow", "lt_deny"):  # "A,B" as the CLI takes it, or any iterable
        if isinstance(options.get(name), str):
            options[name] = parse_ids(options[name])
        elif name in options:
            options[name] = tuple(options[name])
    return Options(**options)


class Fixer:
    """Repairs texts with everything loaded once; close it (or use ``with``) when done."""

    def __init__(self, options: Options | None = None, pipeline: Pipeline | None = None) -> None:
        from mtfix.check import ltlocal

        before = ltlocal.running()
        self.pipeline = pipeline or Pipeline(options or Options())
        self.options = self.pipeline.options
        self.started = ltlocal.running() - before  # local LanguageTool servers it started

    def fix(self, text: Text, *, format: str = "auto", name: str | None = None) -> Report:
        """Repair one article: ``text`` as a string, UTF-8 bytes or a read ``Article``.

        ``format`` is "auto", "text", "markdown", "html" or "json"; ``name`` labels error
        messages (and picks the format by its extension).
        """
        return self.pipeline.fix(as_article(text, format, name))

    def fix_many(self, texts: Iterable[Text], *, format: str = "auto") -> list[Report]:
        """Repair articles together, as ``mtfix batch`` does (the LM scores them in shared
        batches); the reports come back in order."""
        articles = [as_article(t, format, f"text {i}") for i, t in enumerate(texts, 1)]
        return self.pipeline.fix_many(articles)

    def check(self, text: Text, *, format: str = "auto", name: str | None = None) -> list[Finding]:
        """What is wrong with the article, without repairing it: every finding, in order."""
        return self.pipeline.detect(self.pipeline.analyse(as_article(text, format, name)))

    @property
    def checker(self) -> Checker:
        """The grammar checker in use (LanguageTool, Harper or none)."""
        return self.pipeline.stages.checker

    def notices(self) -> list[str]:
        """What the loaded stages want the user to know (a checker fallen back, a model
        missing)."""
        return self.pipeline.notices()

    def close(self) -> None:
        """Close the checker's client and stop the local LanguageTool server that loading
        this fixer started, if any (a server another fixer started is left running)."""
        from mtfix.check import ltlocal

        self.pipeline.close()
        ltlocal.close_all(self.started)

    def __enter__(self) -> Fixer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def as_article(text: Text, format: str = "auto", name: str | None = None) -> Article:
    """An ``Article`` from a string or bytes (read and checked as ``mtfix fix`` reads a file)."""
    from mtfix.read import read_bytes

    if isinstance(text, Article):
        return text
    if isinstance(text, str):
        text = text.encode("utf-8")
    if not isinstance(text, bytes):
        raise ConfigError(f"cannot fix a {type(text).__name__}: pass a str, bytes or Article")
    return read_bytes(text, name=name, fmt=format)


def evaluate(
    mt: Sequence[str],
    refs: Sequence[str] | Sequence[Sequence[str]],
    outputs: Sequence[str] | None = None,
    *,
    fixer: Fixer | None = None,
    tokenized: bool | None = None,
    errant: bool = True,
    meta: dict | None = None,
    progress: bool = False,
    docids: Sequence[str] | None = None,
) -> EvalResult:
    """``mtfix eval``'s figures: every metric before (``mt``) and after (``outputs``; None:
    ``mt`` repaired line by line with ``fixer``, or with a ``load(document=False)`` made
    and closed here), each with its signature, per-line rows and the grammar counts.

    ``refs`` is one reference stream (a list of lines) or several; every stream is
    line-aligned with ``mt``. ``tokenized``: Moses-tokenized lines, repaired detokenized
    and scored in their own tokens (None: when every stream looks Moses-tokenized; a
    warning when only some do). ``docids``: each line's document; a document's lines are
    then repaired as one article (its first line the headline) and the result lists the
    documents with their style sheets.
    """
    from mtfix.score.evaluate import Corpus, aligned, score_corpus

    corpus = aligned(Corpus(
        list(mt), _streams(refs), None if outputs is None else list(outputs),
        None if docids is None else list(docids),
    ))  # fmt: skip
    if tokenized is None:
        tokenized = _detect_tokenized(corpus)
    own = fixer is None and outputs is None  # repair with a fixer made (and closed) here
    with load(document=docids is not None) if own else nullcontext(fixer) as used:
        return score_corpus(corpus, used, tokenized=tokenized, errant=errant, meta=meta,
                            progress=progress)  # fmt: skip


def _streams(refs: Sequence[str] | Sequence[Sequence[str]]) -> list[list[str]]:
    """Reference streams: one list of lines per reference."""
    if refs and isinstance(refs[0], str):
        return [[str(line) for line in refs]]
    return [list(stream) for stream in refs]


def _detect_tokenized(corpus: Any) -> bool:
    """Whether every stream looks Moses-tokenized (as ``mtfix eval`` decides)."""
    import warnings

    from mtfix.score.tokenization import decide_tokenized

    files = {"mt": corpus.mt, **{f"refs[{i}]": r for i, r in enumerate(corpus.refs)}}
    if corpus.hyp is not None:
        files["outputs"] = corpus.hyp
    tokenized, notice = decide_tokenized(files, None)
    if notice and not tokenized:
        warnings.warn(notice, stacklevel=3)
    return tokenized

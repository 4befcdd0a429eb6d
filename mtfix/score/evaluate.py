"""``mtfix eval``: read line-aligned files, repair the MT (or take a repaired file), score.

With ``tokenized=True`` (Moses-tokenized data such as MLQE-PE) lines are detokenized
before repair and the repaired lines re-tokenized the same way; a line the pipeline left
alone keeps its original tokenization exactly, so scores stay comparable.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from mtfix.article import Report
from mtfix.check import Checker, real_issues
from mtfix.errors import ConfigError, InputError
from mtfix.output.compose import with_suggestions
from mtfix.pipeline import Pipeline, targets_of
from mtfix.read import read_line
from mtfix.read.corpus import Moses, read_lines
from mtfix.score import Document, EvalResult, MetricResult, SentenceRow
from mtfix.score.documents import document_spans, repair_documents, sources_of

if TYPE_CHECKING:
    from mtfix.api import Fixer

CHUNK = 64


@dataclass(frozen=True)
class Corpus:
    """Line-aligned MT, references (one stream per file) and an optional repaired file."""

    mt: list[str]
    refs: list[list[str]]
    hyp: list[str] | None = None
    docids: list[str] | None = None  # each line's document: the lines are read as articles


def aligned(corpus: Corpus) -> Corpus:
    """The corpus, after checking every stream has the MT's number of lines."""
    counts = {"mt": len(corpus.mt), **{f"refs[{i}]": len(r) for i, r in enumerate(corpus.refs)}}
    if corpus.hyp is not None:
        counts["outputs"] = len(corpus.hyp)
    if corpus.docids is not None:
        counts["docids"] = len(corpus.docids)
    if not corpus.refs:
        raise InputError("no reference given")
    _same_length(counts)
    return corpus


def _same_length(counts: dict[str, int]) -> None:
    """Raise InputError naming each stream's line count unless they are all equal."""
    if len(set(counts.values())) > 1:
        listing = ", ".join(f"{name}: {n} lines" for name, n in counts.items())
        raise InputError(f"files are not line-aligned ({listing})")


def score_corpus(
    corpus: Corpus,
    fixer: Fixer | None,
    *,
    tokenized: bool = False,
    errant: bool = True,
    meta: dict | None = None,
    progress: bool = False,
) -> EvalResult:
    """Score ``corpus.hyp``, or ``corpus.mt`` repaired with ``fixer``: line by line (no
    document detector: a line is not an article), or a document at a time where the corpus
    has document ids; the grammar counts need a fixer."""
    flagged, sources, documents, suggested = None, None, None, None
    outputs = corpus.hyp
    if outputs is None:
        if fixer is None:
            raise ConfigError("nothing to score: give the outputs, or a fixer to repair the MT")
        outputs, flagged, sources, documents, suggested = _repaired(
            corpus, fixer, tokenized, progress
        )
    elif corpus.docids is not None:
        documents = [Document(d, a + 1, b) for d, a, b in document_spans(corpus.docids)]
    grammar = grammar_counts(fixer.checker, corpus.mt, outputs) if fixer else None
    result = score(corpus, outputs, flagged, grammar=grammar, errant=errant, meta=meta,
                   sources=sources, documents=documents)  # fmt: skip
    if suggested is not None and suggested != outputs:
        result = replace(result, suggestions=suggestion_effect(corpus, outputs, suggested))
    return result


def suggestion_effect(
    corpus: Corpus, outputs: list[str], suggested: list[str]
) -> dict[str, float]:
    """What the suggestions would do (``EvalResult.suggestions``): the lines they change,
    toward and away from the references, and every corpus metric with them taken."""
    from mtfix.score.gleu import GLEU
    from mtfix.score.metrics import corpus_metrics
    from mtfix.score.toward import verdict_counts

    counts = verdict_counts(outputs, suggested, corpus.refs)
    effect: dict[str, float] = {"lines": float(sum(counts.values()))}
    effect |= {k: float(v) for k, v in counts.items()}
    metrics = corpus_metrics(corpus.mt, suggested, corpus.refs)
    effect |= {name: m.after for name, m in metrics.items()}
    effect["gleu"] = GLEU().corpus_score(suggested, corpus.mt, corpus.refs)
    return effect


def _repaired(
    corpus: Corpus, fixer: Fixer, tokenized: bool, progress: bool
) -> tuple[list[str], list[bool], list[tuple[str, ...]], list[Document] | None, list[str] | None]:
    """The MT repaired: outputs, flags and sources per line, the documents (if any) and
    the outputs with the suggestions taken (line by line only; None for documents)."""
    if corpus.docids is None:
        outputs, flagged, reports = repair_lines(
            fixer.pipeline.for_lines(), corpus.mt, tokenized=tokenized, progress=progress
        )
        taken = [Taken(with_suggestions(r)) for r in reports]
        suggested = line_outputs(corpus.mt, taken, tokenized)
        return outputs, flagged, edit_sources(reports), None, suggested
    plain = plain_lines(corpus.mt, tokenized)
    repairs, documents = repair_documents(
        fixer.pipeline.for_documents(), plain, corpus.docids, progress=progress
    )
    outputs = line_outputs(corpus.mt, repairs, tokenized)
    return outputs, [r.flagged for r in repairs], [r.sources for r in repairs], documents, None


def load_corpus(
    mt: str, refs: list[str], hyp: str | None, limit: int | None, docids: str | None = None
) -> Corpus:
    """Read and check the files; a length mismatch names the files and their line counts."""
    files = {mt: read_lines(mt), **{r: read_lines(r) for r in refs}}
    for extra in (hyp, docids):
        if extra:
            files[extra] = read_lines(extra)
    _same_length({name: len(lines) for name, lines in files.items()})
    cut = slice(None, limit)
    return Corpus(
        files[mt][cut], [files[r][cut] for r in refs], files[hyp][cut] if hyp else None,
        [d.strip() for d in files[docids][cut]] if docids else None,
    )  # fmt: skip


def _chunks(lines: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(lines), CHUNK):
        yield lines[start : start + CHUNK]


def repair_lines(
    fixer: Fixer | Pipeline, lines: list[str], *, tokenized: bool = False, progress: bool = True
) -> tuple[list[str], list[bool], list[Report]]:
    """The repaired lines, whether each was flagged, and each line's report."""
    from tqdm import tqdm

    plain = plain_lines(lines, tokenized)
    reports: list[Report] = []
    with tqdm(total=len(plain), desc="repairing", unit="line", disable=not progress) as bar:
        for chunk in _chunks(plain):
            reports += fixer.fix_many([read_line(x) for x in chunk])
            bar.update(len(chunk))
    threshold = fixer.options.min_confidence
    flagged = [bool(targets_of(r.findings, threshold)) for r in reports]
    return line_outputs(lines, reports, tokenized), flagged, reports


def plain_lines(lines: list[str], tokenized: bool) -> list[str]:
    """The lines as the pipeline reads them (Moses-detokenized when ``tokenized``)."""
    if not tokenized:
        return list(lines)
    moses = Moses()
    return [moses.detokenize(x) for x in lines]


class Repaired(Protocol):
    """A line's repair: a ``Report`` of a one-line article, or a line of an article's."""

    output: str


@dataclass(frozen=True)
class Taken:
    """A line's output with its suggestions taken."""

    output: str


def line_outputs(lines: list[str], repaired: Sequence[Repaired], tokenized: bool) -> list[str]:
    """Each line's output: the original line when unchanged, else the repair (re-tokenized,
    keeping the original's tokens where the repair left them)."""
    moses = Moses() if tokenized else None
    outputs = []
    for original, source, line in zip(lines, plain_lines(lines, tokenized), repaired, strict=True):
        fixed = " ".join(line.output.split())
        unchanged = fixed == " ".join(source.split())
        if unchanged:
            outputs.append(original)
        else:
            outputs.append(moses.retokenize(original, fixed) if moses else fixed)
    return outputs


def score(
    corpus: Corpus,
    outputs: list[str],
    flagged: list[bool] | None = None,
    *,
    grammar: dict[str, int | str] | None = None,
    errant: bool = True,
    meta: dict | None = None,
    sources: list[tuple[str, ...]] | None = None,
    documents: list[Document] | None = None,
) -> EvalResult:
    """Every metric before and after, per-sentence rows and the edit behaviour."""
    from mtfix.score.gleu import GLEU
    from mtfix.score.metrics import behaviour, corpus_metrics, sentence_scores

    mt, refs = corpus.mt, corpus.refs
    metrics = corpus_metrics(mt, outputs, refs)
    if outputs == mt:  # sacrebleu's test gives p = 1/(n+1) for a system against itself
        for m in metrics.values():
            m.extra["p_value"] = "n/a (output identical to MT)"
    gleu = GLEU()
    before, after = gleu.corpus_score(mt, mt, refs), gleu.corpus_score(outputs, mt, refs)
    metrics["gleu"] = MetricResult("gleu", before, after, after - before, gleu.signature)
    if errant:
        from mtfix.score.errant_scores import errant_scores

        metrics["errant_f05"] = errant_scores(mt, outputs, refs)
    rows = _rows(mt, outputs, refs, flagged or [False] * len(mt), sentence_scores)
    if sources is not None:
        rows = [replace(r, sources=src) for r, src in zip(rows, sources, strict=True)]
    return EvalResult(metrics, rows, behaviour(rows), grammar or {}, meta or {}, documents or [])


def _rows(mt, outputs, refs, flagged, sentence_scores) -> list[SentenceRow]:
    before, after = sentence_scores(mt, refs), sentence_scores(outputs, refs)
    streams = list(zip(*refs, strict=True))
    return [
        SentenceRow(i + 1, m, o, tuple(r), b, a, f)
        for i, (m, o, r, b, a, f) in enumerate(
            zip(mt, outputs, streams, before, after, flagged, strict=True)
        )
    ]


def edit_sources(reports: list[Report]) -> list[tuple[str, ...]]:
    """Per line: the sources of the edits in its output (a search step's with its gain)."""
    return [sources_of(r.edits) for r in reports]


def grammar_counts(checker: Checker, mt: list[str], outputs: list[str]) -> dict[str, int | str]:
    """Real grammar issues in the MT and in the output, summed over lines."""

    def count(lines: list[str]) -> int:
        return sum(len(real_issues(checker.check(x), x)) for x in lines)

    return {"checker": checker.name, "before": count(mt), "after": count(outputs)}

"""A line-aligned corpus read as articles (``mtfix eval --docids``): the lines of one
document make one article (its first line the headline, each other line a paragraph),
repaired whole, so that the article pass sees the document; each line's output, findings
and edits are then read back from its own span of the article.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import groupby
from typing import TYPE_CHECKING

from mtfix.article import Article, Edit, Report
from mtfix.detect.targets import targets_of
from mtfix.errors import InputError
from mtfix.output.compose import compose
from mtfix.read.plain import assemble
from mtfix.score import Document

if TYPE_CHECKING:
    from mtfix.pipeline import Pipeline

ARTICLES_PER_CALL = 8  # articles repaired together (the LM batches across them)


@dataclass(frozen=True)
class LineRepair:
    """One line of an article: its output, whether it was flagged, its edits' sources."""

    output: str
    flagged: bool
    sources: tuple[str, ...]


def document_spans(docids: list[str]) -> list[tuple[str, int, int]]:
    """Each document's id and ``[start, end)`` line indices; an id whose lines are not
    together is refused."""
    spans, start, seen = [], 0, set()
    for doc, run in groupby(docids):
        n = len(list(run))
        if doc in seen:
            raise InputError(f"document {doc!r}: its lines are not together (line {start + 1})")
        seen.add(doc)
        spans.append((doc, start, start + n))
        start += n
    return spans


def as_article(lines: list[str]) -> Article:
    """An article of one document's lines: the headline, then a paragraph per line."""
    if len(lines) == 1:
        return assemble(None, lines, "text")
    return assemble(lines[0], lines[1:], "text")


def line_repairs(report: Report, threshold: float) -> list[LineRepair]:
    """Each line's output, flag and sources, from the edits and findings in its span."""
    article = report.article
    blocks = ([article.title] if article.title else []) + list(article.paragraphs)
    targets = targets_of(report.findings, threshold)
    out = []
    for block in blocks:
        inside = [e for e in report.edits if block.start <= e.start and e.end <= block.end]
        shifted = [_shift(e, block.start) for e in inside]
        out.append(LineRepair(
            compose(block.text, [], shifted),
            any(block.start <= f.start < block.end for f in targets),
            sources_of(inside),
        ))  # fmt: skip
    return out


def _shift(edit: Edit, by: int) -> Edit:
    return replace(edit, start=edit.start - by, end=edit.end - by)


def sources_of(edits: list[Edit]) -> tuple[str, ...]:
    """The sources of the accepted edits, once each (a search step's with its gain)."""
    return tuple(dict.fromkeys(s for e in edits if e.accepted for s in _step_labels(e)))


def _step_labels(edit: Edit) -> list[str]:
    """An edit's sources: each search step's, with its gain in nats."""
    if not edit.steps:
        return [edit.source]
    return [s.source if s.gain is None else f"{s.source} {s.gain:+.1f}" for s in edit.steps]


def repair_documents(
    pipeline: Pipeline, lines: list[str], docids: list[str], *, progress: bool = True
) -> tuple[list[LineRepair], list[Document]]:
    """Every line's repair and every document, the documents repaired as articles (a
    blank line is left as it is, outside its article)."""
    from tqdm import tqdm

    spans = document_spans(docids)
    threshold = pipeline.options.min_confidence
    repairs: list[LineRepair] = []
    documents: list[Document] = []
    with tqdm(total=len(lines), desc="repairing", unit="line", disable=not progress) as bar:
        for k in range(0, len(spans), ARTICLES_PER_CALL):
            chunk = spans[k : k + ARTICLES_PER_CALL]
            kept = [[i for i in range(a, b) if lines[i].strip()] for _, a, b in chunk]
            made = [as_article([lines[i] for i in idx]) for idx in kept if idx]
            reports = iter(pipeline.fix_many(made))
            for (doc, a, b), idx in zip(chunk, kept, strict=True):
                report = next(reports) if idx else None
                done = dict(zip(idx, line_repairs(report, threshold) if report else [],
                                strict=True))  # fmt: skip
                repairs += [done.get(i, LineRepair(lines[i], False, ())) for i in range(a, b)]
                documents.append(Document(doc, a + 1, b, report.style if report else None))
                bar.update(b - a)
    return repairs, documents

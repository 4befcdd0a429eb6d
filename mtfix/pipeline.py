"""Wires the stages in order; the one place that knows the order.

read -> segment -> analyse -> detect -> rewrite -> guard -> compose -> check
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtfix.article import Article, Candidate, Edit, Finding, GrammarSummary, Removal, Report
from mtfix.check import Checker, load_checker
from mtfix.detect import Analysis, Detector
from mtfix.detect.document import DocumentDetector
from mtfix.detect.grammar import GrammarDetector
from mtfix.detect.rules import RuleDetector
from mtfix.nlp import load_spacy
from mtfix.output.compose import compose
from mtfix.rewrite import Rewriter, load_rewriter
from mtfix.segment import segment
from mtfix.versions import versions

if TYPE_CHECKING:
    from mtfix.guard import Guard


@dataclass(frozen=True)
class Options:
    """What a run of ``mtfix fix`` may change."""

    model: str | None = None
    rewrite: bool = True
    checker: str = "auto"
    lt_server: str | None = None
    fluency: bool = True
    min_confidence: float = 0.5
    document: bool = True  # off for line-aligned corpora: a line is not an article


@dataclass
class Stages:
    """The loaded parts of a pipeline, each loaded once and reused for every article."""

    checker: Checker
    detectors: list[Detector]
    rewriter: Rewriter | None
    notices: list[str] = field(default_factory=list)
    guard: Guard | None = None


def default_detectors(fluency: bool, document: bool = True) -> tuple[list[Detector], str | None]:
    """Document, parser-rule and grammar detectors, plus the fluency model where installed."""
    detectors: list[Detector] = [DocumentDetector()] if document else []
    detectors += [RuleDetector(), GrammarDetector()]
    if not fluency:
        return detectors, None
    from mtfix.detect import fluency as fl

    if not fl.fluency_available():
        return detectors, "fluency score skipped: install mtfix[fluency] for the Gemma model"
    return [*detectors, fl.FluencyDetector()], None


def load_stages(options: Options) -> Stages:
    """Load the checker, detectors and rewriter that ``options`` ask for."""
    checker, checker_notice = load_checker(options.checker, options.lt_server)
    detectors, fluency_notice = default_detectors(options.fluency, options.document)
    notices = [checker_notice] + ([fluency_notice] if fluency_notice else [])
    rewriter = None
    if options.rewrite:
        rewriter = load_rewriter(options.model)
        if rewriter is None:
            notices.append(
                "rewrite skipped: no --model given and no shipped model is installed; "
                "document clean-up and findings only"
            )
    return Stages(checker, detectors, rewriter, notices)


class Pipeline:
    """Repairs articles with stages loaded once."""

    def __init__(self, options: Options | None = None, stages: Stages | None = None) -> None:
        self.options = options or Options()
        self.stages = stages or load_stages(self.options)
        self.nlp = load_spacy()

    def close(self) -> None:
        """Release the checker (a LanguageTool server, if one runs)."""
        self.stages.checker.close()

    def analyse(self, article: Article) -> Analysis:
        """Segment the article and compute what every detector shares."""
        article = segment(article, self.nlp)
        analysis = Analysis(article)
        sentences = article.sentences()
        for sentence, doc in zip(sentences, self.nlp.pipe(s.text for s in sentences), strict=True):
            analysis.docs[sentence.start] = doc
        matches = self.stages.checker.check(article.text)
        for sentence in sentences:
            analysis.matches[sentence.start] = [
                m for m in matches if sentence.start <= m.offset < sentence.end
            ]
        return analysis

    def detect(self, analysis: Analysis) -> list[Finding]:
        """Every detector's findings, in text order."""
        return self.detect_many([analysis])[0]

    def detect_many(self, analyses: list[Analysis]) -> list[list[Finding]]:
        """Findings per analysis; detectors with ``detect_many`` batch across articles."""
        found: list[list[Finding]] = [[] for _ in analyses]
        for detector in self.stages.detectors:
            batched = getattr(detector, "detect_many", None)
            results = batched(analyses) if batched else [detector.detect(a) for a in analyses]
            for bucket, result in zip(found, results, strict=True):
                bucket.extend(result)
        return [sorted(f, key=lambda x: (x.start, x.end, x.detector)) for f in found]

    def fix(self, article: Article) -> Report:
        """Run every stage on one article."""
        return self.fix_many([article])[0]

    def fix_many(self, articles: list[Article]) -> list[Report]:
        """Run every stage on many articles, rewriting and guarding their sentences together.

        Timings are those of the whole batch the article was repaired in.
        """
        timings: dict[str, float] = {}
        with _timed(timings, "analyse"):
            analyses = [self.analyse(a) for a in articles]
        with _timed(timings, "detect"):
            findings = self.detect_many(analyses)
        threshold = self.options.min_confidence
        chosen = [targets(a, f, threshold) for a, f in zip(analyses, findings, strict=True)]
        with _timed(timings, "rewrite"):
            candidates = self.rewrite([s for group in chosen for s in group])
        with _timed(timings, "guard"):
            edits = _split(self.judge(candidates), [len(group) for group in chosen])
        return [
            self._report(a, f, e, timings)
            for a, f, e in zip(analyses, findings, edits, strict=True)
        ]

    def _report(
        self, analysis: Analysis, findings: list[Finding], edits: list[Edit], timings: dict
    ) -> Report:
        timings = dict(timings)
        with _timed(timings, "compose"):
            removed = removals(findings)
            output = compose(analysis.article.text, removed, edits)
        with _timed(timings, "check"):
            after = self.stages.checker.check(output)
        before = [m for ms in analysis.matches.values() for m in ms]
        grammar = GrammarSummary(self.stages.checker.name, before, after)
        return Report(
            analysis.article, output, findings, edits, removed, grammar,
            list(self.stages.notices), timings, versions(),
        )  # fmt: skip

    def rewrite(self, sentences: list) -> list[Candidate]:
        """Candidate rewrites of the target sentences (none without a rewriter)."""
        if self.stages.rewriter is None or not sentences:
            return []
        texts = self.stages.rewriter.rewrite([s.text for s in sentences])
        return [
            Candidate(s, t, self.stages.rewriter.name)
            for s, t in zip(sentences, texts, strict=True)
        ]

    def judge(self, candidates: list[Candidate]) -> list[Edit]:
        """The guard's verdict on every candidate, as edits."""
        if not candidates:
            return []
        if self.stages.guard is None:
            from mtfix.guard import Guard

            self.stages.guard = Guard(nlp=self.nlp, checker=self.stages.checker)
        verdicts = self.stages.guard.judge_many((c.sentence.text, c.text) for c in candidates)
        return [
            Edit(c.sentence.start, c.sentence.end, c.sentence.text, c.text,
                 v.accepted, v.reason, c.source, v.checks)
            for c, v in zip(candidates, verdicts, strict=True)
        ]  # fmt: skip


def removals(findings: list[Finding]) -> list[Removal]:
    """What document findings take out of the output, with the reason."""
    return [
        Removal(f.start, f.end, f.text, f"{f.category}: {f.message}")
        for f in findings
        if f.action == "remove"
    ]


def targets_of(findings: list[Finding], min_confidence: float) -> list[Finding]:
    """The findings strong enough to send their sentence to the rewriter."""
    return [f for f in findings if f.action == "rewrite" and f.confidence >= min_confidence]


def targets(analysis: Analysis, findings: list[Finding], min_confidence: float) -> list:
    """Live sentences that carry a rewrite finding at or above ``min_confidence``.

    A sentence that a document finding removes (a repeated sentence) is not rewritten.
    """
    strong = targets_of(findings, min_confidence)
    gone = [f for f in findings if f.action == "remove"]
    return [
        s
        for s in analysis.live_sentences()
        if any(f.start < s.end and s.start < f.end for f in strong)
        and not any(f.start < s.end and s.start < f.end for f in gone)
    ]


def _split(items: list[Edit], sizes: list[int]) -> list[list[Edit]]:
    """``items`` cut into consecutive groups of the given sizes."""
    groups, start = [], 0
    for size in sizes:
        groups.append(items[start : start + size])
        start += size
    return groups


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - start, 4)

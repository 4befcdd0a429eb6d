"""Wires the stages in order; the one place that knows the order.

read -> segment -> analyse -> detect -> repair (local fixes of rules and checkers, then the
model) -> guard -> choose -> compose -> check
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtfix.article import Article, Candidate, Edit, Finding, GrammarSummary, Report, Sentence
from mtfix.check import Checker, LTOptions, load_checker
from mtfix.check.fallback import mark
from mtfix.check.safe_rules import SafeRules
from mtfix.detect import Analysis, Detector
from mtfix.detect.document import DocumentDetector
from mtfix.detect.grammar import GrammarDetector
from mtfix.detect.rules import RuleDetector
from mtfix.detect.targets import removals, targets
from mtfix.detect.targets import targets_of as targets_of  # re-exported for eval
from mtfix.loads import load_timings, seconds_loading
from mtfix.nlp import load_spacy
from mtfix.output.compose import compose
from mtfix.output.grammar import in_sentences, sentence_grammar
from mtfix.repair.candidates import recombination, repair_candidates
from mtfix.repair.choose import choose, texts_to_score
from mtfix.repair.model import model_candidates
from mtfix.rewrite import Rewriter, load_rewriter
from mtfix.segment import segment
from mtfix.versions import versions

if TYPE_CHECKING:
    from mtfix.guard import Guard


@dataclass(frozen=True)
class Options:
    """What a run of ``mtfix fix`` may change."""

    model: str | None = None
    rewrite: bool = True  # False: detect and clean only
    use_model: bool = True  # False: local fixes (rules, checker replacements) only
    local_fixes: bool = True  # False: the model only (for comparisons)
    n_best: int = 1  # model rewrites per sentence (beam search when more than one)
    checker: str = "auto"
    lt_server: str | None = None
    fluency: bool = True
    min_confidence: float = 0.5
    document: bool = True  # off for line-aligned corpora: a line is not an article
    lt_public: bool = False  # the public LanguageTool API: the text goes to a third party
    lt_path: str | None = None  # a local LanguageTool install
    lt_download: bool = False  # let language-tool-python download LanguageTool
    lt_timeout: float | None = None  # seconds to reach / start LanguageTool (None: defaults)
    lt_allow: tuple[str, ...] = ()  # rule or category ids whose replacements are applied
    lt_deny: tuple[str, ...] = ()  # ... and never applied (see mtfix/check/safe_rules.py)

    def languagetool(self) -> LTOptions:
        """Where LanguageTool may run."""
        return LTOptions(
            self.lt_server, self.lt_public, self.lt_path, self.lt_download, self.lt_timeout
        )


@dataclass
class Stages:
    """The loaded parts of a pipeline, each loaded once and reused for every article."""

    checker: Checker
    detectors: list[Detector]
    rewriter: Rewriter | None
    notices: list[str] = field(default_factory=list)
    guard: Guard | None = None
    safe_rules: SafeRules = field(default_factory=SafeRules)


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
    detectors, fluency_notice = default_detectors(options.fluency, options.document)
    for detector in detectors:  # the LM loads while the checker, parser and rules do
        getattr(detector, "prefetch", lambda: None)()
    checker, checker_notice = load_checker(options.checker, lt=options.languagetool())
    notices = [checker_notice] + ([fluency_notice] if fluency_notice else [])
    rewriter = None
    if options.rewrite and options.use_model:
        rewriter = load_rewriter(options.model)
        if rewriter is None:
            notices.append(
                "model rewrite skipped: no --model given and no shipped model is installed; "
                "local fixes (rules, grammar checker), document clean-up and findings only"
            )
    rules = SafeRules.configured(options.lt_allow, options.lt_deny)
    return Stages(checker, detectors, rewriter, notices, safe_rules=rules)


class Pipeline:
    """Repairs articles with stages loaded once."""

    def __init__(self, options: Options | None = None, stages: Stages | None = None) -> None:
        self.options = options or Options()
        self.stages = stages or load_stages(self.options)
        self.nlp = load_spacy()

    def close(self) -> None:
        """Release the checker's client (a local LanguageTool server stays until exit)."""
        self.stages.checker.close()

    def notices(self) -> list[str]:
        """The stages' notices and the checker's (a LanguageTool failure mid-run)."""
        return [*self.stages.notices, *getattr(self.stages.checker, "notices", [])]

    def analyse(self, article: Article, where: str = "an article") -> Analysis:
        """Segment the article and compute what every detector shares."""
        article = segment(article, self.nlp)
        analysis = Analysis(article)
        sentences = article.sentences()
        for sentence, doc in zip(sentences, self.nlp.pipe(s.text for s in sentences), strict=True):
            analysis.docs[sentence.start] = doc
        mark(self.stages.checker, f"{where} (input)")
        matches = self.stages.checker.check(article.text)
        analysis.checker = self.stages.checker.name
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
        analyses, findings = self.find(articles, timings)
        return self.repair(analyses, findings, timings)

    def find(
        self, articles: list[Article], timings: dict[str, float]
    ) -> tuple[list[Analysis], list[list[Finding]]]:
        """Analyse and detect: what ``repair`` works from (reusable for other options)."""
        with _timed(timings, "analyse"):
            analyses = [self.analyse(a, f"article {i}") for i, a in enumerate(articles, 1)]
        with _timed(timings, "detect"):
            findings = self.detect_many(analyses)
        return analyses, findings

    def repair(
        self, analyses: list[Analysis], findings: list[list[Finding]], timings: dict[str, float]
    ) -> list[Report]:
        """Candidates, guard, choice and the reports, under the current ``options``."""
        threshold = self.options.min_confidence
        chosen = [targets(a, f, threshold) for a, f in zip(analyses, findings, strict=True)]
        with _timed(timings, "rewrite"):
            candidates = self.candidates(analyses, findings, chosen)
        with _timed(timings, "guard"):
            mark(self.stages.checker, "the guard's checks")
            judged = self.judge([c for group in candidates for c in group])
            groups = self.recombine(_split(judged, [len(g) for g in candidates]))
        with _timed(timings, "choose"):
            edits = self.choose_edits(groups)
        return [
            self._report(f"article {i}", a, f, e, timings)
            for i, (a, f, e) in enumerate(zip(analyses, findings, edits, strict=True), 1)
        ]

    def candidates(
        self, analyses: list[Analysis], findings: list[list[Finding]], chosen: list[list]
    ) -> list[list[Candidate]]:
        """Per article: local fixes and model rewrites of its chosen sentences."""
        if not self.options.rewrite:
            return [[] for _ in analyses]
        rules = self.stages.safe_rules if self.options.local_fixes else None
        return repair_candidates(analyses, findings, chosen, rules, self.rewrite)

    def recombine(self, groups: list[list[Edit]]) -> list[list[Edit]]:
        """Each article's edits, plus the guard's verdict on the combination of the fixes
        it accepted in a sentence where the combination of all its fixes failed."""
        extra = [
            [c for edits in _by_sentence(group) if (c := recombination(edits, _sentence(edits)))]
            for group in groups
        ]
        judged = self.judge([c for group in extra for c in group])
        return [g + e for g, e in zip(groups, _split(judged, [len(x) for x in extra]), strict=True)]

    def choose_edits(self, groups: list[list[Edit]]) -> list[list[Edit]]:
        """Each article's edits with one chosen (accepted) per sentence at most."""
        texts = texts_to_score([e for g in groups for e in _by_sentence(g)])
        scorer = self._fluency_scorer() if texts else None
        slor = dict(zip(texts, [v for v, _ in scorer.slor(texts)], strict=True)) if scorer else None
        return [[e for edits in _by_sentence(g) for e in choose(edits, slor)] for g in groups]

    def _fluency_scorer(self):
        detector = next((d for d in self.stages.detectors if d.name == "fluency"), None)
        return detector.scorer if detector is not None else None

    def _report(
        self, where: str, analysis: Analysis, findings: list[Finding], edits: list[Edit],
        timings: dict,
    ) -> Report:  # fmt: skip
        timings = dict(timings)
        checker = self.stages.checker
        with _timed(timings, "compose"):
            removed = removals(findings)
            output = compose(analysis.article.text, removed, edits)
        with _timed(timings, "check"):
            mark(checker, f"{where} (output)")
            after = checker.check(output)
            before = [m for ms in analysis.matches.values() for m in ms]
            if checker.name != analysis.checker:  # LanguageTool failed since: compare alike
                before = in_sentences(analysis.article, checker.check(analysis.article.text))
            rows = sentence_grammar(analysis.article, removed, edits, output, before, after)
        grammar = GrammarSummary(checker.name, before, after, rows)
        timings |= load_timings()  # once per process, shared by every report
        return Report(
            analysis.article, output, findings, edits, removed, grammar,
            self.notices(), timings, versions(),
        )  # fmt: skip

    def rewrite(self, sentences: list, texts: list[str] | None = None) -> list[list[Candidate]]:
        """Per target sentence, the model's rewrites (of ``texts`` if given; none without a
        model): its ``n_best`` where the backend has beam search."""
        if self.stages.rewriter is None or not self.options.use_model or not sentences:
            return []
        texts = texts or [s.text for s in sentences]
        return model_candidates(self.stages.rewriter, sentences, texts, self.options.n_best)

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
                 v.accepted, v.reason, c.source, v.checks, c.kind, c.fixes,
                 preference=c.preference)
            for c, v in zip(candidates, verdicts, strict=True)
        ]  # fmt: skip


def _by_sentence(edits: list[Edit]) -> list[list[Edit]]:
    """The edits grouped by the sentence they replace, in text order."""
    groups: dict[int, list[Edit]] = {}
    for edit in edits:
        groups.setdefault(edit.start, []).append(edit)
    return [groups[k] for k in sorted(groups)]


def _sentence(edits: list[Edit]) -> Sentence:
    first = edits[0]
    return Sentence(first.start, first.end, first.before)


def _split(items: list[Edit], sizes: list[int]) -> list[list[Edit]]:
    """``items`` cut into consecutive groups of the given sizes."""
    groups, start = [], 0
    for size in sizes:
        groups.append(items[start : start + size])
        start += size
    return groups


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """The stage's seconds, less what it spent loading models lazily (timed as loads)."""
    start, loaded = time.perf_counter(), seconds_loading()
    yield
    spent = time.perf_counter() - start - (seconds_loading() - loaded)
    timings[stage] = round(max(spent, 0.0), 4)

"""Wires the stages in order; the one place that knows the order.

read -> segment -> analyse -> detect -> repair (propose, rank, guard, accept: one call)
-> compose -> check
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mtfix.article import SUGGESTED, Article, Edit, Finding, GrammarSummary, Match, Report, Sentence
from mtfix.check import CHECKERS, Checker, LTOptions, load_checker
from mtfix.check.fallback import mark
from mtfix.check.safe_rules import SafeRules
from mtfix.detect import Analysis, Detector
from mtfix.detect.document import DocumentDetector
from mtfix.detect.grammar import GrammarDetector
from mtfix.detect.limits import LimitsDetector
from mtfix.detect.rules import RuleDetector
from mtfix.detect.targets import removals, targets
from mtfix.detect.targets import targets_of as targets_of  # re-exported for eval
from mtfix.detect.words import WordFit
from mtfix.errors import ConfigError
from mtfix.limits import why_unchecked
from mtfix.loads import load_timings, seconds_loading
from mtfix.nlp import load_spacy
from mtfix.output.compose import compose
from mtfix.output.grammar import in_sentences, sentence_grammar
from mtfix.profiles import SPELLING_RULE, Profile, profile
from mtfix.repair.stage import Repair
from mtfix.rewrite import Rewriter, load_rewriter
from mtfix.segment import segment
from mtfix.versions import versions

if TYPE_CHECKING:
    from mtfix.guard import Guard


@dataclass(frozen=True)
class Options:
    """What a run of ``mtfix fix`` may change."""

    model: str | None = None  # a rewriting model whose rewrites the search also weighs
    rewrite: bool = True  # False: detect and clean only
    use_model: bool = True  # False: no LM search, no model: rules and checker fixes only
    local_fixes: bool = True  # False: no rule or checker fixes (for comparisons)
    n_best: int = 1  # model rewrites per sentence (beam search when more than one)
    profile: str = "news"  # news (MT news, precision first) or learner (every sentence)
    margin: float | None = None  # nats an edit must gain (None: the profile's acceptance)
    search_all: bool | None = None  # search every sentence (None: as the profile says)
    context: int | None = None  # article sentences the LM reads first (None: the profile's)
    suggest: bool = True  # False: no suggestions (what batch applies is all it needs)
    accept: str | None = None  # margin or learned (the acceptance model; None: the profile's)
    checker: str = "auto"
    lt_server: str | None = None
    fluency: bool = True
    min_confidence: float = 0.5
    document: bool = True  # off for line-aligned corpora: a line is not an article
    remove: bool = True  # the document detector's removals (off: every line keeps its place)
    style: bool = True  # the article pass: names, dates made consistent (not without document)
    lt_public: bool = False  # the public LanguageTool API: the text goes to a third party
    lt_path: str | None = None  # a local LanguageTool install
    lt_download: bool = False  # let language-tool-python download LanguageTool
    lt_timeout: float | None = None  # seconds to reach / start LanguageTool (None: defaults)
    lt_allow: tuple[str, ...] = ()  # rule or category ids whose replacements are applied
    lt_deny: tuple[str, ...] = ()  # ... and never applied (see mtfix/check/safe_rules.py)

    def __post_init__(self) -> None:
        """Refuse values no run can use, with the one-line message the CLI prints."""
        self.settings()  # an unknown profile is refused here
        if self.checker not in CHECKERS:
            raise ConfigError(f"unknown checker {self.checker!r}; use one of {', '.join(CHECKERS)}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must be between 0 and 1, not {self.min_confidence}")
        if self.n_best < 1:
            raise ConfigError(f"n_best must be at least 1, not {self.n_best}")
        if self.margin is not None and not math.isfinite(self.margin):
            raise ConfigError(f"margin must be a finite number of nats, not {self.margin}")
        if self.context is not None and self.context < 0:
            raise ConfigError(f"context must be 0 or more sentences, not {self.context}")
        if self.lt_timeout is not None and not self.lt_timeout > 0:
            raise ConfigError(
                f"lt_timeout must be a positive number of seconds, not {self.lt_timeout}"
            )

    def settings(self) -> Profile:
        """The profile with the explicit ``margin``, ``search_all`` ... put in."""
        chosen = profile(self.profile, self.margin, self.search_all, self.context, self.accept)
        return chosen if self.suggest else replace(chosen, suggest_margin=None)

    def allowed_rules(self) -> tuple[str, ...]:
        """``lt_allow``, and the spelling rule where the profile corrects spelling."""
        spelling = (SPELLING_RULE,) if self.settings().spelling else ()
        return tuple(dict.fromkeys((*self.lt_allow, *spelling)))

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
    repair: Repair | None = None  # built on first use (the LM loads in the background)


def default_detectors(fluency: bool, document: bool = True) -> tuple[list[Detector], str | None]:
    """Document, parser-rule and grammar detectors, plus the fluency model where installed."""
    detectors: list[Detector] = [DocumentDetector()] if document else []
    detectors += [LimitsDetector(), RuleDetector()]
    if not fluency:
        return [*detectors, GrammarDetector()], None
    from mtfix.detect import fluency as fl

    if not fl.fluency_available():
        notice = "fluency score skipped: install mtfix[fluency] for the Gemma model"
        return [*detectors, GrammarDetector()], notice
    lm = fl.FluencyDetector()
    # the grammar detector first: it runs while the LM is still loading in the background
    # (its word check waits for it only where it has a spelling finding to weigh)
    return [*detectors, GrammarDetector(WordFit(lambda: lm.scorer)), lm], None


def load_stages(options: Options) -> Stages:
    """Load the checker, detectors and rewriter that ``options`` ask for."""
    detectors, fluency_notice = default_detectors(
        options.fluency, options.document and options.remove
    )
    for detector in detectors:  # the LM loads while the checker, parser and rules do
        getattr(detector, "prefetch", lambda: None)()
    checker, checker_notice = load_checker(options.checker, lt=options.languagetool())
    notices = [checker_notice] + ([fluency_notice] if fluency_notice else [])
    rewriter = None
    if options.rewrite and options.use_model and options.model:
        rewriter = load_rewriter(options.model)
    if options.rewrite:  # the guard's encoder loads while the articles are read
        from mtfix.embed import prefetch_encoder

        prefetch_encoder()
    if options.rewrite and options.use_model:
        from mtfix.lm.scorer import prefetch_scorer
        from mtfix.loads import in_background
        from mtfix.repair.propose.inflections import load_lexicon

        prefetch_scorer()
        in_background("prefetch:inflections", load_lexicon)
    rules = SafeRules.configured(options.allowed_rules(), options.lt_deny)
    return Stages(checker, detectors, rewriter, notices, safe_rules=rules)


class Pipeline:
    """Repairs articles with stages loaded once."""

    def __init__(self, options: Options | None = None, stages: Stages | None = None) -> None:
        self.options = options or Options()
        self.stages = stages or load_stages(self.options)
        self.nlp = load_spacy()

    def for_lines(self) -> Pipeline:
        """This pipeline, or one sharing its loaded stages, for line-aligned corpora, where
        a line is not an article: no document detector, no article pass."""
        return self._sharing(replace(self.options, document=False, style=False))

    def for_documents(self) -> Pipeline:
        """This pipeline, or one sharing its loaded stages, for articles made of a
        line-aligned corpus's lines (``mtfix eval --docids``): the article pass as the
        options say, but no document detector, so that every line keeps its place."""
        return self._sharing(replace(self.options, remove=False))

    def _sharing(self, options: Options) -> Pipeline:
        """A pipeline with ``options`` on this one's stages, less the document detector
        where ``options`` have no removals."""
        if options == self.options:
            return self
        detectors = self.stages.detectors
        if not (options.document and options.remove):
            detectors = [d for d in detectors if not isinstance(d, DocumentDetector)]
        return Pipeline(options, replace(self.stages, detectors=detectors))

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
        for sentence in article.sentences():
            reason = why_unchecked(sentence.text)
            if reason:
                analysis.unchecked[sentence.start] = reason
        sentences = [s for s in article.sentences() if s.start not in analysis.unchecked]
        for sentence, doc in zip(sentences, self.nlp.pipe(s.text for s in sentences), strict=True):
            analysis.docs[sentence.start] = doc
        mark(self.stages.checker, f"{where} (input)")
        matches = self.stages.checker.check(article.text)
        analysis.checker = self.stages.checker.name
        analysis.matches = matches_by_sentence(article.sentences(), matches)
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
        if self.options.style and self.options.document:  # a line is not an article
            with _timed(timings, "style"):
                findings = [_styled(a, f) for a, f in zip(analyses, findings, strict=True)]
        return analyses, findings

    def repair(
        self, analyses: list[Analysis], findings: list[list[Finding]], timings: dict[str, float]
    ) -> list[Report]:
        """The search over the chosen sentences and the reports, under the current ``options``."""
        edits: list[list[Edit]] = [[] for _ in analyses]
        if self.options.rewrite:
            chosen = [
                targets(a, f, self.options.min_confidence, self.options.settings().search_all)
                for a, f in zip(analyses, findings, strict=True)
            ]
            repair = self.repairer()
            before = dict(repair.search.timings) | dict(repair.search.ranker.timings)
            with _timed(timings, "repair"):
                mark(self.stages.checker, "the guard's checks")
                edits = repair(analyses, findings, chosen)
            after = dict(repair.search.timings) | dict(repair.search.ranker.timings)
            timings |= {f"repair.{k}": round(v - before.get(k, 0.0), 4) for k, v in after.items()}
        return [
            self._report(f"article {i}", a, f, e, timings)
            for i, (a, f, e) in enumerate(zip(analyses, findings, edits, strict=True), 1)
        ]

    def repairer(self) -> Repair:
        """The repair stage, built once: the LM search, or the rules and checker alone."""
        if self.stages.repair is None:
            from mtfix.repair.propose import default_proposers
            from mtfix.repair.rank import LMRanker, NoRanker
            from mtfix.repair.search import Search, SearchConfig

            use_lm = self.options.use_model
            settings = self.options.settings()
            config = SearchConfig(acceptance=acceptance(settings), fragments=settings.fragments,
                                  suggest_margin=settings.suggest_margin)  # fmt: skip
            floor = config.accept().floor
            ranker = LMRanker(_sentence_lm(), margin=floor) if use_lm else NoRanker()
            spelling = self.options.settings().spelling  # news: no spelling proposer
            proposers = [p for p in default_proposers() if spelling or p.kind != "spelling"]
            proposers = proposers if use_lm else []
            search = Search(ranker, proposers, self.nlp, self._judge, config)
            rules = self.stages.safe_rules if self.options.local_fixes else None
            self.stages.repair = Repair(search, rules, self.stages.rewriter, self.options.n_best,
                                        self.options.settings().context)  # fmt: skip
        return self.stages.repair

    def _judge(self, pairs: list[tuple[str, str]]) -> list:
        if self.stages.guard is None:
            from mtfix.guard import Guard

            self.stages.guard = Guard(nlp=self.nlp, checker=self.stages.checker)
        return self.stages.guard.judge_many(pairs)

    def _report(
        self, where: str, analysis: Analysis, findings: list[Finding], edits: list[Edit],
        timings: dict,
    ) -> Report:  # fmt: skip
        timings = dict(timings)
        checker = self.stages.checker
        suggestions = [e for e in edits if e.choice == SUGGESTED]
        edits = [e for e in edits if e.choice != SUGGESTED]
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
            [*self.notices(), *analysis.notes], timings, versions(), run_settings(self.options),
            analysis.style, suggestions,
        )  # fmt: skip


def matches_by_sentence(sentences: list[Sentence], matches: list[Match]) -> dict[int, list[Match]]:
    """The matches that start in each sentence, keyed by its start (sentences in order)."""
    starts = [s.start for s in sentences]
    out: dict[int, list[Match]] = {start: [] for start in starts}
    for match in matches:
        i = bisect.bisect_right(starts, match.offset) - 1
        if i >= 0 and match.offset < sentences[i].end:
            out[starts[i]].append(match)
    return out


def acceptance(settings: Profile):
    """The profile's acceptance rule: the learned model at its threshold, or the margin."""
    from mtfix.repair.accept import (
        MODEL_FILE,
        LearnedAcceptance,
        MarginAcceptance,
        load_model,
        model_thresholds,
    )  # fmt: skip

    threshold = model_thresholds(MODEL_FILE).get(settings.name) if settings.learned else None
    if threshold is None:
        return MarginAcceptance(settings.margin)
    return LearnedAcceptance(load_model(), threshold, floor=settings.margin)


def run_settings(options: Options) -> dict[str, str | bool | float]:
    """What the report records of the settings that shaped its output."""
    settings = options.settings()
    rule = acceptance(settings) if options.use_model and options.rewrite else None
    threshold = getattr(rule, "threshold", None)
    return {
        "profile": settings.name,
        "search": "all" if settings.search_all else "flagged",
        "margin": settings.margin,
        "acceptance": rule.signature() if rule is not None else "none",
        "spelling": settings.spelling,
        "context": settings.context,
        "engine": _engine(options),
        "style": options.style and options.document,
        "signature": settings.signature(threshold),
    }


def _engine(options: Options) -> str:
    """The LM's engine (``mtfix.lm.engine``), or none where no LM reads the text."""
    from mtfix.lm.engine import engine

    uses_lm = options.fluency or (options.use_model and options.rewrite)
    return engine() if uses_lm else "none"


def _sentence_lm():
    """The base LM (the fluency detector's copy) as a sentence ranker."""
    from mtfix.lm.ranker import SentenceLM
    from mtfix.lm.scorer import load_scorer

    return SentenceLM(*load_scorer())


def _styled(analysis: Analysis, findings: list[Finding]) -> list[Finding]:
    """The findings with the article pass's: its style sheet goes on ``analysis``."""
    from mtfix.style import build_style_sheet

    analysis.style = build_style_sheet(analysis)
    return sorted([*findings, *analysis.style.findings], key=lambda x: (x.start, x.end, x.detector))


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """The stage's seconds, less what it spent loading models lazily (timed as loads)."""
    start, loaded = time.perf_counter(), seconds_loading()
    yield
    spent = time.perf_counter() - start - (seconds_loading() - loaded)
    timings[stage] = round(max(spent, 0.0), 4)

"""The search: propose, rank, guard, accept the best edit over the margin; repeat.

In the spirit of Bryant & Briscoe (2018): every round, each sentence still open is parsed,
the proposers offer small edits, the ranker scores the sentence each edit makes, and the
best edit that beats the current sentence by the margin and that the guard accepts (the
guard compares the result with the *original* sentence, so edits cannot drift from its
meaning step by step) becomes the current sentence. A sentence closes when no edit passes.
All sentences of a batch of articles go through each round together, so the LM reads them
in the same batches. Ties break on the text: the same input gives the same output.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mtfix.article import Sentence, Step, Verdict
from mtfix.repair.accept import Acceptance, Context, MarginAcceptance, features
from mtfix.repair.propose import Proposal, Proposer, propose_all
from mtfix.repair.rank import Ranked, Ranker

# Nats by which an edit must raise the sentence's log-probability under Gemma 3 270M to be
# kept. eval/calibrate_search.py (eval/results/calibrate-search-2026-12-03b.md; JFLEG dev all
# 754 lines, MLQE-PE dev 300-400 lines a pair, WMT21 ref A 400), at margins 2 / 3 / 4 / 6 / 8:
#   JFLEG GLEU (38.21 unchanged)          41.62 / 41.21 / 40.87 / 40.21 / 39.72
#   ru-en TER (12.61 unchanged)           13.31 / 13.09 / 12.83 / 12.62 / 12.61
#   ru-en pe == mt lines left alone       92.1% / 93.8% / 96.7% / 99.6% / 100%
#   ro-en TER (21.02 unchanged)           22.11 / 21.72 / 21.38 / 21.13 / 21.04
#   WMT21 ref A (human news) changed       1.8% /  1.8% /  1.0% /  0.5% /  0.0%
# 4 is the lowest margin that leaves 95% of ru-en's good lines alone and changes at most
# 2% of human news; TER on MLQE-PE is still slightly worse than the MT up to 6-8 nats.
MARGIN = 5.0  # news profile: calibrate-search-2026-12-05.md, the frontier in the README
SURE_MARGIN = 0.0  # a rule's or a checker's fix: kept unless the LM finds it less likely
MAX_ROUNDS = 6
SUGGEST_ROUNDS = 2  # suggested steps per sentence, at most
GUARD_TRIES = 3  # candidates over the margin put to the guard per sentence and round
CONSIDERED = 6  # candidates kept per sentence and round where ``considered`` is asked for
VERB_POS = frozenset({"VERB", "AUX"})
OPEN_ENDS = (",", ";", ":")  # a line that ends so is a line of verse or of a list

Judge = Callable[[list[tuple[str, str]]], list[Verdict]]


@dataclass(frozen=True)
class SearchConfig:
    """The search's settings: what accepts an edit (a margin unless ``acceptance`` is
    given), how many rounds, how many candidates the guard sees per round."""

    margin: float = MARGIN
    sure_margin: float = SURE_MARGIN
    max_rounds: int = MAX_ROUNDS
    guard_tries: int = GUARD_TRIES
    acceptance: Acceptance | None = None
    fragments: bool = True  # False: a fragment gets the rules' fixes only (``is_fragment``)
    suggest_margin: float | None = None  # the least gain of a suggestion (None: none)

    def accept(self) -> Acceptance:
        """The acceptance rule in force."""
        return self.acceptance or MarginAcceptance(self.margin, self.sure_margin)

    def suggest(self) -> Acceptance | None:
        """The acceptance of suggestions, where they are asked for and under the bar."""
        if self.suggest_margin is None or self.suggest_margin >= self.accept().floor:
            return None
        return MarginAcceptance(self.suggest_margin, self.sure_margin)


@dataclass
class Outcome:
    """What the search made of one sentence: the text, the steps, and the edits the guard
    refused (with the guard's reason)."""

    sentence: Sentence
    text: str
    flagged: tuple[tuple[int, int], ...] = ()  # findings' spans, in the sentence's offsets
    context: str = ""  # what the LM reads before the sentence (the article's headline ...)
    steps: list[Step] = field(default_factory=list)
    refused: list[tuple[Step, str, Verdict]] = field(default_factory=list)  # step, text, why
    refused_after: list[int] = field(default_factory=list)  # per refusal: steps made before it
    pending: list[Proposal] = field(default_factory=list)  # fixed proposals still to apply
    seen: set[str] = field(default_factory=set)
    checks: dict[str, bool | float] = field(default_factory=dict)  # the guard's, last step
    done: bool = False
    fragment: bool | None = None  # the original is a fragment (set in the first round)
    base: str | None = None  # suggesting: the text the applied steps made
    suggestion_checks: dict[str, bool | float] = field(default_factory=dict)
    applied: int = 0  # suggesting: how many of ``steps`` are applied (the rest suggested)

    @property
    def output(self) -> str:
        """The sentence as the output has it: the applied steps only."""
        return self.text if self.base is None else self.base

    @property
    def applied_steps(self) -> list[Step]:
        return self.steps if self.base is None else self.steps[: self.applied]

    @property
    def suggested_steps(self) -> list[Step]:
        return [] if self.base is None else self.steps[self.applied :]


class Search:
    """Greedy rounds over many sentences at once."""

    def __init__(
        self, ranker: Ranker, proposers: Sequence[Proposer], nlp: Any, judge: Judge,
        config: SearchConfig | None = None,
    ) -> None:  # fmt: skip
        self.ranker, self.proposers, self.nlp, self.judge = ranker, proposers, nlp, judge
        self.config = config or SearchConfig()
        self.timings: dict[str, float] = {"propose": 0.0, "guard": 0.0}
        self.rounds = 0
        # Set to a list to keep, per sentence and round, the candidates the acceptance let
        # through, best first: (original sentence, its text in that round, steps). The
        # acceptance model learns from them (eval/calibrate_search.py, eval/train_accept.py).
        self.considered: list[tuple[str, str, list[Step]]] | None = None

    def run(
        self, sentences: list[Sentence], fixed: list[list[Proposal]],
        flagged: list[tuple[tuple[int, int], ...]] | None = None,
        contexts: list[str] | None = None,
    ) -> list[Outcome]:  # fmt: skip
        """Each sentence repaired; ``fixed``: per sentence, proposals made before the search
        (the rules', the checker's, a model's), in offsets of the sentence; ``flagged``:
        per sentence, the spans detectors found (a feature of the acceptance);
        ``contexts``: what the LM reads before each sentence."""
        spans = flagged or [()] * len(sentences)
        before = contexts or [""] * len(sentences)
        outcomes = [
            Outcome(s, s.text, tuple(g), c, pending=list(f), seen={s.text})
            for s, f, g, c in zip(sentences, fixed, spans, before, strict=True)
        ]
        rounds = self.config.max_rounds + (SUGGEST_ROUNDS if self.config.suggest() else 0)
        for _ in range(rounds):
            active = [o for o in outcomes if not o.done]
            if not active:
                break
            self.rounds += 1
            self._round(active)
        return outcomes

    def _round(self, active: list[Outcome]) -> None:
        start = time.perf_counter()
        texts = [o.text for o in active]
        proposals = [
            [*self._proposed(o, doc), *o.pending]
            for o, doc in zip(active, self.nlp.pipe(texts), strict=True)
        ]
        self.timings["propose"] += time.perf_counter() - start
        contexts = [o.context for o in active]
        ranked = self.ranker.rank(texts, proposals, contexts if any(contexts) else None)
        options = [
            [(r, f) for r, f in self._judged(o, rs) if r.text not in o.seen]
            for o, rs in zip(active, ranked, strict=True)
        ]
        if self.considered is not None:
            self.considered += [
                (o.sentence.text, o.text, [step for _, step in opts[:CONSIDERED]])
                for o, opts in zip(active, options, strict=True) if opts
            ]  # fmt: skip
        start = time.perf_counter()
        accepted = self._guarded(active, options)
        self.timings["guard"] += time.perf_counter() - start
        for outcome, choice in zip(active, accepted, strict=True):
            if choice is not None:
                _accept(outcome, choice)
            elif outcome.base is None and self.config.suggest() is not None:
                outcome.base, outcome.applied = outcome.text, len(outcome.steps)
            else:
                outcome.done = True
            if outcome.base is not None and len(outcome.suggested_steps) >= SUGGEST_ROUNDS:
                outcome.done = True

    def _proposed(self, outcome: Outcome, doc: Any) -> list[Proposal]:
        """The proposers' edits, none for a fragment where the config leaves those alone."""
        if outcome.fragment is None:
            outcome.fragment = is_fragment(doc)
        if outcome.fragment and not self.config.fragments:
            return []
        return propose_all(doc, self.proposers)

    def _judged(self, outcome: Outcome, ranked: list[Ranked]) -> list[tuple[Ranked, Step]]:
        """The candidates the acceptance lets through, each with the step it would be
        (suggesting: the suggestions' acceptance)."""
        accept = self.config.accept()
        if outcome.base is not None:
            accept = self.config.suggest() or accept
        context = Context(outcome.text, len(outcome.steps), outcome.flagged)
        kept = []
        for r in ranked:
            feats = features(r, context) if r.gain is not None else None
            if feats is None or accept.accepts(r, feats):
                score = None if feats is None else accept.score(r, feats)
                kept.append((r, _step(outcome.text, r, score, feats)))
        return kept

    def _guarded(
        self, active: list[Outcome], options: list[list[tuple[Ranked, Step]]]
    ) -> list[tuple[Ranked, Step] | None]:
        """Per sentence, the first of its options the guard accepts (up to ``guard_tries``)."""
        chosen: list[tuple[Ranked, Step] | None] = [None] * len(active)
        for attempt in range(self.config.guard_tries):
            asked = [
                k for k, opts in enumerate(options) if chosen[k] is None and attempt < len(opts)
            ]
            if not asked:
                break
            pairs = [(active[k].sentence.text, options[k][attempt][0].text) for k in asked]
            for k, verdict in zip(asked, self.judge(pairs), strict=True):
                option, step = options[k][attempt]
                if verdict.accepted:
                    chosen[k] = options[k][attempt]
                    if active[k].base is None:
                        active[k].checks = verdict.checks
                    else:
                        active[k].suggestion_checks = verdict.checks
                else:
                    active[k].seen.add(option.text)
                    if active[k].base is None:  # a refused suggestion is not reported
                        active[k].refused.append((step, option.text, verdict))
                        active[k].refused_after.append(len(active[k].steps))
        return chosen


def is_fragment(doc: Any) -> bool:
    """A line with no verb (a heading, a caption, a line of verse) or one that ends open
    (with a comma: a line of verse or of a list). A sentence whose auxiliary the MT
    dropped ("The meeting held in Moscow") still has its verb, and is no fragment."""
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    if not words:
        return True
    return doc.text.rstrip().endswith(OPEN_ENDS) or not any(t.pos_ in VERB_POS for t in words)


def _step(
    text: str, ranked: Ranked, score: float | None, feats: dict[str, float] | None
) -> Step:
    p = ranked.proposal
    gain = None if ranked.gain is None else round(ranked.gain, 3)
    score = None if score is None else round(score, 4)
    return Step(p.label, p.start, p.end, text[p.start : p.end], p.text, gain, score, feats)


def _accept(outcome: Outcome, choice: tuple[Ranked, Step]) -> None:
    """Make the chosen candidate the sentence's current text; the fixed proposals follow
    its offsets."""
    ranked, step = choice
    p, old = ranked.proposal, outcome.text
    outcome.steps.append(step)
    outcome.text = ranked.text
    outcome.seen.add(ranked.text)
    pending = [_shifted(f, p, old, ranked.text) for f in outcome.pending if f is not p]
    outcome.pending = [f for f in pending if f is not None]


def _shifted(fixed: Proposal, made: Proposal, old: str, new: str) -> Proposal | None:
    """``fixed`` in offsets of the text after ``made``. Where ``made`` overlaps it (a phrase
    moved), the span it fixes is found again if it occurs once in the new text."""
    if fixed.end <= made.start and not (fixed.start == fixed.end == made.start):
        return fixed
    if fixed.start >= made.end:
        delta = len(made.text) - (made.end - made.start)
        return replace(fixed, start=fixed.start + delta, end=fixed.end + delta)
    span = old[fixed.start : fixed.end]
    if fixed.kind == "model" or len(span) < 3 or new.count(span) != 1:
        return None
    at = new.index(span)
    return replace(fixed, start=at, end=at + len(span))

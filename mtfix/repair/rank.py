"""Ranking: how much more likely each candidate edit makes its sentence under the base LM.

``LMRanker`` scores every proposal's first changed token from one pass over the sentences
(``SentenceLM.estimates``), keeps the ``shortlist`` best of the many small edits and every
structural one (word order, the rules', the checker's, a model's), and scores those
properly on the cached prefix (``SentenceLM.gains``). ``NoRanker`` is the search without
an LM (``--no-model``): the rules' and the checker's fixes, unscored, in text order.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Protocol

from mtfix.repair.propose import Proposal

# local fixes a rule, a checker or the article's style sheet is sure of
SURE_KINDS = frozenset({"rules", "checker", "style"})
WHOLE_KINDS = frozenset({"order", "rules", "style", "checker", "model"})  # always scored in full
SHORTLIST = 8  # small edits per sentence scored on, the best by their first token
PER_KIND = 2  # ... and the best few of each kind, so no kind crowds out the others
# Word-order moves per sentence scored in full, the best by its first token. A move is
# read to the sentence's end (30 tokens and more: it changes what follows), so on the seed
# two moves a sentence were a third of the search's reads, while on the 3,014 dev lines of
# eval/calibrate_search.py the search accepted a move in 4 at margin 5 and 12 at margin 2.
MOVES = 1
# Tokens of unchanged right context read for a small edit's shortlist score (the best are
# then read in full). On 150 JFLEG dev and 100 ru-en dev lines (/tmp script, 2026-12-03),
# windows 8 / 3 / 2 / 1 took 121 / 97 / 86 / 81 s on JFLEG and changed 0 / 0 / 2 / 7 of
# the 250 outputs (GLEU 34.47 / 34.47 / 34.50 / 34.50).
WINDOW = 2
EXACT = 3  # the best of each sentence rescored over the whole sentence, best first
# A small edit whose windowed gain falls this far under the margin is not read again in
# full: the tokens past the window move a local edit's gain by far less.
EXACT_SLACK = 2.0


@dataclass(frozen=True)
class Ranked:
    """A proposal, the sentence it makes and its gain in nats (None: not scored);
    ``fluency``: the mean log-probability per token of the sentence it edits."""

    proposal: Proposal
    text: str
    gain: float | None
    fluency: float | None = None


class Ranker(Protocol):
    """Scores the proposals of each sentence; best first."""

    timings: dict[str, float]

    def rank(
        self, texts: list[str], proposals: list[list[Proposal]],
        contexts: list[str] | None = None,
    ) -> list[list[Ranked]]: ...


class NoRanker:
    """No LM: a model's rewrites (where one is given), then the sure fixes in text order,
    unscored: the guard alone decides."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = defaultdict(float)

    def rank(
        self, texts: list[str], proposals: list[list[Proposal]],
        contexts: list[str] | None = None,
    ) -> list[list[Ranked]]:  # fmt: skip
        return [
            [
                Ranked(p, p.apply(text), None)
                for p in sorted(ps, key=lambda p: (p.kind != "model", p.start, p.end))
                if p.kind in SURE_KINDS | {"model"}
            ]
            for text, ps in zip(texts, proposals, strict=True)
        ]


class LMRanker:
    """The base LM's verdict on every proposal, over a shortlist of the small edits."""

    def __init__(
        self, lm: Any, shortlist: int = SHORTLIST, words: bool = True,
        margin: float | None = None,
    ) -> None:  # fmt: skip
        from mtfix.repair.propose.words import WordProposer

        self.lm = lm
        self.shortlist = shortlist
        # None: every shortlisted edit's gain is exact; else those under it keep the window's
        self.floor = None if margin is None else margin - EXACT_SLACK
        self.words = WordProposer(lm) if words else None
        self.timings: dict[str, float] = defaultdict(float)
        self._last: Any = None  # the previous round's analysis (its reads are reused)

    def rank(
        self, texts: list[str], proposals: list[list[Proposal]],
        contexts: list[str] | None = None,
    ) -> list[list[Ranked]]:  # fmt: skip
        """Best first, per sentence; each read after its context (the article's headline
        and the sentence before it) where ``contexts`` gives one."""
        start = time.perf_counter()
        analysis = self._last = self.lm.analyse(texts, contexts, self._last)
        self._tick("lm_pass", start)
        if self.words is not None:
            start = time.perf_counter()
            proposals = [
                [*ps, *self.words.propose_at(analysis, row)] for row, ps in enumerate(proposals)
            ]
            self._tick("propose_words", start)
        start = time.perf_counter()
        picked = [self._shortlist(analysis, row, ps) for row, ps in enumerate(proposals)]
        self._tick("estimate", start)
        start = time.perf_counter()
        windows = [None if p.kind in WHOLE_KINDS else WINDOW for g in picked for p, _, _ in g]
        best = [  # the best few, and every style fix (read in full already: no more cost)
            [item for k, item in enumerate(group)
             if (k < EXACT or item[0].kind == "style") and self._hopeful(item)]
            for group in self._scored(analysis, picked, windows)
        ]  # fmt: skip
        self._tick("rescore", start)
        start = time.perf_counter()
        exact = self._exact(analysis, best)
        self._tick("rescore_exact", start)
        fluency = [row.fluency for row in analysis.rows]
        return [
            [Ranked(p, text, gain, fluency[row]) for p, text, _, gain in group]
            for row, group in enumerate(exact)
        ]

    def _hopeful(self, item: tuple) -> bool:
        """Whether a shortlisted edit may still reach the margin once read in full."""
        return self.floor is None or item[0].kind in WHOLE_KINDS or item[3] >= self.floor

    def _exact(self, analysis: Any, best: list[list]) -> list[list]:
        """``best`` with every gain over the whole sentence: those whose window stopped
        short of the sentence's end read again in full, best first again."""
        partial = [
            [item for item in group if not self._whole(analysis, row, item)]
            for row, group in enumerate(best)
        ]
        redone = self._scored(analysis, partial, [None] * sum(len(g) for g in partial))
        out = []
        for group, again in zip(best, redone, strict=True):
            full = {item[1]: item for item in again}
            merged = (full.get(item[1], item) for item in group)
            out.append(sorted(merged, key=lambda r: (-r[3], r[1])))
        return out

    def _whole(self, analysis: Any, row: int, item: tuple) -> bool:
        """Whether the shortlist's read of ``item`` already covered the whole sentence."""
        return item[0].kind in WHOLE_KINDS or self.lm.covers(analysis, row, item[2], WINDOW)

    def _scored(self, analysis: Any, groups: list[list], windows: list[int | None]) -> list[list]:
        """Each group's (proposal, text, ids, gain), best first."""
        jobs = [(row, item[2]) for row, group in enumerate(groups) for item in group]
        gains = iter(self.lm.gains(analysis, jobs, windows) if jobs else [])
        return [
            sorted(((*item[:3], next(gains)) for item in group), key=lambda r: (-r[3], r[1]))
            for group in groups
        ]

    def _shortlist(
        self, analysis: Any, row: int, proposals: list[Proposal]
    ) -> list[tuple[Proposal, str, list[int]]]:
        """The proposals worth scoring in full: distinct new texts, structural ones all."""
        text = analysis.rows[row].text
        unique: dict[str, Proposal] = {}
        for p in proposals:
            unique.setdefault(p.apply(text), p)
        unique.pop(text, None)
        if not unique:
            return []
        texts = list(unique)
        ids = self.lm.candidate_tokens(analysis, row, texts)
        estimates = self.lm.estimates(analysis, row, ids)
        whole = [i for i, t in enumerate(texts) if unique[t].kind in WHOLE_KINDS - {"order"}]
        moves = [i for i, t in enumerate(texts) if unique[t].kind == "order"]
        whole += sorted(moves, key=lambda i: (-estimates[i], texts[i]))[:MOVES]
        small = sorted(
            (i for i, t in enumerate(texts) if unique[t].kind not in WHOLE_KINDS),
            key=lambda i: (-estimates[i], texts[i]),
        )
        per_kind: dict[str, list[int]] = defaultdict(list)
        for i in small:
            per_kind[unique[texts[i]].kind].append(i)
        best_of_kinds = [i for group in per_kind.values() for i in group[:PER_KIND]]
        keep = sorted(set(whole + small[: self.shortlist] + best_of_kinds))
        return [(unique[texts[i]], texts[i], ids[i]) for i in keep]

    def _tick(self, stage: str, start: float) -> None:
        self.timings[stage] += time.perf_counter() - start

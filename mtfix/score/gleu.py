"""GLEU for fluency references (Napoles et al. 2015, multi-reference update of 2016).

A faithful port of ``compute_gleu`` in JFLEG's ``eval/gleu.py`` (github keisks/jfleg):
hypothesis n-grams found in the reference are rewarded, those copied from the source where
the reference changed them are penalised. Each of ``iterations`` rounds draws one reference
per sentence at random (Python 2's ``random.seed(j * 101); randint``, which the published
JFLEG figures used) and computes corpus GLEU; the score is the mean over rounds.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import numpy as np

Ngrams = Counter[tuple[str, ...]]


def _ngrams(tokens: Sequence[str], n: int) -> Ngrams:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) + 1 - n))


def _py2_randint_0(rng: random.Random, high: int) -> int:
    """Python 2's ``randint(0, high)``: ``int(random() * (high + 1))``."""
    return int(rng.random() * (high + 1))


class GLEU:
    """Corpus GLEU (0-100) of hypotheses against sources and several references.

    Input lines are already tokenized (JFLEG is); they are split on whitespace.
    """

    def __init__(self, order: int = 4, iterations: int = 500, seed: int = 0) -> None:
        self.order = order
        self.iterations = iterations
        self.seed = seed

    @property
    def signature(self) -> str:
        """Reproducibility signature of the settings."""
        seeds = f"{self.seed}+101j" if self.seed else "101j"
        return f"n:{self.order}|iter:{self.iterations}|seed:{seeds}|tok:whitespace|v:jfleg-2016"

    def sentence_stats(
        self, hyp: Sequence[str], src: Sequence[str], ref: Sequence[str]
    ) -> list[int]:
        """``[hyp_len, ref_len, num_1, den_1, ..., num_n, den_n]`` for one sentence."""
        stats = [len(hyp), len(ref)]
        for n in range(1, self.order + 1):
            h, s, r = _ngrams(hyp, n), _ngrams(src, n), _ngrams(ref, n)
            s_not_r = Counter({k: v for k, v in s.items() if k not in r})
            matched = sum((h & r).values()) - sum((h & s_not_r).values())
            stats += [max(matched, 0), max(len(hyp) + 1 - n, 0)]
        return stats

    def score_from_stats(self, stats: Sequence[float]) -> float:
        """Corpus GLEU in [0, 1] from summed sentence statistics (0 if any count is 0)."""
        if any(x == 0 for x in stats):
            return 0.0
        c, r = stats[:2]
        log_prec = sum(math.log(x / y) for x, y in zip(stats[2::2], stats[3::2], strict=True))
        return math.exp(min(0.0, 1 - r / c) + log_prec / self.order)

    def _ref_choices(self, n_sents: int, n_refs: int) -> np.ndarray:
        """One reference index per sentence and iteration, as JFLEG draws them."""
        choices = np.empty((self.iterations, n_sents), dtype=np.int64)
        for j in range(self.iterations):
            rng = random.Random(self.seed + j * 101)
            choices[j] = [_py2_randint_0(rng, n_refs - 1) for _ in range(n_sents)]
        return choices

    def corpus_score(
        self, hyps: Sequence[str], sources: Sequence[str], refs: Sequence[Sequence[str]]
    ) -> float:
        """Mean corpus GLEU (0-100) over iterations; ``refs`` are reference streams."""
        if not refs or {len(hyps), len(sources), *map(len, refs)} != {len(hyps)}:
            raise ValueError("hypotheses, sources and every reference stream must align")
        stats = np.array(
            [
                [self.sentence_stats(h.split(), s.split(), r.split()) for r in rs]
                for h, s, *rs in zip(hyps, sources, *refs, strict=True)
            ],
            dtype=np.int64,
        ).reshape(len(hyps), len(refs), 2 + 2 * self.order)
        choices = self._ref_choices(len(hyps), len(refs))
        totals = stats[np.arange(len(hyps)), choices].sum(axis=1)
        return 100 * float(np.mean([self.score_from_stats(t.tolist()) for t in totals]))

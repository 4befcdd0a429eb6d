"""The model's candidates: its rewrite of each sentence, with the segment's ending kept
and, where the backend can say, how much more likely the model finds the rewrite than a
copy of its input (the choice keeps only rewrites the model is sure of)."""

from __future__ import annotations

import re

from mtfix.article import Candidate, Sentence
from mtfix.rewrite import NBestRewriter, Rewriter, ScoringRewriter

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
    rewriter: Rewriter, sentences: list[Sentence], texts: list[str], n_best: int = 1
) -> list[list[Candidate]]:
    """Per sentence, the distinct rewrites of its text in ``texts`` (the model's ``n_best``
    where the backend has beam search; its best alone otherwise), best first."""
    if n_best > 1 and isinstance(rewriter, NBestRewriter):
        found = rewriter.rewrite_n(texts, n_best)
    else:
        found = [[r] for r in rewriter.rewrite(texts)]
    ranked = [
        list(dict.fromkeys(keep_ending(t, r) for r in rs))
        for t, rs in zip(texts, found, strict=True)
    ]
    flat = [(i, k, r) for i, rs in enumerate(ranked) for k, r in enumerate(rs)]
    preferences = _preferences(rewriter, [texts[i] for i, _, _ in flat], [r for _, _, r in flat])
    out: list[list[Candidate]] = [[] for _ in sentences]
    for (i, k, r), p in zip(flat, preferences, strict=True):
        source = rewriter.name if k == 0 else f"{rewriter.name}#{k + 1}"
        out[i].append(Candidate(sentences[i], r, source, preference=p))
    return out


def _preferences(rewriter: Rewriter, texts: list[str], rewrites: list[str]) -> list[float | None]:
    """The model's preference for each rewrite that changes its text (None: unscored)."""
    if not isinstance(rewriter, ScoringRewriter):
        return [None] * len(texts)
    changed = [i for i, (t, r) in enumerate(zip(texts, rewrites, strict=True)) if t != r]
    scores = rewriter.preference([texts[i] for i in changed], [rewrites[i] for i in changed])
    got = dict(zip(changed, scores, strict=True))
    return [got.get(i) for i in range(len(texts))]

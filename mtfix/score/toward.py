"""Toward or away: whether a change moves a line closer to its human text.

A change moves a line *toward* its post-edit (or the nearest of its references) when it
lowers the word edit distance to it, *away* when it raises it, and is *neutral* when the
distance stays: a count a reader can check, where TER against a minimal post-edit punishes
a good fluency edit as much as a bad one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_TOKEN = re.compile(r"\w+|[^\w\s]")
VERDICTS = ("toward", "away", "neutral")


def words(text: str) -> list[str]:
    """Lower-cased words and punctuation marks."""
    return _TOKEN.findall(text.lower())


def distance(a: list[str], b: list[str]) -> int:
    """Word edit distance (insertions, deletions, substitutions)."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = row
    return prev[-1]


def nearest(text: str, refs: Sequence[str]) -> int:
    """The distance to the nearest reference."""
    mine = words(text)
    return min(distance(mine, words(r)) for r in refs)


def verdict(before: str, after: str, refs: Sequence[str]) -> str:
    """``toward``, ``away`` or ``neutral``."""
    delta = nearest(after, refs) - nearest(before, refs)
    return "toward" if delta < 0 else "away" if delta > 0 else "neutral"


def verdict_counts(
    before: Sequence[str], after: Sequence[str], refs: Sequence[Sequence[str]]
) -> dict[str, int]:
    """How many changed lines (``after`` differs from ``before``) move each way;
    ``refs`` are reference streams."""
    counts = Counter({v: 0 for v in VERDICTS})
    for b, a, *rs in zip(before, after, *refs, strict=True):
        if b != a:
            counts[verdict(b, a, rs)] += 1
    return dict(counts)

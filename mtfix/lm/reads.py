"""The reads of candidate edits: which tokens of a candidate the ranker reads on top of
its row's cached prefix (``Read``, ``plan``), and how reads are cut into ``extend`` calls."""

from __future__ import annotations

from dataclasses import dataclass

TOKENS_PER_BATCH = 1024  # candidate tokens read in one ``extend`` call (a call costs 30 ms
# before its first token: fewer, fuller calls; padding costs nothing, see mtfix.nn.packing)


@dataclass(frozen=True)
class Read:
    """The tokens of one candidate to read: ``ids[start:end]`` after row ``row``'s prefix,
    compared with ``base_end`` of the row's own."""

    row: int
    ids: list[int]
    start: int
    end: int
    base_end: int

    @property
    def whole(self) -> bool:
        """Whether the read reaches the end of the candidate."""
        return self.end == len(self.ids)

    @property
    def steps(self) -> int:
        """Tokens fed to ``extend``: those after the first (predicted from the cached
        prefix), and the last too where the read reaches the end (its states are kept)."""
        return max(self.end - self.start - (0 if self.whole else 1), 0)


def chunks(order: list[int], steps: list[int]) -> list[list[int]]:
    """``order`` cut so that each chunk's tokens stay in the budget."""
    out: list[list[int]] = [[]]
    total = 0
    for j, n in zip(order, steps, strict=True):
        if out[-1] and total + n > TOKENS_PER_BATCH:
            out.append([])
            total = 0
        out[-1].append(j)
        total += n
    return out


def first_spanned(offsets: list[tuple[int, int]]) -> int:
    """The first token with a character span: the sentence's first, after the context."""
    return next((i for i, (a, b) in enumerate(offsets) if b > a), len(offsets))


def first_change(a: list[int], b: list[int]) -> int:
    """The first position where two token sequences differ (both start with <bos>)."""
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


def plan(base: list[int], cand: list[int], window: int | None) -> tuple[int, int, int]:
    """(start, end in the candidate, end in the base) of the tokens to compare."""
    start = max(first_change(base, cand), 1)
    same_tail = 0
    while (
        same_tail < min(len(base), len(cand)) - start
        and base[-1 - same_tail] == cand[-1 - same_tail]
    ):
        same_tail += 1
    read = same_tail if window is None else min(window, same_tail)
    return start, len(cand) - same_tail + read, len(base) - same_tail + read

"""What one round's reads leave for the next round's analysis.

A candidate read to the end of its sentence (a whole read, or the exact rescoring of the
best) has had every token from its first change on read on top of its row's cached prefix:
its hidden states, normalisers, keys and values are those a fresh pass over the candidate
would give. When the search accepts it, the next round's analysis of the new sentence
takes the row's prefix and the read's states together instead of reading the sentence,
its context included, again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Continuation:
    """A candidate's states from ``start`` to its end, read after row ``row``'s prefix."""

    row: int
    start: int
    hidden: Any  # (length - start) x hidden
    lse: Any  # (length - start)
    cache: list[tuple[Any, Any]]  # per layer: heads x (length - start) x dim


def blank_cache(like: list[tuple[Any, Any]], rows: int, width: int) -> list[tuple[Any, Any]]:
    """Zero keys and values shaped as ``like``'s layers for ``rows`` rows of ``width``."""
    return [
        tuple(t.new_zeros(rows, t.shape[1], width, t.shape[3]) for t in layer)  # type: ignore[misc]
        for layer in like
    ]


def place(
    into: tuple[Any, Any, list[tuple[Any, Any]]], row: int,
    before: tuple[Any, Any, list[tuple[Any, Any]]], piece: Continuation, length: int,
) -> None:  # fmt: skip
    """Write row ``row`` of (hidden, lse, cache) ``into``: the first ``piece.start``
    positions from row ``piece.row`` of ``before`` (the previous analysis), the rest from
    ``piece``."""
    hidden, lse, cache = into
    old_hidden, old_lse, old_cache = before
    s, b = piece.start, piece.row
    hidden[row, :s], hidden[row, s:length] = old_hidden[b, :s], piece.hidden
    lse[row, :s], lse[row, s:length] = old_lse[b, :s], piece.lse
    for (k, v), (ok, ov), (nk, nv) in zip(cache, old_cache, piece.cache, strict=True):
        k[row, :, :s], k[row, :, s:length] = ok[b, :, :s], nk
        v[row, :, :s], v[row, :, s:length] = ov[b, :, :s], nv

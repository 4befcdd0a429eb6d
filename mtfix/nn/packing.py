"""Where a batch's real tokens lie, so that ``mtfix.nn.gemma3``'s products run on them
alone (a padded position costs as much as a real one) and only attention sees a padded
layout; and continuations of one cached row packed into one sequence, so that the row's
cached keys are copied once per row, not once per continuation."""

from __future__ import annotations

from dataclasses import dataclass

import torch

PACK = 64  # tokens of one row's continuations packed into one sequence, at most


class Layout:
    """The real tokens of a ``batch x length`` layout, in the order ``index`` gives (flat
    positions in the layout; None: every position, row by row)."""

    def __init__(self, shape: tuple[int, int], index: torch.Tensor | None) -> None:
        self.shape = shape
        self.index = index

    @classmethod
    def of_mask(cls, attention_mask: torch.Tensor) -> Layout:
        """The positions ``attention_mask`` marks real, row by row."""
        real = attention_mask.reshape(-1).bool()
        index = None if bool(real.all()) else real.nonzero().squeeze(1)
        return cls((attention_mask.shape[0], attention_mask.shape[1]), index)

    def flat(self, padded: torch.Tensor) -> torch.Tensor:
        """``batch x length (x features)`` -> ``real tokens (x features)``."""
        rows = padded.reshape(-1, *padded.shape[2:])
        return rows if self.index is None else rows.index_select(0, self.index)

    def padded(self, flat: torch.Tensor) -> torch.Tensor:
        """``real tokens x features`` -> ``batch x length x features``, zeros between."""
        if self.index is not None:
            full = flat.new_zeros(self.shape[0] * self.shape[1], flat.shape[-1])
            flat = full.index_copy_(0, self.index, flat)
        return flat.view(*self.shape, flat.shape[-1])


@dataclass
class Packed:
    """Continuations of cached rows, one sequence per distinct row (``groups x length``).
    A token sees the first ``visible`` cached positions of its row and the earlier tokens
    of its own continuation (``reads``: the continuation's index, -1 for padding)."""

    rows: torch.Tensor  # the cache row of each sequence
    input_ids: torch.Tensor
    positions: torch.Tensor
    visible: torch.Tensor
    reads: torch.Tensor
    layout: Layout  # the real tokens, in the continuations' order (continuation, step)


def pack(
    rows: torch.Tensor, starts: torch.Tensor, input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
) -> Packed:  # fmt: skip
    """Right-padded continuations (``batch x steps``) of ``rows`` after ``starts`` cached
    positions, packed by row, ``PACK`` tokens to a sequence at most (a longer
    continuation alone): attention's cost grows with a sequence's length squared."""
    lengths = attention_mask.sum(1).tolist()
    sequences = _sequences(rows.tolist(), lengths)
    width = max([1, *(sum(lengths[b] for b in seq) for _, seq in sequences)])
    shape = (len(sequences), width)
    ids, positions, visible = (torch.zeros(shape, dtype=torch.long) for _ in range(3))
    reads = torch.full(shape, -1, dtype=torch.long)
    where: list[torch.Tensor] = [torch.zeros(0, dtype=torch.long)] * len(lengths)
    for g, (_, seq) in enumerate(sequences):
        at = 0
        for b in seq:
            n, start = lengths[b], int(starts[b])
            span = slice(at, at + n)
            ids[g, span], reads[g, span] = input_ids[b, :n], b
            positions[g, span] = torch.arange(start, start + n)
            visible[g, span] = start
            where[b] = torch.arange(g * width + at, g * width + at + n)
            at += n
    layout = Layout(shape, torch.cat(where))
    cached = torch.tensor([row for row, _ in sequences])
    return Packed(cached, ids, positions, visible, reads, layout)


def _sequences(rows: list[int], lengths: list[int]) -> list[tuple[int, list[int]]]:
    """The continuations (indices) of each sequence and the row they continue."""
    open_: dict[int, int] = {}  # row -> its sequence still taking continuations
    out: list[tuple[int, list[int]]] = []
    for b, row in enumerate(rows):
        g = open_.get(row)
        if g is None or sum(lengths[c] for c in out[g][1]) + lengths[b] > PACK:
            open_[row] = g = len(out)
            out.append((row, []))
        out[g][1].append(b)
    return out

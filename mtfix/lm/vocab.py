"""The English part of a large LM vocabulary: which token ids the cut model keeps.

Gemma's 262k-entry output layer is most of its cost on a CPU; a repair model writes
English only, so it keeps the tokens its training text uses, the 256 byte-fallback
pieces and the special tokens. Input is mapped into the kept ids; a token outside them
(a rare name in another script) is spelled with byte pieces, so no input is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE = "vocab.json"
SPACE = "▁"  # SentencePiece's word-boundary mark


def byte_piece_ids(tokenizer: Any) -> list[int]:
    """Ids of the byte-fallback pieces ``<0x00>`` .. ``<0xFF>`` the tokenizer has."""
    vocab = tokenizer.get_vocab()
    return [vocab[p] for b in range(256) if (p := f"<0x{b:02X}>") in vocab]


@dataclass
class VocabMap:
    """Kept full-vocabulary ids (sorted); their positions are the cut model's ids."""

    kept: list[int]
    _index: dict[int, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {full: cut for cut, full in enumerate(self.kept)}

    def __len__(self) -> int:
        return len(self.kept)

    @classmethod
    def build(cls, tokenizer: Any, texts: Iterable[str]) -> VocabMap:
        """Every token of ``texts``, the byte pieces and the special tokens."""
        kept = set(byte_piece_ids(tokenizer)) | set(tokenizer.all_special_ids)
        for ids in _batched_ids(tokenizer, texts):
            kept.update(ids)
        return cls(sorted(kept))

    def to_cut(self, tokenizer: Any, ids: list[int]) -> list[int]:
        """Cut ids for full ids; a token not kept is spelled in byte pieces."""
        out = []
        for full in ids:
            cut = self._index.get(full)
            out += [cut] if cut is not None else self._spell(tokenizer, full)
        return out

    def to_full(self, ids: Iterable[int]) -> list[int]:
        """Full ids for cut ids."""
        return [self.kept[i] for i in ids]

    def get(self, full: int) -> int | None:
        """The cut id of a full id, or None when it is not kept."""
        return self._index.get(full)

    def cut_id(self, full: int) -> int:
        """The cut id of a kept full id (special tokens are always kept)."""
        return self._index[full]

    def _spell(self, tokenizer: Any, full: int) -> list[int]:
        piece = tokenizer.convert_ids_to_tokens(full).replace(SPACE, " ")
        pieces = [f"<0x{b:02X}>" for b in piece.encode("utf-8")]
        return [self._index[i] for i in tokenizer.convert_tokens_to_ids(pieces)]

    def save(self, folder: Path) -> None:
        (folder / FILE).write_text(json.dumps({"kept": self.kept}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> VocabMap | None:
        """The map saved in ``folder``, or None when the model keeps its full vocabulary."""
        path = folder / FILE
        return cls(json.loads(path.read_text("utf-8"))["kept"]) if path.is_file() else None


def _batched_ids(tokenizer: Any, texts: Iterable[str], size: int = 2048) -> Iterable[list[int]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == size:
            yield from tokenizer(batch, add_special_tokens=False)["input_ids"]
            batch = []
    if batch:
        yield from tokenizer(batch, add_special_tokens=False)["input_ids"]

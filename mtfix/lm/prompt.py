"""The one format a repair LM is trained and used with: ``<bos>source => target<eos>``.

``Codec`` turns text into the model's token ids (cut ids when the model has a
``VocabMap``) and back, so training and rewriting cannot disagree on the format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mtfix.lm.vocab import VocabMap

SEPARATOR = " =>"


def prompt_text(source: str) -> str:
    """The text of a prompt (after ``<bos>``)."""
    return source + SEPARATOR


def target_text(target: str) -> str:
    """The text of a target (before ``<eos>``): it follows the separator after a space."""
    return " " + target


def both_forms(text: str) -> tuple[str, str]:
    """A sentence as a prompt and as a target: its first word is tokenised differently
    in each (no leading space after ``<bos>``, one after the separator)."""
    return prompt_text(text), target_text(text)


@dataclass
class Codec:
    """Prompt and target ids for one tokenizer and (optionally) a cut vocabulary."""

    tokenizer: Any
    vocab: VocabMap | None = None

    def _ids(self, text: str) -> list[int]:
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return self.vocab.to_cut(self.tokenizer, ids) if self.vocab else ids

    def _special(self, name: str) -> int:
        full = getattr(self.tokenizer, name)
        if full is None:
            full = self.tokenizer.eos_token_id
        return self.vocab.cut_id(full) if self.vocab else full

    @property
    def bos_id(self) -> int:
        return self._special("bos_token_id")

    @property
    def eos_id(self) -> int:
        return self._special("eos_token_id")

    @property
    def pad_id(self) -> int:
        return self._special("pad_token_id")

    def prompt(self, source: str) -> list[int]:
        """``<bos>source =>``: what the model continues."""
        return [self.bos_id, *self._ids(prompt_text(source))]

    def target(self, target: str) -> list[int]:
        """`` target<eos>``: what the model is trained to write after the prompt."""
        return [*self._ids(target_text(target)), self.eos_id]

    def decode(self, ids: list[int]) -> str:
        """The text of generated ids (up to the first end of sequence), spaces normalised."""
        if self.eos_id in ids:
            ids = ids[: ids.index(self.eos_id)]
        full = self.vocab.to_full(ids) if self.vocab else ids
        return " ".join(self.tokenizer.decode(full, skip_special_tokens=True).split())


IGNORE = -100  # the label of a token that is not scored


def collate(pairs: list[tuple[list[int], list[int]]], pad: int) -> dict[str, Any]:
    """Right-padded input ids and attention mask of (prompt, target) id pairs, and labels
    on the target tokens only (training's loss and a rewrite's likelihood alike)."""
    import torch

    longest = max(len(p) + len(t) for p, t in pairs)
    ids, mask, labels = [], [], []
    for prompt, target in pairs:
        seq, fill = prompt + target, longest - len(prompt) - len(target)
        ids.append(seq + [pad] * fill)
        mask.append([1] * len(seq) + [0] * fill)
        labels.append([IGNORE] * len(prompt) + target + [IGNORE] * fill)
    return {k: torch.tensor(v) for k, v in
            (("input_ids", ids), ("attention_mask", mask), ("labels", labels))}  # fmt: skip

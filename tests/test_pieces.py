"""Candidates tokenized a word at a time give the tokenizer's own ids, or are not tried."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtfix.lm.pieces import VERDICT, Pieces, examine
from tests.conftest import _CORPUS, BYTE_PIECES, build_tiny_tokenizer

TEXTS = [
    *_CORPUS,
    "Visit  de Mistura in Moscow",
    " leading and trailing ",
    "   ",
    "",
    "one",
    "Talks in Geneva, émigrés and 29-30 March 東京 🙂",
    "a > </b> c",
    "line\nbreak\ttab",
    "the the the said the talks",
    "Russia and the United States agreed on the date.",
]


def gemma_like(path: Path, crossing: bool) -> object:
    """A tokenizer laid out as Gemma's: spaces normalised to "▁", BPE over the whole text,
    byte fallback. Its trainer learns merges across words (as Gemma's vocabulary does
    once, ">▁</") unless ``crossing`` is off, when each word is trained alone."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    raw = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    if not crossing:  # train on words, then drop the splitter: no merge spans two words
        raw.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="never")
    specials = ["<pad>", "<eos>", "<bos>", "<unk>", *BYTE_PIECES]
    raw.normalizer = normalizers.Replace(" ", "▁")
    raw.train_from_iterator(_CORPUS * 3, trainers.BpeTrainer(vocab_size=420,
                                                             special_tokens=specials))  # fmt: skip
    raw.pre_tokenizer = pre_tokenizers.Split(" ", behavior="merged_with_previous")
    path.mkdir(parents=True, exist_ok=True)
    raw.save(str(path / "tokenizer.json"))
    return PreTrainedTokenizerFast(tokenizer_file=str(path / "tokenizer.json"),
                                   bos_token="<bos>", name_or_path=str(path))  # fmt: skip


def whole(tokenizer, texts: list[str]) -> list[list[int]]:
    ids = [e.ids for e in tokenizer._tokenizer.encode_batch_fast(texts)]
    return [i[1:] if i[:1] == [tokenizer.bos_token_id] else i for i in ids]


@pytest.mark.parametrize("crossing", [False, True])
def test_word_at_a_time_ids_are_the_tokenizers_own(tmp_path: Path, crossing: bool) -> None:
    tokenizer = gemma_like(tmp_path, crossing)
    pieces = Pieces.of(tokenizer)
    assert pieces is not None
    assert bool(pieces.exceptions) == crossing  # merges across words: texts encoded whole
    variants = [t.replace(" ", "  ", 1) for t in TEXTS] + [t + " ." for t in TEXTS]
    texts = TEXTS + variants
    assert pieces.encode(texts) == whole(tokenizer, texts)
    assert pieces.encode(texts[::-1]) == whole(tokenizer, texts[::-1])  # from memory now


def test_a_tokenizer_that_splits_first_is_not_tried(tmp_path: Path) -> None:
    assert Pieces.of(build_tiny_tokenizer(tmp_path)) is None  # Metaspace, not Gemma's layout


def test_the_verdict_is_kept_and_made_again_when_the_tokenizer_changes(tmp_path: Path) -> None:
    assert Pieces.of(gemma_like(tmp_path, crossing=False)) is not None
    kept = json.loads((tmp_path / VERDICT).read_text())
    assert kept["exact"] and kept["exceptions"] == []
    kept["exact"] = False  # a kept verdict is read, not made again
    (tmp_path / VERDICT).write_text(json.dumps(kept))
    assert Pieces.of(_loaded(tmp_path)) is None
    spec = json.loads((tmp_path / "tokenizer.json").read_text())
    spec["model"]["dropout"] = 0.1  # a changed file: examined again (and refused: sampled)
    (tmp_path / "tokenizer.json").write_text(json.dumps(spec))
    assert Pieces.of(_loaded(tmp_path)) is None
    assert not json.loads((tmp_path / VERDICT).read_text())["exact"]


def _loaded(path: Path):
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(tokenizer_file=str(path / "tokenizer.json"),
                                   bos_token="<bos>", name_or_path=str(path))  # fmt: skip


def test_examine_refuses_other_layouts() -> None:
    base = {
        "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        "pre_tokenizer": None,
        "model": {"type": "BPE", "vocab": {"a▁b": 5, "▁a": 6}},
    }
    assert examine(base) == {"exact": True, "exceptions": ["a b"]}
    assert not examine({**base, "model": {"type": "Unigram"}})["exact"]
    assert not examine({**base, "normalizer": None})["exact"]
    assert not examine({**base, "pre_tokenizer": {"type": "Whitespace"}})["exact"]

"""The converted base's tokenizer file rewritten for the faster loader: same ids."""

from __future__ import annotations

import json
from pathlib import Path

from tokenizers import Tokenizer

from mtfix.lm.tokfile import MARKER, compact_merges
from tests.conftest import _CORPUS, build_tiny_tokenizer


def _saved(tmp_path: Path) -> Path:
    build_tiny_tokenizer(tmp_path)
    assert (tmp_path / "tokenizer.json").is_file()
    return tmp_path


def test_merges_become_strings_and_ids_stay_the_same(tmp_path: Path) -> None:
    folder = _saved(tmp_path)
    before = Tokenizer.from_file(str(folder / "tokenizer.json"))
    merges = json.loads((folder / "tokenizer.json").read_text())["model"]["merges"]
    assert isinstance(merges[0], list)  # as transformers writes them
    assert compact_merges(folder)
    spec = json.loads((folder / "tokenizer.json").read_text())
    assert spec["model"]["merges"] == [" ".join(m) for m in merges]
    after = Tokenizer.from_file(str(folder / "tokenizer.json"))
    texts = [*_CORPUS, "Talks in Geneva, émigrés and 29-30 March"]
    assert [e.ids for e in before.encode_batch(texts)] == [e.ids for e in after.encode_batch(texts)]
    assert (folder / MARKER).exists() and not compact_merges(folder)  # once


def test_a_piece_with_a_space_keeps_the_pair_form(tmp_path: Path) -> None:
    folder = _saved(tmp_path)
    path = folder / "tokenizer.json"
    spec = json.loads(path.read_text())
    spec["model"]["merges"][0] = ["a b", "c"]  # "a b c" would be ambiguous as a string
    path.write_text(json.dumps(spec))
    assert not compact_merges(folder)
    assert json.loads(path.read_text())["model"]["merges"][0] == ["a b", "c"]

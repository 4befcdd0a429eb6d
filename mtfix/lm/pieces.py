"""Candidate texts tokenized a word at a time, each word's tokens remembered.

Gemma's tokenizer writes a space as "▁" and runs BPE over the whole text, but no token of
its vocabulary holds a "▁" after another character (one exception, ">▁</"). No merge
crosses the start of a word, then, and a text's tokens are its words' tokens end to end,
a word being a run of spaces and the characters up to the next space. The ranker
tokenizes hundreds of candidates per sentence that differ from it in a word or two:
looked up a word at a time, they cost a fifth of a whole encoding each. ``Pieces.of``
says whether a tokenizer qualifies; a text holding an exception is encoded whole.
"""

from __future__ import annotations

import json
import re
from contextlib import suppress
from pathlib import Path
from typing import Any

SPACE = "▁"
WORD = re.compile(r" *[^ ]+| +")  # a tokenizer's words: leading spaces and what follows
VERDICT = "word-pieces.json"  # beside tokenizer.json: whether the tokenizer qualifies
MAX_WORDS = 200_000  # remembered words; the memory is cleared when it grows past this


class Pieces:
    """Token ids of texts (without <bos>), from remembered words' ids."""

    def __init__(self, rust: Any, exceptions: tuple[str, ...], bos: int | None) -> None:
        self.rust, self.exceptions, self.bos = rust, exceptions, bos
        self.known: dict[str, list[int]] = {}

    @classmethod
    def of(cls, tokenizer: Any) -> Pieces | None:
        """Word-at-a-time encoding for ``tokenizer``, or None where it is not exact: a
        tokenizer other than a space-to-"▁" normaliser before BPE with no pre-tokenizer."""
        rust = getattr(tokenizer, "_tokenizer", None)
        if rust is None or not hasattr(rust, "encode_batch_fast"):
            return None
        verdict = _verdict(rust, Path(getattr(tokenizer, "name_or_path", "") or "."))
        if not verdict["exact"]:
            return None
        return cls(rust, tuple(verdict["exceptions"]), tokenizer.bos_token_id)

    def encode(self, texts: list[str]) -> list[list[int]]:
        """Each text's token ids, as the tokenizer gives them less a leading <bos>."""
        whole = {t for t in texts if any(x in t for x in self.exceptions)}
        split = {t: WORD.findall(t) for t in texts if t not in whole}
        words = {w: self.known.get(w) for ws in split.values() for w in ws}
        new = [w for w, ids in words.items() if ids is None]
        if len(self.known) + len(new) > MAX_WORDS:
            self.known = {}
        fresh = dict(zip(new, self._encoded(new), strict=True))
        self.known.update(fresh)
        words |= fresh  # this call's own copy: another thread may clear the memory
        direct = dict(zip(whole, self._encoded(list(whole)), strict=True))
        return [
            direct[t] if t in direct else [i for w in split[t] for i in words[w] or ()]
            for t in texts
        ]

    def _encoded(self, texts: list[str]) -> list[list[int]]:
        out = []
        for enc in self.rust.encode_batch_fast(texts) if texts else []:
            ids = enc.ids
            out.append(ids[1:] if self.bos is not None and ids[:1] == [self.bos] else ids)
        return out


def _verdict(rust: Any, folder: Path) -> dict:
    """``examine``'s verdict on the tokenizer, kept beside its ``tokenizer.json`` (reading
    Gemma's 12 MB of JSON takes a second) and made again when that file changes."""
    path, kept = folder / "tokenizer.json", folder / VERDICT
    if not path.is_file():  # a tokenizer built in memory
        return examine(json.loads(rust.to_str()))
    info = path.stat()
    stamp = [info.st_size, info.st_mtime_ns]
    with suppress(OSError, ValueError):
        saved = json.loads(kept.read_text(encoding="utf-8"))
        if saved.get("stamp") == stamp:
            return saved
    verdict = {"stamp": stamp, **examine(json.loads(path.read_text(encoding="utf-8")))}
    with suppress(OSError):  # a read-only cache: examined again next time
        kept.write_text(json.dumps(verdict), encoding="utf-8")
    return verdict


def examine(spec: dict) -> dict:
    """Whether a tokenizer's JSON spec tokenizes a word at a time (``exact``), and the
    strings a text must not hold for it to (``exceptions``: tokens across a word's start)."""
    model = spec.get("model") or {}
    normalizer = spec.get("normalizer") or {}
    plain = normalizer.get("type") == "Replace" and normalizer.get("content") == SPACE
    plain = plain and (normalizer.get("pattern") or {}).get("String") == " "
    exact = plain and model.get("type") == "BPE" and not model.get("dropout")
    exact = exact and _splits_nothing(spec.get("pre_tokenizer"))
    vocab = model.get("vocab") or {}
    crossing = [t.replace(SPACE, " ") for t in vocab if SPACE in t.lstrip(SPACE)]
    crossing += [t["content"] for t in spec.get("added_tokens", []) if " " in t["content"]]
    return {"exact": bool(exact), "exceptions": crossing}


def _splits_nothing(pre: dict | None) -> bool:
    """Whether a pre-tokenizer leaves the normalised text whole: none, or a split on a
    plain space, which the normaliser has already replaced by "▁"."""
    if pre is None:
        return True
    pattern = pre.get("pattern") or {}
    return pre.get("type") == "Split" and pattern.get("String") == " "

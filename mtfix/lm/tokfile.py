"""The converted base's ``tokenizer.json`` in the form the Rust loader reads fastest.

transformers writes BPE merges as pairs (``["a", "b"]``); the ``tokenizers`` loader reads
the older ``"a b"`` strings about twice as fast (Gemma's 514,906 merges: a second on
every start). The strings are exact only where no piece holds a space, so the file is
rewritten only then; a marker beside it says it was looked at.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path

MARKER = "tokenizer.compact"


def compact_merges(folder: Path) -> bool:
    """Rewrite ``folder/tokenizer.json``'s merges as strings where that is exact, once;
    True where the file was rewritten."""
    path, marker = folder / "tokenizer.json", folder / MARKER
    if marker.exists() or not path.is_file():
        return False
    spec = json.loads(path.read_text(encoding="utf-8"))
    merges = spec.get("model", {}).get("merges") or []
    pairs = all(isinstance(m, list) and not any(" " in p for p in m) for m in merges)
    with suppress(OSError):  # a read-only cache still loads, only slower
        if merges and pairs:
            spec["model"]["merges"] = [" ".join(m) for m in merges]
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        marker.touch()
        return bool(merges and pairs)
    return False

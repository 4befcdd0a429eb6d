"""Spelling edits: common words one or two edits from a rare lower-case word.

Candidates come from a symmetric-delete index (as SymSpell builds) over wordfreq's
common English words; ``mtfix.check.spelling.best_correction`` ranks them and decides
which words are left alone (common words, names and British spellings Harper knows).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from mtfix.check.spelling import MIN_FIX_ZIPF, best_correction, english_zipf
from mtfix.repair.propose import Proposal
from mtfix.repair.propose.spans import protected, replace

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MAX_EDITS = 2
CORRECTIONS = 3  # offered per word
VOCABULARY = 60_000  # wordfreq's commonest words searched (their Zipf reaches below 2.5)
MIN_LETTERS = 3


def _deletes(word: str, edits: int) -> set[str]:
    """The word with up to ``edits`` letters deleted."""
    return {
        "".join(c for k, c in enumerate(word) if k not in gone)
        for n in range(min(edits, len(word) - 1) + 1)
        for gone in combinations(range(len(word)), n)
    }


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """Every deletion variant of a common word -> the common words it comes from; built
    once (about 4 s) and kept in the cache folder, where it loads in a tenth of that."""
    from mtfix.loads import loading

    path = _index_path()
    with loading("spelling-index"):
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            index = _build_index()
        _save(path, index)
        return index


def _index_path() -> Path:
    """The index's file, named by what it is built from (a new wordfreq: a new file)."""
    from importlib.metadata import version

    from mtfix.check.spelling import MIN_FIX_ZIPF as zipf
    from mtfix.lm.base import cache_root

    name = f"spelling-index-{version('wordfreq')}-{VOCABULARY}-{MAX_EDITS}-{zipf}.pickle"
    return cache_root() / name


def _save(path: Path, index: dict[str, tuple[str, ...]]) -> None:
    """Write the index through a temporary file; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp.name, path)
    except OSError:
        return


def _build_index() -> dict[str, tuple[str, ...]]:
    from wordfreq import top_n_list

    zipf = english_zipf()
    index: defaultdict[str, list[str]] = defaultdict(list)
    for word in top_n_list("en", VOCABULARY):
        if word.isalpha() and word.isascii() and zipf is not None and zipf(word) >= MIN_FIX_ZIPF:
            for variant in _deletes(word, MAX_EDITS):
                index[variant].append(word)
    return {k: tuple(v) for k, v in index.items()}


def candidates(word: str) -> list[str]:
    """Common words that share a deletion variant with ``word`` (a superset of its near words)."""
    index = _index()
    found = (w for v in sorted(_deletes(word, MAX_EDITS)) for w in index.get(v, ()))
    return list(dict.fromkeys(found))


def corrections(word: str) -> list[str]:
    """Up to three corrections of a lower-case word, best first (none for a real word)."""
    pool = candidates(word)
    best: list[str] = []
    while len(best) < CORRECTIONS and (fix := best_correction(word, pool)) is not None:
        best.append(fix)
        pool.remove(fix)
    return best


class SpellingProposer:
    """Offers up to three common corrections of each rare lower-case word."""

    kind = "spelling"

    def propose(self, doc: Doc) -> Iterator[Proposal]:
        if english_zipf() is None:  # no word frequencies: nothing to tell a rare word by
            return
        words = [t.lower_ for t in doc if t.is_alpha]
        for tok in doc:
            if _checked(tok) and not _used_again(tok.lower_, words):
                for fix in corrections(tok.text):
                    yield replace(tok, fix, self.kind)


def _used_again(word: str, words: list[str]) -> bool:
    """Whether the text uses the rare word twice or as the stem of another word ("kum",
    "kumova"): a transliteration or a coined term, not a typo."""
    return words.count(word) > 1 or any(w != word and w.startswith(word) for w in words)


def _checked(tok: Token) -> bool:
    word = tok.text
    if len(word) < MIN_LETTERS or not (word.isalpha() and word.islower()):
        return False
    return not protected(tok)

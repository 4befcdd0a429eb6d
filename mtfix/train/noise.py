"""Synthetic machine-translation noise: corrupt clean English into MT-like English.

``learn_edits`` counts the word edits that turn professional post-edits back into the MT
they came from (MLQE-PE); ``corrupt`` / ``corrupt_many`` apply those learned edits and the
hand-written calques of ``noise_rules`` to clean sentences, keeping numbers and names.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from mtfix.train.noise_rules import RULES, Edit, delete_chars, keeps_names

if TYPE_CHECKING:
    from sacremoses import MosesDetokenizer
    from spacy.language import Language
    from spacy.tokens import Doc

Tokens = tuple[str, ...]
UNUSED_PIPES = ("ner", "lemmatizer")  # the rules read tags and the parse only: 2.5x faster
_PUNCT = re.compile(r"([\"'(\[{«“‘]*)(.*?)([.,;:!?)\]}\"'»”’%]*)")
_CLITIC = re.compile(r"['’](?:s|t|d|m|ll|re|ve)$|n['’]t$")
_ATTACHED = (",", ".", ";", ":", "!", "?", "%", ")", "'s", "n't")


@dataclass
class EditTable:
    """Learned edits: (post-edit span, MT span) -> how often the MT made it (read-only)."""

    counts: dict[tuple[Tokens, Tokens], int] = field(default_factory=dict)
    _index: dict[str, list[tuple[Tokens, Tokens, int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for (pe, mt), n in self.counts.items():
            self._index.setdefault(pe[0], []).append((pe, mt, n))

    def __len__(self) -> int:
        return len(self.counts)

    def sample(self, rng: random.Random) -> tuple[Tokens, Tokens]:
        """One (pe_span, mt_span), drawn with probability proportional to its count."""
        keys = list(self.counts)
        return rng.choices(keys, weights=[self.counts[k] for k in keys])[0]

    def matches(self, tokens: Sequence[str]) -> list[tuple[int, int, Tokens, int]]:
        """Every (start, end, mt_span, count) whose pe_span equals ``tokens[start:end]``."""
        out = []
        for i, tok in enumerate(tokens):
            for pe, mt, n in self._index.get(tok, ()):
                if tuple(tokens[i : i + len(pe)]) == pe:
                    out.append((i, i + len(pe), mt, n))
        return out

    def to_json(self) -> str:
        """A JSON list of ``[pe_tokens, mt_tokens, count]``, most frequent first."""
        rows = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return json.dumps([[list(pe), list(mt), n] for (pe, mt), n in rows], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> EditTable:
        """The table ``to_json`` wrote."""
        return cls({(tuple(pe), tuple(mt)): int(n) for pe, mt, n in json.loads(text)})


def split_words(line: str) -> list[str]:
    """'said: "Lavrov's plan."' -> ['said', ':', '"', 'Lavrov', "'s", 'plan', '.', '"']."""
    out: list[str] = []
    for word in line.split():
        if _CLITIC.fullmatch(word):  # Moses: "don 't" -> spaCy: "do n't"
            if word[1:] == "t" and out and out[-1].endswith("n"):
                out[-1], word = out[-1][:-1], "n" + word
            out.append(word)
            continue
        head, core, tail = _PUNCT.fullmatch(word).groups()  # type: ignore[union-attr]
        out += list(head)
        clitic = _CLITIC.search(core)
        if clitic and clitic.start() > 0:
            out += [core[: clitic.start()], clitic.group()]
        elif core:
            out.append(core)
        if tail[:1] == "." and "." in core:  # 'U.S.'
            out[-1], tail = out[-1] + ".", tail[1:]
        out += list(tail)
    return out


def learn_edits(
    mt: Sequence[str], pe: Sequence[str], max_len: int = 3, min_count: int = 2
) -> EditTable:
    """Count the word edits PE -> MT of line-aligned pairs, kept when seen ``min_count`` times.

    Lines may be Moses-tokenized (the MLQE-PE files) or detokenized: ``split_words`` gives
    the same tokens for both, close to spaCy's, which ``corrupt`` matches against. A
    replace, insert or delete opcode of ``difflib`` on tokens, at most ``max_len`` tokens a
    side, is one edit; an insertion is anchored on the post-edit word before it (after it
    at the start), so that its pe_span is never empty. Edits that add, drop or change a
    number or a name are skipped.
    """
    counts: Counter[tuple[Tokens, Tokens]] = Counter()
    for mt_line, pe_line in zip(mt, pe, strict=True):
        a, b = split_words(pe_line), split_words(mt_line)
        if a == b:
            continue
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal" or i2 - i1 > max_len or j2 - j1 > max_len:
                continue
            if i1 == i2:
                if i1 > 0:
                    i1, j1 = i1 - 1, j1 - 1
                elif i2 < len(a):
                    i2, j2 = i2 + 1, j2 + 1
                else:
                    continue
            edit = (tuple(a[i1:i2]), tuple(b[j1:j2]))
            if keeps_names(" ".join(edit[0]), " ".join(edit[1])):
                counts[edit] += 1
    return EditTable({k: n for k, n in counts.items() if n >= min_count})


@lru_cache(maxsize=1)
def _detokenizer() -> MosesDetokenizer:
    from sacremoses import MosesDetokenizer

    return MosesDetokenizer(lang="en")


@lru_cache(maxsize=4096)
def _detok(tokens: Tokens) -> str:
    return _detokenizer().detokenize(list(tokens))


def _learned(doc: Doc, match: tuple[int, int, Tokens, int]) -> Edit:
    i, j, mt, _ = match
    text, start, end = doc.text, doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    if not mt:
        return delete_chars(text, start, end)
    new = _detok(mt)
    while new.startswith(_ATTACHED) and start > 0 and text[start - 1].isspace():
        start -= 1
    return Edit(start, end, new)


def learned_edits(doc: Doc, table: EditTable) -> list[Edit]:
    """(a) The table's edits whose post-edit span occurs in ``doc`` (tokens, exact case)."""
    return [_learned(doc, m) for m in table.matches([t.text for t in doc])]


def candidates(doc: Doc, table: EditTable | None = None) -> dict[str, list[Edit]]:
    """Every applicable corruption of ``doc``, by operation name (for inspection)."""
    pools = {"learned": learned_edits(doc, table)} if table else {}
    pools.update((name, rule(doc)) for name, rule in RULES.items())
    return pools


def corrupt_doc(
    doc: Doc, rng: random.Random, *, table: EditTable | None = None, max_ops: int = 2
) -> str:
    """Apply 1..``max_ops`` non-overlapping corruptions to a parsed sentence.

    Each step draws an operation uniformly among those still applicable, then one of its
    edits (learned ones weighted by count). Returns ``doc.text`` when nothing applies.
    """
    text = doc.text
    pools: dict[str, list] = {"learned": table.matches([t.text for t in doc])} if table else {}
    pools.update((name, rule(doc)) for name, rule in RULES.items())
    pools = {k: v for k, v in pools.items() if v}
    chosen: list[Edit] = []
    wanted = rng.randint(1, max_ops)
    while len(chosen) < wanted and pools:
        name = rng.choice(sorted(pools))
        pool = pools[name]
        if name == "learned":  # matches are turned into edits only when drawn: faster
            edit = _learned(doc, pool.pop(rng.choices(range(len(pool)), [m[3] for m in pool])[0]))
        else:
            edit = pool.pop(rng.randrange(len(pool)))
        if not pool:
            del pools[name]
        if all(edit.end <= e.start or edit.start >= e.end for e in chosen) and keeps_names(
            text[edit.start : edit.end], edit.text
        ):
            chosen.append(edit)
    return apply_edits(text, chosen)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied; the first letter keeps its case."""
    out = text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        out = out[: e.start] + e.text + out[e.end :]
    if out and text[:1].isupper() and out[0].islower():
        out = out[0].upper() + out[1:]
    return out


def corrupt(
    text: str,
    rng: random.Random,
    *,
    table: EditTable | None = None,
    nlp: Language | None = None,
    max_ops: int = 2,
) -> str:
    """One detokenized sentence made MT-like (unchanged when no corruption applies).

    ``nlp`` defaults to ``mtfix.nlp.load_spacy()``; the same ``rng`` state gives the same
    output, and ``corrupt(t, rng)`` equals ``corrupt_many([t], rng)[0]``.
    """
    return corrupt_many([text], rng, table=table, nlp=nlp, max_ops=max_ops)[0]


def corrupt_many(
    texts: Iterable[str],
    rng: random.Random,
    *,
    table: EditTable | None = None,
    nlp: Language | None = None,
    max_ops: int = 2,
    batch_size: int = 256,
) -> list[str]:
    """``corrupt`` over many sentences, parsed in batches with ``nlp.pipe``."""
    if nlp is None:
        from mtfix.nlp import load_spacy

        nlp = load_spacy()
    unused = [name for name in UNUSED_PIPES if name in nlp.pipe_names]
    docs = nlp.pipe(texts, batch_size=batch_size, disable=unused)
    return [corrupt_doc(doc, rng, table=table, max_ops=max_ops) for doc in docs]

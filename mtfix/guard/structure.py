"""The sentence's build: names stay whole and the main verb stays a verb.

Two rules read off the parse of the original and the rewrite, aligned word by word:

- A run of capitalised words ("Russian Federation Sergey Lavrov", "the channel Smith Jones"),
  with the lower-case particles of names inside it ("Staffan de Mistura"), is one unit: no
  word is put inside it ("Smith Jones" -> "Smith and Jones" makes two people of one). The
  article's style-sheet names are such runs, or single words, which nothing can split.
  The sentence's first word is capitalised by its place, so it joins a run only where it
  is no common word ("Visit de Mistura" -> "The visit of de Mistura" is the calque's repair).
- The root verb of each sentence of the original stays a verb: "Causes emotions among ..."
  (the MT dropped "It") is not "Causes of emotions among ...", which makes its verb a noun.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from mtfix.check.spelling import english_zipf
from mtfix.detect.lexicon import NAME_PARTICLES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

COMMON_ZIPF = 4.0  # a first word this frequent in lower case is capitalised by its place
VERB_POS = frozenset({"VERB", "AUX"})


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and any(c.isalpha() for c in tok.text)


def _in_run(doc: Doc, i: int) -> bool:
    """Whether token ``i`` can belong to a run of a name."""
    tok = doc[i]
    if tok.text in NAME_PARTICLES:
        return i + 1 < len(doc) and _capitalised(doc[i + 1])
    if not _capitalised(tok):
        return False
    if not (tok.is_sent_start or i == 0):
        return True
    zipf = english_zipf()  # without wordfreq every first word counts as a common one
    return zipf is not None and zipf(tok.lower_) < COMMON_ZIPF


def name_runs(doc: Doc) -> list[tuple[int, int]]:
    """Token spans ``[start, end)`` of two or more name words in a row."""
    runs, start = [], None
    for i in range(len(doc) + 1):
        inside = i < len(doc) and _in_run(doc, i)
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            if i - start >= 2:
                runs.append((start, i))
            start = None
    return runs


def _added_words(tokens: list[Token]) -> int:
    return sum(any(c.isalnum() for c in t.text) for t in tokens)


def _opcodes(before: Doc, after: Doc) -> list[tuple[str, int, int, int, int]]:
    a, b = [t.lower_ for t in before], [t.lower_ for t in after]
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def names_whole(before: Doc, after: Doc) -> bool:
    """No word inserted inside a run of name words of ``before``."""
    runs = name_runs(before)
    if not runs:
        return True
    for tag, i1, i2, j1, j2 in _opcodes(before, after):
        if tag not in {"insert", "replace"}:
            continue
        if _added_words(list(after[j1:j2])) <= _added_words(list(before[i1:i2])):
            continue
        if any(start < i1 < end or (tag == "replace" and start <= i2 - 1 < end - 1)
               for start, end in runs):  # fmt: skip
            return False
    return True


def root_kept(before: Doc, after: Doc) -> bool:
    """Each sentence root of ``before`` that is a verb is still a verb in ``after`` where
    the word itself is unchanged."""
    roots = {s.root.i for s in before.sents if s.root.pos_ in VERB_POS}
    for tag, i1, i2, j1, _ in _opcodes(before, after):
        if tag != "equal":
            continue
        for i in roots & set(range(i1, i2)):
            if after[j1 + i - i1].pos_ not in VERB_POS:
                return False
    return True

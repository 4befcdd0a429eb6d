"""What is too long or too strange to check: every stage's work bounded by the input's size.

The parser, the grammar checkers and the LM each have inputs that cost far more than their
length: spaCy's tokenizer is quadratic on a long run of brackets (25,000 ``[`` took a
minute), Harper's spelling suggestions grow in memory with the square of a word's length
(a 2,000-letter word took 1.2 GB), and the LM's attention grows with a sentence's tokens.
None of these shapes is prose. So before any of them runs:

- a *token* (a run of non-space characters) over ``MAX_TOKEN_CHARS``, or over
  ``MAX_SYMBOL_CHARS`` with no letter, is not a word;
- a *sentence* holding such a token, over ``MAX_SENTENCE_CHARS``, or mostly symbols, is
  not checked;
- a *paragraph* over ``MAX_PARAGRAPH_CHARS``, or mostly symbols, is not even split into
  sentences.

What is not checked is left exactly as it is and reported with a finding ("too long to
check"); it is never dropped, and never sent on to the checker, the parser or the LM.
"""

from __future__ import annotations

import bisect
import re

MAX_TOKEN_CHARS = 64  # the longest English words are under 30; URLs and hashes are not prose
MAX_SYMBOL_CHARS = 32  # a run of digits and symbols: no number or date is this long
MAX_SENTENCE_CHARS = 1_500  # about 250 words; the longest of 113,644 lines of ../shared/data: 799
MAX_PARAGRAPH_CHARS = 50_000  # about 8,000 words in one block
MIN_LETTER_SHARE = 0.3  # fewer letters than this among the visible characters: not prose
MIN_SHARE_CHARS = 200  # shorter texts are never judged by their share of letters

_TOKEN = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")


def is_overlong(token: str) -> bool:
    """Whether a run of non-space characters is too long to be a word."""
    if len(token) > MAX_TOKEN_CHARS:
        return True
    return len(token) > MAX_SYMBOL_CHARS and not _LETTER.search(token)


def overlong_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every token of ``text`` too long to be a word."""
    return [m.span() for m in _TOKEN.finditer(text) if is_overlong(m.group())]


def mostly_symbols(text: str) -> bool:
    """Whether a text of some length has too few letters among its visible characters."""
    if len(text) < MIN_SHARE_CHARS:
        return False
    visible = len(text) - sum(ch.isspace() for ch in text)
    return len(_LETTER.findall(text)) < MIN_LETTER_SHARE * visible


def why_unchecked(text: str, limit: int = MAX_SENTENCE_CHARS) -> str | None:
    """Why a sentence (or, with ``limit=MAX_PARAGRAPH_CHARS``, a paragraph) is left as it
    is, in a few words; None when it can be checked. Linear in the text's length."""
    if len(text) > limit:
        return f"over {limit:,} characters"
    longest = max((end - start for start, end in overlong_spans(text)), default=0)
    if longest:
        return f"a token of {longest:,} characters"
    if mostly_symbols(text):
        return "mostly symbols, not prose"
    return None


def blank(text: str, spans: list[tuple[int, int]], fill: str = " ") -> str:
    """``text`` with every span's characters replaced by ``fill``: the same length, so
    every offset still points at the same place."""
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], fill * (end - start)]
        last = end
    return "".join([*out, text[last:]])


def checkable(text: str) -> tuple[str, list[tuple[int, int]]]:
    """What a grammar checker may read of ``text``, and the spans blanked out: every
    overlong token, and every line that is mostly symbols. Offsets are kept."""
    spans = overlong_spans(text)
    start = 0
    for line in text.split("\n"):
        if mostly_symbols(line):
            spans.append((start, start + len(line)))
        start += len(line) + 1
    spans = _merged(spans)
    return blank(text, spans), spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start..end`` overlaps none of ``spans`` (sorted and disjoint)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    before = i >= 0 and spans[i][1] > start
    after = i + 1 < len(spans) and spans[i + 1][0] < max(end, start + 1)
    return not (before or after)

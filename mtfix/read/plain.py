"""Plain-text input, and the paragraph helpers the other formats share.

The first non-empty line is the headline; the rest splits into paragraphs on blank lines.
Inside a block, lines are kept together as wrapped prose unless they look like separate
items (see ``group_lines``). ``Article.text`` is the decoded input itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mtfix.article import Article, Paragraph

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_OPENERS = "\"'“‘«([–—•*-"
_SHORT_LINE = 0.6  # a line under this share of the block's widest line ends its paragraph


def _starts_new(line: str) -> bool:
    """Whether a line can open a paragraph (not a lowercase continuation)."""
    first = line[0]
    return (first.isalnum() and not first.islower()) or first in _OPENERS


def group_lines(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Group the stripped lines of one block into paragraphs, as ``[start, end)`` indices.

    When no line, or every line, ends with sentence punctuation, the lines are separate
    items (a promo block, one paragraph per line). Otherwise it is wrapped prose, broken
    only after a line much shorter than the widest one. Never before a lowercase line.
    """
    n = len(lines)
    ends = [bool(_SENTENCE_END.search(line)) for line in lines]
    uniform = all(ends) or not any(ends)
    width = max((len(line) for line in lines), default=0)
    groups, start = [], 0
    for i in range(n - 1):
        short = len(lines[i]) < _SHORT_LINE * width
        if _starts_new(lines[i + 1]) and (uniform or short):
            groups.append((start, i + 1))
            start = i + 1
    if n:
        groups.append((start, n))
    return groups


def line_spans(text: str, base: int = 0) -> list[tuple[int, int] | None]:
    """Each line's stripped ``(start, end)`` offset from ``base``, ``None`` for a blank line."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((base + pos + lead, base + pos + lead + len(stripped)))
        else:
            spans.append(None)
        pos += len(line) + 1
    return spans


def paragraphs_from_spans(full: str, spans: list[tuple[int, int] | None]) -> list[Paragraph]:
    """Paragraphs of ``full`` from line spans: blocks split on blanks, then ``group_lines``."""
    blocks: list[list[tuple[int, int]]] = [[]]
    for span in spans:
        if span is None:
            blocks.append([])
        else:
            blocks[-1].append(span)
    paragraphs = []
    for block in filter(None, blocks):
        for i, j in group_lines([full[s:e] for s, e in block]):
            start, end = block[i][0], block[j - 1][1]
            paragraphs.append(Paragraph(start, end, full[start:end]))
    return paragraphs


def assemble(title: str | None, paragraphs: Sequence[str], fmt: str) -> Article:
    """An Article whose text is the title and the paragraphs joined by blank lines."""
    parts = ([title] if title else []) + [p for p in paragraphs if p]
    text = "\n\n".join(parts)
    blocks, pos = [], 0
    for part in parts:
        blocks.append(Paragraph(pos, pos + len(part), part))
        pos += len(part) + 2
    head = blocks.pop(0) if title else None
    return Article(text=text, title=head, paragraphs=tuple(blocks), format=fmt)


def parse_text(text: str) -> Article:
    """Read plain text: the first non-empty line is the headline, unless it is the only line."""
    spans = line_spans(text)
    filled = [i for i, s in enumerate(spans) if s is not None]
    title = None
    if len(filled) > 1:
        first = spans[filled[0]]
        assert first is not None
        title = Paragraph(first[0], first[1], text[first[0] : first[1]])
        spans = spans[filled[0] + 1 :]
    paragraphs = paragraphs_from_spans(text, spans)
    return Article(text=text, title=title, paragraphs=tuple(paragraphs), format="text")

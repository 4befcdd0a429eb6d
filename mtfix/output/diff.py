"""Word-level before/after diff: coloured on a terminal, plain markers when piped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from mtfix.article import Edit

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Chunk:
    """A run of text that is the same on both sides, deleted, or inserted."""

    op: Literal["equal", "delete", "insert"]
    text: str


def word_diff(before: str, after: str) -> list[Chunk]:
    """The word-level diff of two texts as chunks, in reading order."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    chunks: list[Chunk] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            chunks.append(Chunk("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(Chunk("delete", "".join(a[i1:i2])))
        if j2 > j1:
            chunks.append(Chunk("insert", "".join(b[j1:j2])))
    return chunks


def plain_diff(chunks: list[Chunk]) -> str:
    """``[-deleted-]{+inserted+}`` markers, as ``git diff --word-diff=plain`` writes them."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[c.op].format(c.text) for c in chunks)


def print_diff(chunks: list[Chunk], *, color: bool) -> None:
    """Print the diff: red struck-through deletions and green insertions when ``color``."""
    if not color:
        print(plain_diff(chunks))
        return
    from rich.console import Console
    from rich.text import Text

    styles = {"equal": "", "delete": "red strike", "insert": "green"}
    text = Text()
    for chunk in chunks:
        text.append(chunk.text, style=styles[chunk.op])
    Console(highlight=False, soft_wrap=True).print(text)


def edit_sources(edits: list[Edit]) -> list[str]:
    """One line per edit in the output: its source and the words it changed."""
    lines = []
    for edit in (e for e in edits if e.accepted):
        changed = [c for c in word_diff(edit.before, edit.after) if c.op != "equal"]
        lines.append(f"{edit.source}: {plain_diff(changed)}")
    return lines

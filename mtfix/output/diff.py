"""Word-level before/after diff: coloured on a terminal, plain markers when piped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from mtfix.article import Edit, StyleSheet

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
    """One line per change in the output: its source, its gain in nats where the LM scored
    it, and the words it changed (a search edit: one line per step)."""
    lines = []
    for edit in (e for e in edits if e.accepted):
        changes = [(s.source, s.gain, s.before, s.after) for s in edit.steps] or [
            (edit.source, None, edit.before, edit.after)
        ]
        lines += [_change_line(*change) for change in changes]
    return lines


def suggestion_lines(suggestions: list[Edit]) -> list[str]:
    """One line per suggested step, marked ``suggested``, as ``edit_sources`` writes them."""
    return [
        "suggested " + _change_line(s.source, s.gain, s.before, s.after)
        for edit in suggestions
        for s in edit.steps
    ]


def _change_line(source: str, gain: float | None, before: str, after: str) -> str:
    changed = [c for c in word_diff(before, after) if c.op != "equal"]
    nats = "" if gain is None else f" ({gain:+.1f} nats)"
    return f"{source}{nats}: {plain_diff(changed)}"


def style_lines(sheet: StyleSheet | None) -> list[str]:
    """The style sheet for a reader: each name written more than one way (its forms and
    counts, the one kept), the date style, the term variants."""
    if sheet is None:
        return []
    lines = [
        f"{c.role} {c.canonical}: " + ", ".join(f"{f} x{n}" for f, n in c.forms.items())
        for c in sheet.names
        if len(c.forms) > 1
    ]
    d = sheet.dates
    if d.style:
        counts = ", ".join(f"{k} x{n}" for k, n in d.counts.items() if n)
        lines.append(f"dates: {d.style} (from the {d.source}; {counts})")
    lines += ["term written two ways: " + " / ".join(t.forms) for t in sheet.terms]
    return lines

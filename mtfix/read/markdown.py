"""Markdown input, parsed with markdown-it-py (CommonMark).

Only paragraph and heading blocks carry text; code, HTML blocks and images are left out,
and inline markup is dropped. The first heading is the headline (else the first line).
"""

from __future__ import annotations

from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mtfix.article import Article
from mtfix.read.plain import assemble, group_lines

_TEXT_BLOCKS = {"paragraph_open", "heading_open"}


def _inline_text(token: Token) -> str:
    """The plain text of an inline token: markup dropped, line breaks kept as newlines."""
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def _lines(block: str) -> list[str]:
    """The non-empty stripped lines of a block."""
    return [line.strip() for line in block.split("\n") if line.strip()]


def _split(block: str) -> list[str]:
    """A block's lines grouped as in plain text, each group joined into one line."""
    lines = _lines(block)
    return [" ".join(lines[i:j]) for i, j in group_lines(lines)]


def parse_markdown(text: str) -> Article:
    """Read Markdown: headline and paragraphs as plain text joined by blank lines."""
    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[tuple[bool, str]] = []
    for opener, inline in pairwise(tokens):
        content = _inline_text(inline) if inline.type == "inline" else ""
        if opener.type in _TEXT_BLOCKS and content.strip():
            blocks.append((opener.type == "heading_open", content))
    title = None
    heading = next((i for i, (is_head, _) in enumerate(blocks) if is_head), None)
    if heading is not None:
        title = " ".join(blocks.pop(heading)[1].split())
    elif sum(len(_lines(block)) for _, block in blocks) > 1:
        first = _lines(blocks[0][1])
        title, blocks[0] = first[0], (False, "\n".join(first[1:]))
    paragraphs = [p for _, block in blocks for p in _split(block)]
    return assemble(title or None, paragraphs, "markdown")

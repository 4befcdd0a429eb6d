"""JSON input: an object with a string ``body`` and an optional string ``title``.

``Article.text`` is the title, a blank line and the body (stripped), or the body alone;
the body splits into paragraphs as plain text does.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mtfix.article import Article, Paragraph
from mtfix.errors import InputError
from mtfix.read.plain import line_spans, paragraphs_from_spans

_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(text: str, label: str = "input") -> Any:
    """``json.loads``, every way it can fail an ``InputError`` with one line: invalid JSON,
    nesting too deep for the parser."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"{label}: not valid JSON at {where}: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{label}: not valid JSON: nested too deeply to read") from None


def check_unicode(text: str, label: str = "input") -> None:
    """Raise InputError where ``text`` holds a lone surrogate (a JSON escape such as
    ``\\ud800`` with no pair): it is no character, and cannot be written as UTF-8."""
    found = _SURROGATE.search(text)
    if found:
        code = f"U+{ord(found.group()):04X}"
        raise InputError(
            f"{label}: a lone surrogate ({code}) at character {found.start()} is not text"
        )


def parse_json(text: str, label: str = "input") -> Article:
    """Read a JSON article, raising InputError when it has the wrong shape."""
    data = load_json(text, label)
    if not isinstance(data, dict) or not isinstance(data.get("body"), str):
        raise InputError(f'{label}: JSON input must be an object with a string "body"')
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(f'{label}: JSON "title" must be a string')
    for value in (title or "", data["body"]):
        check_unicode(value, label)
    title = " ".join((title or "").split())
    body = data["body"].replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise InputError(f'{label}: JSON "body" is empty')
    head = Paragraph(0, len(title), title) if title else None
    full = f"{title}\n\n{body}" if title else body
    base = len(full) - len(body)
    paragraphs = paragraphs_from_spans(full, line_spans(body, base))
    return Article(text=full, title=head, paragraphs=tuple(paragraphs), format="json")

"""HTML input: the article's title and text, extracted with trafilatura."""

from __future__ import annotations

from typing import Any

from mtfix.article import Article
from mtfix.errors import ConfigError, InputError
from mtfix.read.plain import assemble


def _field(doc: Any, name: str) -> str:
    """A field of trafilatura's result: a Document (2.x) or a dict (1.x)."""
    value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
    return value.strip() if isinstance(value, str) else ""


def parse_html(text: str, label: str = "input") -> Article:
    """Read HTML: each extracted line is a paragraph; the page title is the headline."""
    try:
        import trafilatura
    except ImportError as exc:  # e.g. lxml without lxml_html_clean
        raise ConfigError(f"HTML input needs trafilatura, which cannot be loaded: {exc}") from exc
    doc = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False
    )
    body = _field(doc, "text") if doc is not None else ""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if not lines:
        raise InputError(f"{label}: no article text could be extracted from the HTML")
    title = _field(doc, "title") or None
    if title and lines[0] == title:
        lines = lines[1:]
    return assemble(title, lines, "html")

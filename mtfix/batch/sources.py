"""Batch inputs: a JSONL file, an RSS or Atom feed, a directory of articles, or JSONL on stdin.

Every article becomes an ``Item``: its id, the fields passed through to the output, and
the bytes ``mtfix.read.read_bytes`` validates and reads (a JSON article, an HTML page
for HTML bodies, the file itself for a directory). A JSONL line that cannot be read
(not JSON, no id, no body, a body that is not a string) still becomes an item, carrying
its ``error`` and its original values, so that it yields an error record. Raw bytes that
are not UTF-8 inside a JSONL line are kept as they are, so the reader reports them as it
does for a file. Ids must be unique: an item whose id repeats an earlier one becomes an
error item too (``mark_duplicates``).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mtfix.errors import InputError
from mtfix.read import MAX_INPUT_BYTES
from mtfix.read.json import load_json

KINDS = ("auto", "jsonl", "feed", "dir")
_HTML = re.compile(r"<(?:p|div|br|a|span|h[1-6]|ul|ol|li|article|section|strong|em|b|i|img|"
                   r"figure|blockquote|table)\b[^>]*>", re.I)  # fmt: skip
_FEED_FIELDS = ("link", "published", "updated", "author")
DUPLICATE = "duplicate_at"  # the field an error record of a repeated id carries


@dataclass(frozen=True)
class Item:
    """One input article, as read from the source, before any validation."""

    key: str  # the id as text: what duplicates and ``--resume`` compare
    id: Any  # the id as given (a string or a number in JSONL)
    where: str  # "line 3", "entry 5", a relative path: where in the input
    data: bytes = b""
    fmt: str = "auto"
    title: Any = None  # the original values (text, or whatever a record held), for errors
    body: Any = None
    fields: dict[str, Any] = field(default_factory=dict)  # passed through to the output
    error: str | None = None  # why the source could not give an article


_NOT_A_BYTE = re.compile("[\ud800-\udc7f\udd00-\udfff]")  # surrogates that hold no raw byte


def clean(value: Any) -> Any:
    """``value`` with raw undecodable bytes (surrogate escapes) and lone surrogates (a JSON
    escape such as ``\\ud800``) replaced by U+FFFD: safe to write."""
    if isinstance(value, str):
        value = _NOT_A_BYTE.sub("\ufffd", value)
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value


def article_bytes(title: str | None, body: str, html_body: bool | None = None) -> tuple[bytes, str]:
    """What ``read_bytes`` reads for a title and body: a JSON article, or an HTML page.

    An HTML body (``html_body``, or sniffed when None) is wrapped in a page and extracted
    as ``mtfix fix`` extracts HTML; raw bytes kept in ``body`` come back as they were.
    """
    if html_body is None:
        html_body = bool(_HTML.search(body))
    if html_body:
        head = html.escape(title or "")
        h1 = f"<h1>{head}</h1>" if head else ""
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{head}</title></head>"
            f"<body><article>{h1}{body}</article></body></html>"
        )
        return page.encode("utf-8", "surrogateescape"), "html"
    doc = {"title": title, "body": body} if title else {"body": body}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogateescape"), "json"


def jsonl_items(data: bytes, name: str) -> list[Item]:
    """One item per non-blank line of a JSONL file."""
    items = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        if raw.strip():
            items.append(_jsonl_item(raw.decode("utf-8", "surrogateescape"), n, name))
    return items


def _jsonl_item(line: str, n: int, name: str) -> Item:
    where = f"{name} line {n}"
    try:
        rec = load_json(line, where)
    except InputError as exc:
        return _bad(n, str(exc), clean(line))
    if not isinstance(rec, dict):
        return _bad(n, f"{where}: a record must be a JSON object", clean(line))
    rid = rec.get("id")
    if isinstance(rid, bool) or not isinstance(rid, str | int) or rid == "":
        return _bad(n, f'{where}: a record needs an "id" (a string or a number)', clean(line))
    title, body = rec.get("title"), rec.get("body")
    fields = {k: clean(v) for k, v in rec.items() if k not in ("id", "title", "body")}
    item = Item(str(rid), clean(rid), f"line {n}", fields=fields, title=clean(title),
                body=clean(body))  # fmt: skip
    if body is None:
        return replace(item, error=f'{rid}: no "body" (a title alone is not an article)')
    if not isinstance(body, str) or (title is not None and not isinstance(title, str)):
        return replace(item, error=f'{rid}: "title" and "body" must be strings')
    try:
        data, fmt = article_bytes(title, body)
    except UnicodeEncodeError:  # a lone surrogate escape ("\ud800"), not raw bytes
        return replace(item, error=f"{rid}: a lone surrogate escape in the text is not text")
    return replace(item, data=data, fmt=fmt)


def feed_items(data: bytes, name: str) -> list[Item]:
    """One item per entry of an RSS or Atom feed (parsed with feedparser)."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries and (feed.bozo or not feed.get("version")):
        reason = getattr(feed, "bozo_exception", None) or "no entries"
        raise InputError(f"{name}: not a readable RSS or Atom feed: {reason}")
    items = []
    for n, entry in enumerate(feed.entries, 1):
        rid = entry.get("id") or entry.get("link") or f"entry-{n}"
        title = entry.get("title")
        body, is_html = _entry_body(entry)
        fields = {k: entry[k] for k in _FEED_FIELDS if isinstance(entry.get(k), str)}
        raw, fmt = article_bytes(title, body, is_html)
        items.append(Item(rid, rid, f"entry {n}", raw, fmt, title, body, fields))
    return items


def _entry_body(entry: Any) -> tuple[str, bool]:
    """The entry's fullest text (its content, else its summary) and whether it is HTML."""
    for detail in [*entry.get("content", []), entry.get("summary_detail")]:
        if detail and detail.get("value", "").strip():
            kind = detail.get("type", "text/html")
            return detail["value"], kind in ("text/html", "application/xhtml+xml")
    return "", False


def dir_items(root: Path) -> list[Item]:
    """One item per file under ``root`` (hidden ones skipped), id = the relative path."""
    items = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fname in sorted(f for f in files if not f.startswith(".")):
            path = Path(folder) / fname
            rel = path.relative_to(root).as_posix()
            try:
                with path.open("rb") as handle:
                    data = handle.read(MAX_INPUT_BYTES + 1)  # the reader refuses anything longer
            except OSError as exc:
                items.append(Item(rel, rel, rel, error=f"{rel}: cannot read: {exc.strerror}"))
                continue
            body = data.decode("utf-8", "replace") if len(data) <= MAX_INPUT_BYTES else None
            items.append(Item(rel, rel, rel, data, "auto", None, body))
    return items


def read_source(path: str, kind: str = "auto") -> list[Item]:
    """Every article of the input at ``path`` (``-``: JSONL on stdin), ids checked unique."""
    if path == "-":
        items = jsonl_items(sys.stdin.buffer.read(), "<stdin>")
    elif os.path.isdir(path) and kind in ("auto", "dir"):
        items = dir_items(Path(path))
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        kind = _sniff(path, data) if kind == "auto" else kind
        if kind == "dir":
            raise InputError(f"{path}: is not a directory")
        items = feed_items(data, path) if kind == "feed" else jsonl_items(data, path)
    return mark_duplicates(items)


def _sniff(path: str, data: bytes) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if ext in (".xml", ".rss", ".atom"):
        return "feed"
    return "feed" if data.lstrip()[:1] == b"<" else "jsonl"


def mark_duplicates(items: list[Item]) -> list[Item]:
    """Every item whose id was seen before becomes an error item (its text kept), with a
    key of its own, so that ``--resume`` tells it from the first one."""
    first: dict[str, str] = {}
    out = []
    for item in items:
        if item.key in first:
            error = f"{item.key}: duplicate id (first at {first[item.key]}); ids must be unique"
            item = replace(item, key=duplicate_key(item.key, item.where), error=error,
                           fields={**item.fields, DUPLICATE: item.where})  # fmt: skip
        else:
            first[item.key] = item.where
        out.append(item)
    return out


def duplicate_key(key: str, where: str) -> str:
    """The key of a record whose id repeats an earlier one's (see ``mark_duplicates``)."""
    return f"{key}\x00{where}"


def _bad(n: int, error: str, body: str) -> Item:
    key = f"<line {n}>"
    return Item(key, key, f"line {n}", body=body, error=error)

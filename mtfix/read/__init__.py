"""Read an article from bytes or a file, checking it is English text we can work on.

Formats: ``text``, ``markdown``, ``html``, ``json`` (``auto`` picks by the file extension,
else by the content). Input must be UTF-8 (a BOM is accepted and dropped), not binary,
not empty, and at most ``MAX_INPUT_BYTES`` (500,000 bytes, about 80,000 words: far more
than a news article). CRLF and lone CR line ends become LF before parsing, so for plain
text ``Article.text`` is the decoded input with that normalisation. Every problem with the
input raises ``InputError`` with a one-line message.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from typing import Any

from mtfix.article import Article
from mtfix.errors import ConfigError, InputError
from mtfix.read.html import parse_html
from mtfix.read.json import check_unicode, parse_json
from mtfix.read.markdown import parse_markdown
from mtfix.read.plain import parse_text

__all__ = ["FORMATS", "MAX_INPUT_BYTES", "detect_format", "read_bytes", "read_path"]

MAX_INPUT_BYTES = 500_000
FORMATS = ("auto", "text", "markdown", "html", "json")
MIN_LANGID_CHARS = 20  # shorter texts skip the language check
MAX_REPLACEMENT_SHARE = 0.2  # more U+FFFD than this among the letters: a wrong decoding
_EXTENSIONS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html"}
_EXTENSIONS |= {".htm": "html", ".json": "json"}
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0c\r") + b"\x7f"
_CONTROL_CHARS = frozenset(_CONTROL.decode("ascii"))
_TAG = re.compile(r"</?(?:p|div|span|a|h[1-6]|body|head|article|section|br|li|ul|title|meta)\b")
_LANGS = "en de fr es it pt nl ru uk pl cs sk sv da no fi tr ro hu id zh ja ko ar he fa hi el"
_LANGS += " bg sr hr vi th ca"


def detect_format(text: str, name: str | None = None) -> str:
    """The format of ``text``: by the extension of ``name``, else by sniffing the content."""
    ext = os.path.splitext(name or "")[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    head = text.lstrip()
    lower = head[:200].lower()
    if head.startswith("{"):
        return "json"
    if lower.startswith(("<!doctype", "<html")) or len(_TAG.findall(text[:20_000])) >= 5:
        return "html"
    return "markdown" if head.startswith("# ") else "text"


def check_text(text: str, label: str) -> None:
    """Raise InputError for decoded text that is not text: a lone surrogate, control
    characters (NUL, or more than a few) or mostly U+FFFD replacement characters (decoded
    with the wrong encoding). Applies however the text came: a file, a JSON string's
    escapes, HTML."""
    check_unicode(text, label)
    controls = sum(ch in _CONTROL_CHARS for ch in text)
    if "\x00" in text or controls > max(2, 0.05 * len(text)):
        raise InputError(f"{label}: looks like binary data, not text (control characters)")
    visible = sum(not ch.isspace() for ch in text)
    if visible and text.count("\ufffd") > MAX_REPLACEMENT_SHARE * visible:
        raise InputError(
            f"{label}: mostly replacement characters (U+FFFD): decoded with the wrong encoding"
        )


def _decode(data: bytes, label: str) -> str:
    """Validate raw bytes and decode them as UTF-8."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{label}: input is over the size limit of {MAX_INPUT_BYTES:,} bytes")
    if not data:
        raise InputError(f"{label}: input is empty")
    controls = len(data) - len(data.translate(None, _CONTROL))
    if b"\x00" in data or controls > max(2, 0.05 * len(data)):
        raise InputError(f"{label}: looks like binary data, not text")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        byte, offset = data[bom + exc.start], bom + exc.start
        raise InputError(
            f"{label}: not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise InputError(f"{label}: input is only whitespace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier, normalised probabilities, limited to widely used languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_LANGS.split())
    return identifier


def check_english(text: str, label: str = "input") -> None:
    """Raise InputError unless ``text`` is English; short texts are let through.

    Another language must win with probability 0.9 on a short text (under 200 characters,
    where names mislead the identifier), or 0.5 on a longer one.
    """
    text = " ".join(text.split())
    if len(text) < MIN_LANGID_CHARS:
        return
    lang, prob = _identifier().classify(text)
    if lang != "en" and prob >= (0.9 if len(text) < 200 else 0.5):
        raise InputError(f"{label}: text is not English (detected {lang!r}, p={prob:.2f})")


def read_bytes(data: bytes, *, name: str | None = None, fmt: str = "auto") -> Article:
    """Read an article from raw bytes; ``name`` labels messages and picks the format."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}")
    label = name or "input"
    text = _decode(data, label)
    fmt = detect_format(text, name) if fmt == "auto" else fmt
    if fmt == "json":
        article = parse_json(text, label)
    elif fmt == "html":
        article = parse_html(text, label)
    else:
        article = parse_markdown(text) if fmt == "markdown" else parse_text(text)
    if not article.blocks():
        raise InputError(f"{label}: no text found in the {fmt} input")
    check_text(article.text, label)
    body = " ".join(p.text for p in article.paragraphs) or article.text
    check_english(body, label)
    return article


def read_path(path: str, *, fmt: str = "auto") -> Article:
    """Read an article from a file, or from standard input when ``path`` is ``-``."""
    if path == "-":
        return read_bytes(sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), name="<stdin>", fmt=fmt)
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, not a file")
    try:
        size = os.path.getsize(path)
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{path}: {size:,} bytes is over the size limit of {MAX_INPUT_BYTES:,} bytes"
            )
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return read_bytes(data, name=path, fmt=fmt)


def read_line(text: str) -> Article:
    """One segment of a line-aligned corpus as a headline-less, one-paragraph article."""
    from mtfix.article import Paragraph

    start = len(text) - len(text.lstrip())
    body = text.strip()
    return Article(text, None, (Paragraph(start, start + len(body), body),) if body else ())

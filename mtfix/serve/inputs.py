"""What a request may carry, read strictly: every problem is a status and a one-line reason.

Limits: a request body of at most ``MAX_BODY`` bytes and a text of at most
``MAX_INPUT_BYTES`` (UTF-8; as ``mtfix fix`` allows) answer 413 beyond them; bodies
must be UTF-8 (400), of the content type the endpoint takes (415); ``/v2/check`` wants
``text`` or ``data`` (LanguageTool's annotated text) and an English ``language`` (400).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from mtfix.errors import InputError
from mtfix.read import FORMATS, MAX_INPUT_BYTES
from mtfix.read.json import check_unicode, load_json

MAX_BODY = 3 * MAX_INPUT_BYTES  # form encoding can triple a text's size
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class BadRequest(Exception):
    """A request mtfix will not repair: its HTTP status and the reason, one line."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class CheckInput:
    """The plain text of a ``/v2/check`` request and where each character came from in
    the document the client sent (None: the text is that document)."""

    text: str
    document: str
    positions: list[int] | None = None


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def require_type(content_type: str | None, wanted: str) -> None:
    if media_type(content_type) != wanted:
        got = media_type(content_type) or "none"
        raise BadRequest(415, f"content type {got!r} is not accepted here: send {wanted}")


def decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(400, f"the request is not UTF-8 (byte {exc.start})") from None


def form_fields(body: bytes) -> dict[str, str]:
    """The fields of a form-encoded body (the last value of a repeated field wins)."""
    try:
        pairs = parse_qsl(decode_utf8(body), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(400, "a form field is not UTF-8 once decoded") from None
    return dict(pairs)


def check_text_size(text: str) -> None:
    """413 for a text over the size limit; 400 for one that is not text (a lone surrogate)."""
    try:
        check_unicode(text, "the text")
    except InputError as exc:
        raise BadRequest(400, str(exc)) from None
    size = len(text.encode("utf-8"))
    if size > MAX_INPUT_BYTES:
        raise BadRequest(413, f"the text is {size:,} bytes, over the limit of {MAX_INPUT_BYTES:,}")


def check_language(language: str | None) -> None:
    """LanguageTool clients always send one; mtfix repairs English only."""
    if not language:
        raise BadRequest(400, "missing 'language' parameter (en, en-US, en-GB, ... or auto)")
    lang = language.strip().lower()
    if lang != "auto" and lang != "en" and not lang.startswith("en-"):
        raise BadRequest(400, f"language {language!r} is not supported: mtfix repairs English")


def check_input(fields: dict[str, str]) -> CheckInput:
    """The text to check, from ``text`` or from LanguageTool's ``data`` annotation."""
    check_language(fields.get("language"))
    if "text" in fields:
        check_text_size(fields["text"])
        return CheckInput(fields["text"], fields["text"])
    if "data" in fields:
        return annotated(fields["data"])
    raise BadRequest(400, "missing 'text' or 'data' parameter")


def annotated(data: str) -> CheckInput:
    """``{"annotation": [{"text": ...}, {"markup": ..., "interpretAs": ...}]}`` as text."""
    try:
        parts = load_json(data, "'data'")["annotation"]
        assert isinstance(parts, list)
    except (InputError, KeyError, TypeError, AssertionError):
        raise BadRequest(400, "'data' is not LanguageTool's annotation JSON") from None
    text, document, positions = [], [], []
    at = 0
    for part in parts:
        if not isinstance(part, dict):
            raise BadRequest(400, "'data': every annotation part must be an object")
        piece, markup = part.get("text"), part.get("markup")
        shown = piece if isinstance(piece, str) else str(part.get("interpretAs") or "")
        raw = piece if isinstance(piece, str) else str(markup or "")
        text.append(shown)
        positions += [at + i for i in range(len(shown))] if piece is not None else [at] * len(shown)
        document.append(raw)
        at += len(raw)
    plain = "".join(text)
    check_text_size(plain)
    return CheckInput(plain, "".join(document), [*positions, at])


def fix_input(body: bytes) -> tuple[str, str]:
    """``/api/fix``: ``{"text": ..., "format": "auto"}`` -> (text, format)."""
    try:
        data = load_json(decode_utf8(body), "the body")
    except InputError as exc:
        raise BadRequest(400, str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise BadRequest(400, 'missing \'text\': send {"text": "..."}')
    fmt = data.get("format", "auto")
    if fmt not in FORMATS:
        raise BadRequest(400, f"format {fmt!r}: one of {', '.join(FORMATS)}")
    check_text_size(data["text"])
    return data["text"], fmt

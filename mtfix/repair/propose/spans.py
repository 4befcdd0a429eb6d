"""Token helpers shared by the proposers: names, numbers, quotes, case and spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mtfix.detect.lexicon import NAME_PARTICLES
from mtfix.repair.propose import Proposal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NAME_ENTS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
)
NUMBER_ENTS = frozenset({"CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
TEXT_KEY = "mtfix.text"  # doc.user_data: the parsed text, joined once
QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
NO_SPACE_BEFORE = (",", ".", ";", ":", ")", "!", "?", "'s")


def name_end(doc: Doc, i: int) -> int | None:
    """End of a name starting at token ``i`` (particles, then proper nouns), or None."""
    j = i
    while j < len(doc) and doc[j].lower_ in NAME_PARTICLES and doc[j].text.isalpha():
        j += 1
    end = j
    while end < len(doc) and doc[end].pos_ == "PROPN":
        end += 1
    return end if end > j else None


def is_name(tok: Token) -> bool:
    """A proper noun, a token of a named entity, or a particle of a following name."""
    if tok.pos_ == "PROPN" or tok.ent_type_ in NAME_ENTS:
        return True
    return tok.lower_ in NAME_PARTICLES and name_end(tok.doc, tok.i) is not None


def is_number(tok: Token) -> bool:
    return tok.pos_ == "NUM" or tok.like_num or tok.ent_type_ in NUMBER_ENTS


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per parse (spaCy joins every token again on each call)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def in_quotes(tok: Token) -> bool:
    """Whether ``tok`` stands inside quotation marks."""
    before = doc_text(tok.doc)[: tok.idx]
    if before.count('"') % 2:
        return True
    return any(before.count(o) > before.count(c) for o, c in QUOTES.items() if o != c)


def protected(tok: Token) -> bool:
    """Never edited: names, numbers, quoted text."""
    return is_name(tok) or is_number(tok) or in_quotes(tok)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def match_case(new: str, old: str) -> str:
    """``new`` capitalised like ``old`` (first letter only)."""
    return cap(new) if old[:1].isupper() else new


def lowered(tok: Token) -> str:
    """The token's text as it reads away from the sentence start."""
    text = tok.text
    if is_name(tok) or text == "I" or (len(text) > 1 and text.isupper()):
        return text
    return text[:1].lower() + text[1:]


def end_ws(tok: Token) -> int:
    """Character offset after the token and its trailing whitespace."""
    return tok.idx + len(tok.text_with_ws)


def delete(tok: Token, kind: str) -> Proposal | None:
    """Delete one token with its space; the next word takes a sentence-initial capital."""
    doc = tok.doc
    if tok.i + 1 >= len(doc):
        return None
    nxt = doc[tok.i + 1]
    if tok.i == 0:
        return Proposal(tok.idx, nxt.idx + len(nxt.text), match_case(nxt.text, tok.text), kind)
    if not tok.whitespace_ and doc[tok.i - 1].whitespace_:
        prev = doc[tok.i - 1]
        return Proposal(prev.idx + len(prev.text), tok.idx + len(tok.text), "", kind)
    return Proposal(tok.idx, end_ws(tok), "", kind)


def insert_before(tok: Token, word: str, kind: str) -> Proposal:
    """Insert ``word`` and a space before ``tok`` (recasing the sentence start)."""
    if tok.i == 0:
        return Proposal(tok.idx, tok.idx + len(tok.text), f"{cap(word)} {lowered(tok)}", kind)
    return Proposal(tok.idx, tok.idx, f"{word} ", kind)


def replace(tok: Token, text: str, kind: str) -> Proposal:
    """Replace one token's text, keeping its capitalisation."""
    return Proposal(tok.idx, tok.idx + len(tok.text), match_case(text, tok.text), kind)


def reorder(
    doc: Doc,
    ranges: Sequence[tuple[int, int] | str],
    kind: str,
    cover: tuple[int, int] | None = None,
) -> Proposal:
    """Rewrite tokens ``cover`` (by default what the ``ranges`` cover) as the ``ranges``.

    Ranges are token ranges, written in the given order; strings are inserted as they are.
    At the sentence start the new first word is capitalised and the old one lower-cased
    (unless a name or "I").
    """
    spans = [r for r in ranges if not isinstance(r, str)]
    first, last = cover or (min(a for a, _ in spans), max(b for _, b in spans))
    pieces = [r if isinstance(r, str) else _piece(doc, *r) for r in ranges]
    text = pieces[0]
    for piece in pieces[1:]:
        text += piece if piece.startswith(NO_SPACE_BEFORE) else f" {piece}"
    if first == 0:
        text = cap(text)
    return Proposal(doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text), text, kind)


def _piece(doc: Doc, start: int, end: int) -> str:
    text = doc[start:end].text
    if start == 0:
        text = lowered(doc[0]) + text[len(doc[0].text) :]
    return text


def plural_subject(tok: Token) -> bool:
    """Whether a subject is plural (a relative pronoun agrees with the noun it follows)."""
    if tok.tag_ in {"WDT", "WP"} and tok.head.dep_ == "relcl":
        tok = tok.head.head
    if tok.lower_ in {"we", "they", "you", "these", "those", "i"}:
        return True
    return tok.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in tok.children)


def subject(verb: Token) -> Token | None:
    """The verb's nominal subject, if spaCy found one."""
    return next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)

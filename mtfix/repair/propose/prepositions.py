"""Preposition edits: swap, delete, or insert one after a noun or verb."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mtfix.repair.propose import Proposal
from mtfix.repair.propose.spans import delete, in_quotes, insert_before, is_name, replace

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PREPOSITIONS = (
    "of", "in", "on", "at", "to", "for", "with", "from", "by", "about",
    "into", "over", "through", "during", "against", "among",
)  # fmt: skip
INSERTED = ("of", "to", "for", "in", "on", "at", "with", "about")
NP_START = frozenset({"DET", "PROPN", "NOUN", "ADJ", "PRON", "NUM"})


class PrepositionProposer:
    """Swaps or deletes each common preposition; inserts one before a following noun phrase."""

    kind = "preposition"

    def propose(self, doc: Doc) -> Iterator[Proposal]:
        for tok in doc:
            if _preposition(tok):
                yield from self._edit(tok)
            elif tok.i + 1 < len(doc) and _gap(tok, doc[tok.i + 1]):
                for word in INSERTED:
                    yield insert_before(doc[tok.i + 1], word, self.kind)

    def _edit(self, tok: Token) -> Iterator[Proposal]:
        for word in PREPOSITIONS:
            if word != tok.lower_:
                yield replace(tok, word, self.kind)
        gone = delete(tok, self.kind)
        if gone:
            yield gone


def _preposition(tok: Token) -> bool:
    """A preposition proper: not a verb particle, not an infinitive's "to", not in a name."""
    if tok.pos_ != "ADP" or tok.lower_ not in PREPOSITIONS or tok.dep_ in {"prt", "aux"}:
        return False
    return not (is_name(tok) or in_quotes(tok))


def _gap(tok: Token, nxt: Token) -> bool:
    """A noun or verb directly followed by the start of a noun phrase."""
    if tok.pos_ not in {"NOUN", "VERB"} or tok.dep_ == "compound" or not tok.whitespace_:
        return False
    if in_quotes(nxt) or nxt.tag_ in {"WDT", "WP", "WP$", "POS"}:
        return False
    return nxt.pos_ in NP_START or is_name(nxt)

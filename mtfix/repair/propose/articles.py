"""Article edits: delete, swap a/an/the, insert one before a bare noun phrase."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mtfix.repair.propose import Proposal
from mtfix.repair.propose.spans import delete, in_quotes, insert_before, is_name, replace

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ARTICLES = ("a", "an", "the")
QUANTIFIERS = frozenset(
    {"some", "many", "all", "each", "every", "any", "no", "several", "few", "much", "most"}
    | {"both", "either", "neither", "another", "such", "what", "which", "whose", "enough"}
)
NO_ARTICLE_TAGS = frozenset({"PRP$", "WP$", "WDT", "POS", "CD", "PDT"})
# Spelling exceptions to "an before a vowel letter" (closed lists of onsets).
VOWEL_LETTER_CONSONANT_SOUND = ("uni", "use", "usu", "usa", "uti", "ura", "eu", "ewe", "one")
CONSONANT_LETTER_VOWEL_SOUND = ("hour", "honest", "honor", "honour", "heir")
AN_LETTERS = "aefhilmnorsx"  # initialisms read letter by letter: "an FBI agent"


def indefinite(word: str) -> str:
    """'a' or 'an' for the word that follows it."""
    if len(word) > 1 and word.isupper():
        return "an" if word[0].lower() in AN_LETTERS else "a"
    low = word.lower()
    if low.startswith(CONSONANT_LETTER_VOWEL_SOUND):
        return "an"
    if low.startswith(VOWEL_LETTER_CONSONANT_SOUND):
        return "a"
    return "an" if low[:1] in "aeiou" else "a"


class ArticleProposer:
    """Deletes or swaps each article; inserts "the"/"a"/"an" before bare noun phrases."""

    kind = "article"

    def propose(self, doc: Doc) -> Iterator[Proposal]:
        for tok in doc:
            if tok.lower_ in ARTICLES and tok.pos_ == "DET" and not _skip(tok):
                yield from self._edit(tok)
        for chunk in doc.noun_chunks:
            if _bare(chunk):
                yield from self._insert(chunk)

    def _edit(self, tok: Token) -> Iterator[Proposal]:
        gone = delete(tok, self.kind)
        if gone:
            yield gone
        if tok.i + 1 >= len(tok.doc):
            return
        swaps = ["the"] if tok.lower_ != "the" else []
        if tok.head.tag_ == "NN":  # a/an only before a singular noun
            swaps.append(indefinite(tok.nbor().text))
        for word in swaps:
            if word != tok.lower_:
                yield replace(tok, word, self.kind)

    def _insert(self, chunk: Span) -> Iterator[Proposal]:
        words = ["the"]
        if chunk.root.tag_ == "NN":
            words.append(indefinite(chunk[0].text))
        for word in words:
            yield insert_before(chunk[0], word, self.kind)


def _skip(tok: Token) -> bool:
    return is_name(tok) or in_quotes(tok)


def _bare(chunk: Span) -> bool:
    """A common-noun phrase with no determiner, possessive, number or quantifier."""
    first = chunk[0]
    if chunk.root.pos_ != "NOUN" or first.pos_ in {"DET", "PRON", "PROPN", "NUM"}:
        return False
    if first.tag_ in NO_ARTICLE_TAGS or first.lower_ in QUANTIFIERS:
        return False
    if any(t.dep_ in {"det", "poss", "nummod"} or t.tag_ == "POS" for t in chunk):
        return False
    prev = chunk.doc[first.i - 1] if first.i else None
    if prev is not None and (prev.pos_ == "DET" or prev.tag_ in NO_ARTICLE_TAGS):
        return False
    return not any(_skip(t) for t in chunk)

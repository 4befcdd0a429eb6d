"""Split each paragraph of an article into sentences with spaCy's parser.

The headline is always one sentence. spaCy's boundaries are kept, except that a piece
ending in ``:``, ``;`` or ``,``, or followed by a lowercase piece, is joined to the next
one (the small model sometimes splits there, e.g. after "is already known:").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from mtfix.article import Article, Paragraph, Sentence
from mtfix.limits import MAX_PARAGRAPH_CHARS, blank, overlong_spans, why_unchecked
from mtfix.nlp import load_spacy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["segment", "split_sentences"]

_UNNEEDED = ("ner", "lemmatizer")  # the parser alone sets the sentence boundaries


def _bounds(text: str, doc: Doc) -> list[tuple[int, int]]:
    """Stripped sentence spans of ``text`` from a parsed doc, with bad splits joined."""
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        start += len(piece) - len(piece.lstrip())
        end = start + len(stripped)
        if spans and (text[spans[-1][1] - 1] in ":;," or stripped[0].islower()):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _parse(texts: Iterable[str], nlp: Language | None) -> Iterable[Doc]:
    """Parse texts in one batch; newlines become spaces so wrapped lines parse as prose."""
    nlp = nlp or load_spacy()
    disable = [name for name in _UNNEEDED if name in nlp.pipe_names]
    return nlp.pipe((t.replace("\n", " ") for t in texts), disable=disable)


def split_sentences(text: str, nlp: Language | None = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the sentences of ``text``, trimmed of whitespace."""
    return _bounds(text, next(iter(_parse([_parsable(text)], nlp))))


def _whole(block: Paragraph) -> tuple[Sentence, ...]:
    """The block as a single sentence."""
    return (Sentence(block.start, block.end, block.text),)


def _parsable(text: str) -> str:
    """What the parser may read of a paragraph: every token too long to be a word made a
    run of letters of its length (offsets kept), which spaCy's tokenizer reads in linear
    time (its affix rules are quadratic on a long run of brackets)."""
    return blank(text, overlong_spans(text), fill="x")


def segment(article: Article, nlp: Language | None = None) -> Article:
    """A copy of ``article`` with every block's ``sentences`` filled in reading order.

    A paragraph too long or too strange to parse (``mtfix.limits``) is one sentence.
    """
    title = replace(article.title, sentences=_whole(article.title)) if article.title else None
    split = [p for p in article.paragraphs if not why_unchecked(p.text, MAX_PARAGRAPH_CHARS)]
    docs = dict(zip((p.start for p in split), _parse([_parsable(p.text) for p in split], nlp),
                    strict=True))  # fmt: skip
    paragraphs = []
    for para in article.paragraphs:
        doc = docs.get(para.start)
        sentences = tuple(
            Sentence(para.start + s, para.start + e, para.text[s:e])
            for s, e in (_bounds(para.text, doc) if doc is not None else ())
        )
        paragraphs.append(replace(para, sentences=sentences or _whole(para)))
    return replace(article, title=title, paragraphs=tuple(paragraphs))

"""An apposition's comma that MT wrote as a hyphen: "the special envoy of the UN
Secretary General on Syria-Staffan de Mistura" is "... on Syria, Staffan de Mistura".

The hyphen joins a name the article also writes on its own ("Syria") to a person's full
name (a first name and the surname after it). A hyphenated name ("Jean-Claude Juncker")
is left alone: its first half is not a word of its own elsewhere in the article.
"""

from __future__ import annotations

from spacy.tokens import Doc

from mtfix.style.names import Mention


def hyphen_appositions(
    doc: Doc, offset: int, firsts: list[Mention], standalone: set[str]
) -> list[tuple[int, int]]:
    """Spans (in the article) of hyphens that stand for an apposition's comma in one
    parsed sentence: ``firsts``: first-name mentions; ``standalone``: words the article
    writes on their own."""
    starts = {m.start for m in firsts}
    out = []
    for tok in doc[1:-1]:
        before, after = doc[tok.i - 1], doc[tok.i + 1]
        if (
            tok.text in {"-", "–"}
            and not before.whitespace_
            and not tok.whitespace_
            and offset + after.idx in starts
            and before.text in standalone
            and before.text[:1].isupper()
        ):
            out.append((offset + tok.idx, offset + tok.idx + len(tok)))
    return out

"""Proposers: small candidate edits of one sentence, for the LM to rank.

A proposer reads a sentence's spaCy parse and yields ``Proposal``s: a character span of
the sentence and its replacement. It does not judge them; the search scores every
candidate sentence under the base LM and keeps an edit only when it beats the sentence
by a calibrated margin and passes the guard. So a proposer may offer many alternatives
(every article, every inflection), but each one should be plausible English for that
slot, never touch a name or a number, and stay small: one word or one phrase moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from spacy.tokens import Doc

KINDS = (
    "article",
    "preposition",
    "inflection",
    "auxiliary",
    "order",
    "word",
    "spelling",
    "rules",
    "style",
    "checker",
    "model",
)


@dataclass(frozen=True)
class Proposal:
    """Replace ``start``..``end`` (character offsets into the sentence) with ``text``.

    ``kind``: one of ``KINDS``; ``source``: what the report shows (``lm:<kind>`` unless the
    proposer names a rule, a checker or a model).
    """

    start: int
    end: int
    text: str
    kind: str
    source: str = ""

    def apply(self, sentence: str) -> str:
        """The sentence with this edit made."""
        return sentence[: self.start] + self.text + sentence[self.end :]

    @property
    def label(self) -> str:
        return self.source or f"lm:{self.kind}"


class Proposer(Protocol):
    """Offers candidate edits of a parsed sentence (``doc.text`` is the sentence)."""

    kind: str

    def propose(self, doc: Doc) -> Iterable[Proposal]: ...


def propose_all(doc: Doc, proposers: Iterable[Proposer]) -> list[Proposal]:
    """Every proposer's edits in order, one per resulting sentence (first wins), no no-ops."""
    text = doc.text
    seen = {text}
    kept: list[Proposal] = []
    for proposer in proposers:
        for proposal in proposer.propose(doc):
            result = proposal.apply(text)
            if result not in seen:
                seen.add(result)
                kept.append(proposal)
    return kept


def default_proposers() -> list[Proposer]:
    """One of each parse-based proposer, in a fixed order."""
    return [cls() for cls in PROPOSERS.values()]


# The proposers import ``Proposal`` from here, so they come after it.
from mtfix.repair.propose.articles import ArticleProposer  # noqa: E402
from mtfix.repair.propose.auxiliaries import AuxiliaryProposer  # noqa: E402
from mtfix.repair.propose.inflections import InflectionProposer  # noqa: E402
from mtfix.repair.propose.order import OrderProposer  # noqa: E402
from mtfix.repair.propose.prepositions import PrepositionProposer  # noqa: E402
from mtfix.repair.propose.spelling import SpellingProposer  # noqa: E402

PROPOSERS: dict[str, type[Proposer]] = {
    cls.kind: cls
    for cls in (
        ArticleProposer,
        PrepositionProposer,
        InflectionProposer,
        AuxiliaryProposer,
        SpellingProposer,
        OrderProposer,
    )
}

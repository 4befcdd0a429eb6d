"""Detection: document detectors (repeats, promo blocks) and sentence detectors.

Every detector follows the small ``Detector`` protocol and sees the same ``Analysis``:
the segmented article plus what is computed once for all detectors (spaCy parses of
the sentences and grammar-checker matches per sentence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from mtfix.article import Article, Finding, Match, Sentence, StyleSheet

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Analysis:
    """Shared inputs of the detectors; ``docs`` and ``matches`` are keyed by sentence start.

    ``checker`` names the grammar checker that gave ``matches``; ``unchecked`` holds the
    sentences too long or too strange to check (``mtfix.limits``), each with the reason:
    they have no parse and no matches, and no detector or repair sees them. ``notes``:
    what a detector left undone for this article (the report's notices).
    """

    article: Article
    docs: dict[int, Doc] = field(default_factory=dict)
    matches: dict[int, list[Match]] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    unchecked: dict[int, str] = field(default_factory=dict)
    checker: str = ""
    style: StyleSheet | None = None  # the article pass's (mtfix.style), once it has run
    notes: list[str] = field(default_factory=list)  # what a detector could not do, in words

    def live_sentences(self) -> list[Sentence]:
        """Checked sentences of the blocks that stay in the output (not removed as junk)."""
        return [
            s
            for block in self.article.blocks()
            if block.start not in self.removed
            for s in block.sentences
            if s.start not in self.unchecked
        ]


class Detector(Protocol):
    """Finds one family of problems.

    A detector with a heavy model may also offer ``detect_many(analyses)``, returning one
    list of findings per analysis; the pipeline then calls it once for a whole batch.
    """

    name: str

    def detect(self, analysis: Analysis) -> list[Finding]:
        """Findings, with offsets into ``analysis.article.text``."""
        ...

"""Scoring: before/after metrics against references, per-sentence rows, the eval report.

``metrics.py`` computes the figures, ``report.py`` renders them (HTML and JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mtfix.article import StyleSheet


@dataclass(frozen=True)
class MetricResult:
    """One corpus metric before and after repair (``delta`` = after - before)."""

    name: str
    """The metric: ``bleu``, ``chrf``, ``ter``, ``gleu``, ``errant_f05``."""
    before: float
    """Its corpus score of the MT."""
    after: float
    """Its corpus score of the output."""
    delta: float
    """``after - before`` (for TER, lower is better)."""
    signature: str | None = None
    """sacrebleu's reproducibility signature (or ours, for GLEU and ERRANT)."""
    extra: dict[str, float | str] = field(default_factory=dict)
    """More figures: the paired bootstrap ``p_value``, ERRANT's precision and recall."""


@dataclass(frozen=True)
class SentenceRow:
    """One segment: the MT, the repaired output, the references and its score change."""

    index: int
    """The line number, from 1."""
    mt: str
    """The MT line."""
    output: str
    """The repaired line (the MT itself when unchanged)."""
    refs: tuple[str, ...]
    """The line's references, one per stream."""
    score_before: float
    """The MT line's sentence score (chrF) against its references."""
    score_after: float
    """The output line's sentence score."""
    flagged: bool = False
    """Whether the detectors flagged the line for repair."""
    sources: tuple[str, ...] = ()
    """Where the edits in the output came from (a search step with its gain)."""

    @property
    def changed(self) -> bool:
        return self.mt != self.output

    @property
    def delta(self) -> float:
        return self.score_after - self.score_before

    @property
    def outcome(self) -> str:
        """'improved', 'worse' or 'unchanged' by the sentence-level score."""
        if abs(self.delta) < 1e-9:
            return "unchanged"
        return "improved" if self.delta > 0 else "worse"


@dataclass(frozen=True)
class Document:
    """One document of a corpus read as articles (``mtfix eval --docids``): its id, its
    lines (``first`` to ``last``, numbered from 1) and the article pass's style sheet."""

    doc: str
    first: int
    last: int
    style: StyleSheet | None = None


@dataclass
class EvalResult:
    """Everything ``mtfix eval`` measured."""

    metrics: dict[str, MetricResult]
    """Every corpus metric by name, before and after."""
    rows: list[SentenceRow]
    """One row per line."""
    behaviour: dict[str, float]
    """How the repair behaved: the shares of lines changed, improved and made worse."""
    grammar: dict[str, int | str]
    """Real grammar issues in the MT and in the output (``checker``, ``before``, ``after``)."""
    meta: dict[str, str | int | float]
    """What was scored: the files, the line count, the tokenization."""
    documents: list[Document] = field(default_factory=list)
    """The documents, where the corpus was read as articles (else none)."""
    suggestions: dict[str, float] = field(default_factory=dict)
    """What taking every suggestion as well would do: ``lines`` it changes further, how many
    of those move ``toward`` / ``away`` from the references (or stay ``neutral``), and each
    corpus metric's value with them (``<metric>``). Empty where none was made."""

"""Scoring: before/after metrics against references, per-sentence rows, the eval report.

``metrics.py`` computes the figures, ``report.py`` renders them (HTML and JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MetricResult:
    """One corpus metric before and after repair (``delta`` = after - before)."""

    name: str
    before: float
    after: float
    delta: float
    signature: str | None = None
    extra: dict[str, float | str] = field(default_factory=dict)


@dataclass(frozen=True)
class SentenceRow:
    """One segment: the MT, the repaired output, the references and its score change."""

    index: int
    mt: str
    output: str
    refs: tuple[str, ...]
    score_before: float
    score_after: float
    flagged: bool = False
    sources: tuple[str, ...] = ()  # where the edits in the output came from

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


@dataclass
class EvalResult:
    """Everything ``mtfix eval`` measured."""

    metrics: dict[str, MetricResult]
    rows: list[SentenceRow]
    behaviour: dict[str, float]
    grammar: dict[str, int | str]
    meta: dict[str, str | int | float]

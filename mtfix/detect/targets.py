"""Which sentences go to repair, and which spans document findings take out."""

from __future__ import annotations

from mtfix.article import Finding, Removal, Sentence
from mtfix.detect import Analysis


def removals(findings: list[Finding]) -> list[Removal]:
    """What document findings take out of the output, with the reason."""
    return [
        Removal(f.start, f.end, f.text, f"{f.category}: {f.message}")
        for f in findings
        if f.action == "remove"
    ]


def targets_of(findings: list[Finding], min_confidence: float) -> list[Finding]:
    """The findings strong enough to send their sentence to the rewriter."""
    return [f for f in findings if f.action == "rewrite" and f.confidence >= min_confidence]


def targets(
    analysis: Analysis, findings: list[Finding], min_confidence: float, every: bool = False
) -> list[Sentence]:
    """Live sentences that carry a rewrite finding at or above ``min_confidence`` (with
    ``every``: all live sentences).

    A sentence that a document finding removes (a repeated sentence) is not rewritten.
    """
    strong = targets_of(findings, min_confidence)
    gone = [f for f in findings if f.action == "remove"]
    return [
        s
        for s in analysis.live_sentences()
        if (every or any(f.start < s.end and s.start < f.end for f in strong))
        and not any(f.start < s.end and s.start < f.end for f in gone)
    ]

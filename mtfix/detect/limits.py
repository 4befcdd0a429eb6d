"""Sentences too long or too strange to check (``mtfix.limits``), reported for review.

They are left exactly as they are: no parse, no grammar check, no LM, no repair.
"""

from __future__ import annotations

from mtfix.article import Finding, Sentence
from mtfix.detect import Analysis

CATEGORY = "too_long_to_check"


class LimitsDetector:
    """One review finding per sentence the analysis left unchecked."""

    name = "limits"

    def detect(self, analysis: Analysis) -> list[Finding]:
        """A finding for each unchecked sentence, with the reason."""
        return [
            self._finding(s, why)
            for s in analysis.article.sentences()
            if (why := analysis.unchecked.get(s.start))
        ]

    def _finding(self, sentence: Sentence, why: str) -> Finding:
        return Finding(
            kind="sentence", category=CATEGORY, start=sentence.start, end=sentence.end,
            text=sentence.text, confidence=1.0, message=f"too long to check ({why}): left as it is",
            action="review", detector=self.name, rule="limits",
        )  # fmt: skip

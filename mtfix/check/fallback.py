"""A LanguageTool checker that hands over to the offline checker when it fails mid-run."""

from __future__ import annotations

from collections.abc import Callable

from mtfix.article import Match
from mtfix.check import Checker, CheckerFailed


class FallbackChecker:
    """``primary`` until it fails once, then ``make_fallback()`` for the rest of the run.

    The pipeline sets ``where`` (e.g. "article 3 (input)") before each use, so the
    notice can say from which point the offline checker took over.
    """

    def __init__(self, primary: Checker, make_fallback: Callable[[], Checker]) -> None:
        self.primary = primary
        self._make_fallback = make_fallback
        self.fallback: Checker | None = None
        self.where = ""
        self.checks = 0
        self.notices: list[str] = []

    @property
    def name(self) -> str:
        """The name of the backend that answers now."""
        return (self.fallback or self.primary).name

    def check(self, text: str) -> list[Match]:
        """The primary's matches; after its first failure, the fallback's."""
        if self.fallback is None:
            self.checks += 1
            try:
                return self.primary.check(text)
            except CheckerFailed as exc:
                self._switch(exc)
        assert self.fallback is not None
        return self.fallback.check(text)

    def _switch(self, exc: CheckerFailed) -> None:
        self.fallback = self._make_fallback()
        at = self.where or f"check {self.checks}"
        self.notices.append(f"LanguageTool failed at {at} ({exc}); offline checker from then on")

    def close(self) -> None:
        """Close both backends."""
        self.primary.close()
        if self.fallback is not None:
            self.fallback.close()


def mark(checker: Checker, where: str) -> None:
    """Tell a fallback checker what it is checking now (no-op for other checkers)."""
    if isinstance(checker, FallbackChecker):
        checker.where = where

"""The offline checker: harper-py, Harper's Rust grammar checker, no network, no Java."""

from __future__ import annotations

import harper

from mtfix.article import Match
from mtfix.check import within_limits

# Harper's lint kinds that are advice on style, not errors.
_STYLE_KINDS = frozenset({"Readability", "Style", "Enhancement", "Formatting"})


class HarperChecker:
    """Checks text with one reused ``harper.Linter``."""

    name = "offline"

    def __init__(self) -> None:
        self._linter = harper.Linter(harper.Dialect.AMERICAN)

    def check(self, text: str) -> list[Match]:
        return sorted(within_limits(self._lint, text), key=lambda m: (m.offset, m.rule_id))

    def _lint(self, text: str) -> list[Match]:
        by_rule = self._linter.organized_lints(text, language=harper.Language.PLAINTEXT)
        return [_to_match(rule, lint) for rule, lints in by_rule.items() for lint in lints]

    def close(self) -> None:
        """Nothing to release."""


def _to_match(rule: str, lint: harper.Lint) -> Match:
    return Match(
        offset=lint.span.start,
        length=lint.span.end - lint.span.start,
        rule_id=f"HARPER_{rule}",
        category=lint.lint_kind,
        message=lint.message,
        replacements=tuple(s.replacement_text for s in lint.suggestions),
        issue_type="style" if lint.lint_kind in _STYLE_KINDS else "grammar",
        source="harper",
    )

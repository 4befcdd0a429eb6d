"""Grammar checking: one interface, LanguageTool-shaped matches, several backends."""

from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

from mtfix.article import Match
from mtfix.errors import ConfigError

CHECKERS = ("auto", "languagetool", "offline", "none")
LT_SERVER_ENV = "MTFIX_LT_SERVER"


@runtime_checkable
class Checker(Protocol):
    """A grammar checker backend."""

    name: str

    def check(self, text: str) -> list[Match]:
        """Matches in ``text``, offsets into ``text``."""
        ...

    def close(self) -> None:
        """Release what the backend holds (a server, a process)."""
        ...


def is_name_spelling(match: Match, text: str) -> bool:
    """A spelling match on a capitalized word: a name, not an error in MT English."""
    if match.category.lower() not in {"spelling", "typos"}:
        return False
    word = text[match.offset : match.offset + match.length]
    return word[:1].isupper()


def real_issues(matches: list[Match], text: str) -> list[Match]:
    """Matches that count as grammar issues (spelling on names and style notes dropped)."""
    return [m for m in matches if not is_name_spelling(m, text) and m.issue_type != "style"]


class NullChecker:
    """No grammar checking (``--checker none``)."""

    name = "none"

    def check(self, text: str) -> list[Match]:
        return []

    def close(self) -> None:
        """Nothing to release."""


def load_checker(name: str = "auto", lt_server: str | None = None) -> tuple[Checker, str]:
    """The checker asked for, and a one-line notice saying which backend runs and why.

    ``auto`` uses a LanguageTool server when one is configured (``lt_server`` or the
    ``MTFIX_LT_SERVER`` variable) and answers, else the offline checker.
    """
    if name not in CHECKERS:
        raise ConfigError(f"unknown checker {name!r}; choose one of {', '.join(CHECKERS)}")
    server = lt_server or os.environ.get(LT_SERVER_ENV)
    if name == "none":
        return NullChecker(), "grammar checker: none"
    if name == "languagetool" or (name == "auto" and server):
        try:
            return _languagetool(server), f"grammar checker: LanguageTool at {server}"
        except ConfigError as exc:
            if name == "languagetool":
                raise
            reason = str(exc)
    else:
        reason = f"no LanguageTool server configured (--lt-server or {LT_SERVER_ENV})"
    from mtfix.check.offline import HarperChecker

    return HarperChecker(), f"grammar checker: offline (Harper); LanguageTool skipped: {reason}"


def _languagetool(server: str | None) -> Checker:
    if not server:
        raise ConfigError(
            f"--checker languagetool needs a server: pass --lt-server URL or set {LT_SERVER_ENV}"
        )
    from mtfix.check.languagetool import LanguageToolChecker

    return LanguageToolChecker(server)

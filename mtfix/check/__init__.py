"""Grammar checking: one interface, LanguageTool-shaped matches, several backends.

Backends: LanguageTool (a configured server, a local install started once per process,
or the public API on request; ``languagetool.py``, ``ltlocal.py``), the offline checker
(Harper, ``offline.py``) and none. ``select.py`` picks one; ``fallback.py`` switches to
the offline checker when LanguageTool fails mid-run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from mtfix.article import Match
from mtfix.check.spelling import is_accented_word, is_mojibake
from mtfix.limits import checkable, outside

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
        """Release what the backend holds (a client, a connection)."""
        ...


class CheckerFailed(Exception):
    """A backend that was working failed on a text (a server gone, an error answer)."""


@dataclass(frozen=True)
class LTOptions:
    """Where LanguageTool may run; ``timeout`` None means each backend's default."""

    server: str | None = None
    public: bool = False
    path: str | None = None
    download: bool = False
    timeout: float | None = None


def one_line(exc: BaseException, limit: int = 160) -> str:
    """The first line of an exception's message (at most ``limit`` characters), or its type."""
    text = str(exc).strip().splitlines()
    line = text[0].strip() if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


def within_limits(check: Callable[[str], list[Match]], text: str) -> list[Match]:
    """``check(text)`` on what a checker may read of ``text`` (``mtfix.limits.checkable``:
    overlong tokens and lines of symbols blanked, offsets kept), their matches left out."""
    masked, spans = checkable(text)
    matches = check(masked)
    return [m for m in matches if outside(spans, m.offset, m.offset + m.length)]


def is_name_spelling(match: Match, text: str) -> bool:
    """A spelling match on a name or loanword, not an error in MT English: a capitalized
    word ("Zakharova") or an accented one ("communiqué", "Nääs"), unless it is mojibake."""
    if match.category.lower() not in {"spelling", "typos"}:
        return False
    start, end = match.offset, match.offset + match.length
    if is_mojibake(_token(text, start, end)):  # "MÃ¼ller": the checker flags "MÃ"
        return False
    word = text[start:end]
    return word[:1].isupper() or is_accented_word(word)


def _token(text: str, start: int, end: int) -> str:
    """The run of non-space characters around ``text[start:end]``."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


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


def load_checker(
    name: str = "auto", lt_server: str | None = None, lt: LTOptions | None = None
) -> tuple[Checker, str]:
    """The checker asked for, and a one-line notice saying which backend runs and why.

    ``auto`` takes the first LanguageTool that works (a configured server, a local
    install, the public API when ``lt.public``), else the offline checker; it never
    downloads unless ``lt.download`` and never waits past a bounded time.
    """
    from mtfix.check.select import select
    from mtfix.loads import loading

    with loading("checker"):
        return select(name, lt or LTOptions(server=lt_server))

"""Whether ``mtfix eval``'s files look Moses-tokenized, and what the eval does about it.

JFLEG and MLQE-PE ship Moses-tokenized (``did n't``, ``word ,``, ``&apos;``). Repaired and
scored as plain text, their scores fall (JFLEG dev GLEU 40.54 -> 36.51) with no hint why,
so eval scores such input as ``--tokenized`` when every file looks tokenized, says so, and
warns when only some do.
"""

from __future__ import annotations

import re
from collections import Counter

# Moses's marks: split clitics, a punctuation token standing alone, escaped quotes,
# split brackets. Plain prose has none of them (``didn't``, ``say,``, ``it's``, ``(so)``).
MARKS = re.compile(
    r" n't(?=\s|$)"
    r"| '(?:s|re|ve|ll|d|m)(?=\s|$)"
    r"| [.,?!;:](?=\s|$)"
    r"|&apos;|&quot;"
    r"|\( | \)",
    re.IGNORECASE,
)
SHARE = 0.3  # of the non-empty lines that must show a mark


def tokenized_share(lines: list[str]) -> float:
    """The share of the non-empty lines showing at least one Moses mark (0 when none)."""
    nonempty = [x for x in lines if x.strip()]
    if not nonempty:
        return 0.0
    return sum(1 for x in nonempty if MARKS.search(x)) / len(nonempty)


def looks_tokenized(lines: list[str]) -> bool:
    """Whether the lines look Moses-tokenized: at least ``SHARE`` of the non-empty ones
    show a Moses mark. Plain prose with an occasional MT spacing slip does not."""
    return tokenized_share(lines) >= SHARE


def decide_tokenized(files: dict[str, list[str]], given: bool | None) -> tuple[bool, str | None]:
    """Whether to score ``files`` (name -> lines) as tokenized, and a one-line notice.

    ``given``: ``--tokenized`` (True), ``--no-tokenized`` (False), neither (None). Only
    neither is guessed: every file tokenized -> scored as tokenized, with a notice; some
    files tokenized -> plain text, with a warning naming them; none -> plain, silently.
    """
    if given is not None or not files:
        return bool(given), None
    marked = [name for name, lines in files.items() if looks_tokenized(lines)]
    if len(marked) == len(files):
        return True, (
            f"input looks Moses-tokenized ({_marks(files)}); scoring as --tokenized; "
            "pass --no-tokenized to score it as plain text"
        )
    if marked:
        return False, (
            f"warning: {', '.join(marked)} look{'s' if len(marked) == 1 else ''} Moses-tokenized "
            f"but {', '.join(n for n in files if n not in marked)} not; scoring as plain text "
            "(pass --tokenized if the data is tokenized)"
        )
    return False, None


def _marks(files: dict[str, list[str]]) -> str:
    """The commonest marks over the files, e.g. ``' .', ' ,', " n't"``."""
    counts = Counter(
        m.group().lower() for lines in files.values() for line in lines
        for m in MARKS.finditer(line)
    )  # fmt: skip
    return ", ".join(repr(k) for k, _ in counts.most_common(3))

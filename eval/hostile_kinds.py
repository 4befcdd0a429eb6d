"""The kinds of hostile input of issue 35, made at any size (shared by the eval and tests).

Each maker takes a size in bytes and returns ``(file name, bytes)``; the name's extension
picks the format the way ``mtfix fix`` does. The texts are made, not sampled, so the same
size always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable

SEED_SENTENCE = "The minister said on Tuesday that the talks in Vienna would continue next week. "


def _prose(size: int) -> str:
    """About ``size`` characters of plain English sentences."""
    return (SEED_SENTENCE * (size // len(SEED_SENTENCE) + 1))[:size].rsplit(" ", 1)[0]


def long_token(size: int) -> tuple[str, bytes]:
    """A text of ``size`` bytes, nearly all of it one word of letters with no space."""
    head = _prose(min(2_000, size // 10))
    word = "".join("abcdefghij"[i % 10] for i in range(size - len(head) - 4))
    return "long-token.txt", f"{head}\n\n{word}.\n".encode()


def brackets(size: int) -> tuple[str, bytes]:
    """Markdown of ``size`` bytes: a short paragraph, then opening brackets."""
    head = "# Talks in Vienna\n\n" + _prose(200) + "\n\n"
    return "brackets.md", (head + "[" * (size - len(head))).encode()


def backticks(size: int) -> tuple[str, bytes]:
    """Markdown of ``size`` bytes: words between runs of backticks of growing length."""
    parts, n = ["# Talks in Vienna\n\n"], 1
    while sum(map(len, parts)) < size:
        parts.append("`" * (n % 30 + 1) + " word ")
        n += 1
    return "backticks.md", "".join(parts)[:size].encode()


def surrogate(size: int) -> tuple[str, bytes]:
    """A JSON article whose body holds a lone surrogate escape."""
    body = _prose(max(100, size - 60))
    return "surrogate.json", ('{"title": "Talks", "body": "' + body + ' \\ud800 end."}').encode()


def nested(size: int) -> tuple[str, bytes]:
    """JSON nested ``size // 2`` levels deep."""
    depth = max(1, size // 2)
    return "nested.json", ("[" * depth + "]" * depth).encode()


def numbers(size: int) -> tuple[str, bytes]:
    """An article dense with numbers and dates."""
    rows = [
        f"On {d} March 2021 the index rose {d * 1.7:.1f}% to {d * 1234:,} points, "
        f"against {d * 3}.{d % 7} on {d + 1}.03.2021 and {2020 - d} in 1{d:02d}0-{d + 3}."
        for d in range(1, 400)
    ]
    text, out = "Markets in numbers\n\n", []
    for row in rows:
        if len(text) + sum(map(len, out)) + len(row) > size:
            break
        out.append(row)
    return "numbers.txt", (
        text + "\n\n".join(" ".join(out[i : i + 3]) for i in range(0, len(out), 3))
    ).encode()


KINDS: dict[str, tuple[Callable[[int], tuple[str, bytes]], tuple[int, ...]]] = {
    "long token": (long_token, (30_000, 100_000)),
    "brackets (Markdown)": (brackets, (25_000,)),
    "backticks (Markdown)": (backticks, (80_000,)),
    "lone surrogate (JSON)": (surrogate, (2_000,)),
    "deep nesting (JSON)": (nested, (100_000,)),
    "numbers and dates": (numbers, (2_000,)),
}


def issue_inputs() -> list[tuple[str, str, bytes]]:
    """Every kind at the sizes the issue names: ``(kind, file name, bytes)``."""
    out = []
    for kind, (make, sizes) in KINDS.items():
        for size in sizes:
            name, data = make(size)
            out.append((f"{kind}, {len(data) // 1000} KB", name, data))
    return out


if __name__ == "__main__":
    for kind, name, data in issue_inputs():
        print(kind, name, len(data), json.dumps(data[:60].decode(errors="replace")))

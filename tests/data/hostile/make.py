"""Write the hostile-input corpus of issue 35 (``python tests/data/hostile/make.py``).

The files are committed; tests read them and never run this. Rerun it only to change the
corpus, and say in README.md what each file reproduces.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENTENCES = (
    "The minister said on Tuesday that the talks in Vienna would continue next week. "
    "Visit de Mistura in Moscow will continue efforts on the Syrian settlement. "
    "He did not confirm the date of the next meeting with foreign affairs officials. "
    "Russia and the United States agreed to continue consultations in Geneva. "
    "The sides discussed the humanitarian situation and the ceasefire regime. "
)
WORDS = (
    "minister talks Vienna week envoy ceasefire sides meeting agreement council "
    "statement region border treaty capital election budget reform summit embassy"
).split()


def prose(size: int) -> str:
    """About ``size`` characters of plain English sentences."""
    return (SENTENCES * (size // len(SENTENCES) + 1))[:size].rsplit(". ", 1)[0] + "."


def letters(n: int) -> str:
    """One word of ``n`` letters."""
    return "".join("abcdefghij"[i % 10] for i in range(n))


def backticks(size: int) -> str:
    parts, n = ["# Talks in Vienna\n\n"], 1
    while sum(map(len, parts)) < size:
        parts.append("`" * (n % 30 + 1) + " word ")
        n += 1
    return "".join(parts)[:size]


def numbers(size: int) -> str:
    """The eval's dense numbers-and-dates article (``eval/hostile_kinds.py``), one line end."""
    sys.path.insert(0, str(HERE.parents[2] / "eval"))
    from hostile_kinds import numbers as make

    return make(size)[1].decode() + "\n"


def symbols(n: int) -> str:
    return "".join("#$%&*+=<>|~^@/\\-_"[(i * 7) % 17] for i in range(n))


FILES = {
    "long-word-5k.txt": f"{prose(300)}\n\n{letters(5_000)}.\n",
    "long-word-30k.txt": f"{prose(300)}\n\n{letters(30_000)}.\n",
    "brackets.md": "# Talks in Vienna\n\n" + prose(200) + "\n\n" + "[" * 22_000 + "\n",
    "backticks.md": backticks(20_000) + "\n",
    "surrogate.json": json.dumps({"title": "Talks", "body": prose(400) + " @@ end."}).replace(
        "@@", "\\ud800"
    ),
    "nested.json": "[" * 20_000 + "]" * 20_000,
    "numbers.txt": numbers(2_000),
    "one-word-paragraphs.txt": "\n\n".join(WORDS[i % len(WORDS)] for i in range(4_000)) + "\n",
    "symbols.txt": f"{prose(200)}\n\n{symbols(3_000)}\n",
    "bad-escape.json": '{"title": "Talks", "body": "The minister said \\x that talks go on."}',
}


def main() -> None:
    for name, text in FILES.items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")


if __name__ == "__main__":
    main()

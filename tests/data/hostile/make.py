"""Write the hostile-input corpus of issue 35 (``python tests/data/hostile/make.py``).

The files are committed; tests read them and never run this. Rerun it only to change the
corpus, and say in README.md what each file reproduces.
"""

from __future__ import annotations

import json
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
    rows = [
        f"On {d} March 2021 the index rose {d * 1.7:.1f}% to {d * 1234:,} points, "
        f"against {d * 3}.{d % 7} on {d + 1}.03.2021 and {2020 - d} in 1{d:02d}0-{d + 3}."
        for d in range(1, 400)
    ]
    head, out = "Markets in numbers\n\n", []
    for row in rows:
        if len(head) + sum(map(len, out)) + len(row) > size:
            break
        out.append(row)
    return head + "\n\n".join(" ".join(out[i : i + 3]) for i in range(0, len(out), 3)) + "\n"


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

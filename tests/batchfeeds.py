"""Feeds for the ``mtfix batch`` tests: articles made from a few MT-like news sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SENTENCES = [
    "Visit de Mistura in Moscow will continue efforts on the Syrian settlement.",
    "The minister said the talks would take place on 29-30 March in Geneva.",
    "He did not confirm the date of the next meeting with foreign Affairs officials.",
    "Russia and the United States agreed to continue consultations next week.",
    "The sides discussed the humanitarian situation and the ceasefire regime.",
    "According to him, the delegation will arrive in the capital on Monday morning.",
    "The agency noted that the decision was made after long negotiations.",
]
RUSSIAN = "Министр иностранных дел заявил, что переговоры пройдут в Женеве в конце марта."


def article(i: int) -> dict[str, Any]:
    """The i-th good article: an id, a title, a two-sentence body and a passed-through field."""
    first, second = SENTENCES[i % len(SENTENCES)], SENTENCES[(i * 3 + 1) % len(SENTENCES)]
    return {"id": f"art-{i:03d}", "title": f"Talks in Geneva, report {i}",
            "body": f"{first} {second}", "source": "test", "n": i}  # fmt: skip


def broken() -> list[tuple[str | None, bytes]]:
    """Five JSONL lines that each must become an error record, with their ids (None: the
    line is not JSON, its id is its line number)."""
    big = {"id": "bad-big", "title": "Too long", "body": "The talks went on. " * 30_000}
    return [
        ("bad-empty", json.dumps({"id": "bad-empty", "title": "Empty", "body": ""}).encode()),
        ("bad-russian", json.dumps({"id": "bad-russian", "body": RUSSIAN * 3}).encode()),
        ("bad-big", json.dumps(big).encode()),
        ("bad-bytes", b'{"id": "bad-bytes", "body": "The caf\xe9 in Geneva was closed today."}'),
        (None, b'{"id": "bad-json", "title": "cut off'),
    ]


def write_jsonl(path: Path, n: int, bad_every: int = 0) -> list[str]:
    """N good articles, a broken line after every ``bad_every``-th; the ids in order."""
    lines, ids, bad = [], [], broken() if bad_every else []
    for i in range(n):
        lines.append(json.dumps(article(i)).encode())
        ids.append(f"art-{i:03d}")
        if bad and (i + 1) % bad_every == 0:
            rid, line = bad.pop(0)
            lines.append(line)
            ids.append(rid or f"<line {len(lines)}>")
    path.write_bytes(b"\n".join(lines) + b"\n")
    return ids


def records(path: Path) -> list[dict[str, Any]]:
    """The records of an output file, every line parsed."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

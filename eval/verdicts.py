"""What each step of the search did to a line, judged against the human text.

A step moves the line *toward* its post-edit (or the nearest of its references) when it
lowers the word edit distance to it, *away* when it raises it, and is *neutral* when the
distance stays. ``eval/train_accept.py`` learns from these verdicts and
``eval/calibrate_search.py`` lists every kept edit with its verdict.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mtfix.score.toward import distance, nearest, verdict, words

__all__ = ["distance", "nearest", "verdict", "words"]  # eval's scripts take them from here


@dataclass(frozen=True)
class JudgedStep:
    """One step of a cached line, the line before and after it, and its verdict."""

    line: int
    edit: int
    index: int
    step: list
    before: str
    after: str
    verdict: str


def judged_steps(rec: dict, refs: list[str]) -> Iterator[JudgedStep]:
    """Every step of a cached record (``calibrate_search.record``), in order, judged on the
    whole line (the record's other edits left as in the input)."""
    text = rec["text"]
    for k, edit in enumerate(rec["edits"]):
        state = edit["before"]
        for n, step in enumerate(edit["steps"]):
            _, start, end, _, after = step[:5]
            new = state[:start] + after + state[end:]
            line_before = text[: edit["start"]] + state + text[edit["end"] :]
            line_after = text[: edit["start"]] + new + text[edit["end"] :]
            yield JudgedStep(rec["i"], k, n, step, line_before, line_after,
                             verdict(line_before, line_after, refs))  # fmt: skip
            state = new


def judged_candidates(rec: dict, refs: list[str]) -> Iterator[JudgedStep]:
    """Every candidate the search weighed in a cached record (``considered``: per sentence
    and round, the text it had then and the candidates over the low margin), judged on the
    whole line with the sentence as it was in that round."""
    text = rec["text"]
    for k, item in enumerate(rec.get("considered", [])):
        at = text.find(item["sentence"])
        if at < 0:
            continue
        head, tail = text[:at], text[at + len(item["sentence"]) :]
        state = item["text"]
        for n, step in enumerate(item["steps"]):
            _, start, end, _, after = step[:5]
            new = state[:start] + after + state[end:]
            before_line, after_line = head + state + tail, head + new + tail
            yield JudgedStep(rec["i"], k, n, step, before_line, after_line,
                             verdict(before_line, after_line, refs))  # fmt: skip

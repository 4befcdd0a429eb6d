"""The calibration's replay: a low-margin run's steps replayed at a margin, and scored.

``eval/calibrate_search.py`` runs the search once at a low margin and caches each line's
steps; this module replays them up to the first step a higher margin would refuse and
scores the result on each set's measures.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from types import SimpleNamespace

from search_sets import kind_of

from mtfix.article import Edit, Removal
from mtfix.output.compose import compose
from mtfix.output.diff import plain_diff, word_diff
from mtfix.score.evaluate import line_outputs

SURE = ("rules:", "languagetool", "harper")  # sources searched with margin 0

# A margin for every source, or per source (``lm:article`` ...) with ``*`` for the others,
# or a test of the whole step (a learned acceptance: ``train_accept.py``).
Margin = float | dict[str, float] | Callable[[list], bool]


# --- the replay at a margin ----------------------------------------------------------------


def needed(source: str, margin: Margin) -> float:
    """The gain a step of ``source`` needs at ``margin`` (a sure kind needs 0)."""
    if source.startswith(SURE):
        return 0.0
    return margin.get(source, margin["*"]) if isinstance(margin, dict) else margin


def kept(step: list, margin: Margin) -> bool:
    """Whether the search at ``margin`` takes this step."""
    if callable(margin):
        return margin(step)
    source, gain = step[0], step[5]
    return gain is None or gain >= needed(source, margin)


def replay_edit(edit: dict, margin: Margin, kinds: Counter) -> str:
    """The sentence after the edit's steps up to the first one ``margin`` stops."""
    if not edit["steps"]:
        return edit["after"]
    text = edit["before"]
    for step in edit["steps"]:
        if not kept(step, margin):
            break
        source, start, end, before, after = step[:5]
        if text[start:end] != before:
            raise ValueError(f"step {step} does not match {text!r}")
        text = text[:start] + after + text[end:]
        kinds[kind_of(source)] += 1
    return text


def replay_line(rec: dict, margin: Margin, kinds: Counter) -> str:
    """The line's output at ``margin``: its removals and replayed edits, composed."""
    edits = [
        Edit(e["start"], e["end"], e["before"], replay_edit(e, margin, kinds), True, "", "")
        for e in rec["edits"]
    ]
    return compose(rec["text"], [Removal(**r) for r in rec["removed"]], edits)


def replayed(data: dict, records: dict[int, dict], tok: bool, margin: Margin) -> tuple:
    """The set's output lines at ``margin`` (in the data's tokenization) and the steps kept
    per kind."""
    kinds: Counter = Counter()
    reports = [SimpleNamespace(output=replay_line(records[i], margin, kinds))
               for i in range(len(data["mt"]))]  # fmt: skip
    return line_outputs(data["mt"], reports, tok), kinds


# --- the metrics ---------------------------------------------------------------------------


def share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else float("nan")


def metrics(name: str, data: dict, outputs: list[str]) -> dict[str, float]:
    """The set's figures for one output: the share changed and the set's own metrics."""
    mt, refs = data["mt"], data["refs"]
    changed = [o != m for o, m in zip(outputs, mt, strict=True)]
    out = {"changed": share(changed)}
    if name == "jfleg":
        from mtfix.score.gleu import GLEU

        out["gleu"] = round(GLEU().corpus_score(outputs, mt, refs), 2)
    elif refs:
        from sacrebleu.metrics import TER

        out["ter"] = round(TER().corpus_score(outputs, refs).score, 2)
    if name.removesuffix("-train").endswith("-en") and name != "jfleg":
        clean = [c for c, m, pe in zip(changed, mt, refs[0], strict=True) if m == pe]
        out["untouched_when_pe_eq_mt"] = round(1 - share(clean), 4) if clean else float("nan")
    if data["da"]:
        out |= quartile_changes(data["da"], changed)
    return out


def quartile_changes(da: list[float], changed: list[bool]) -> dict[str, float]:
    """The share of lines changed in each DA quartile (Q1: the lowest scores)."""
    order = sorted(range(len(da)), key=lambda i: da[i])
    quarter = [0] * len(da)
    for rank, i in enumerate(order):
        quarter[i] = min(4 * rank // len(da), 3)
    return {f"changed_q{q + 1}": share([c for c, k in zip(changed, quarter, strict=True) if k == q])
            for q in range(4)}  # fmt: skip


def calibrate_set(name: str, data: dict, records: dict[int, dict], tok: bool,
                  grid: list[float]) -> dict:  # fmt: skip
    """Per margin (and ``unchanged``: the input itself) the metrics and the kinds kept."""
    out = {"lines": len(data["mt"]), "margins": {}, "kinds": {}}
    out["margins"]["unchanged"] = metrics(name, data, data["mt"])
    for margin in grid:
        outputs, kinds = replayed(data, records, tok, margin)
        out["margins"][f"{margin:g}"] = metrics(name, data, outputs)
        out["kinds"][f"{margin:g}"] = dict(kinds)
    outputs, _ = replayed(data, records, tok, -math.inf)
    cached = line_outputs(data["mt"], [SimpleNamespace(output=records[i]["output"])
                                       for i in range(len(data["mt"]))], tok)  # fmt: skip
    out["replay_mismatches"] = sum(a != b for a, b in zip(outputs, cached, strict=True))
    if name == "wmt21-ref":
        out["changed_lines"] = changed_lines(data, records, tok, grid)
    return out


def changed_lines(data: dict, records: dict[int, dict], tok: bool, grid: list[float]) -> list:
    """Each line the lowest margin changes: its number, the highest margin that still
    changes it, its sources and the diff at the lowest margin."""
    at = {m: replayed(data, records, tok, m)[0] for m in grid}
    rows = []
    for i, line in enumerate(data["mt"]):
        margins = [m for m in grid if at[m][i] != line]
        if margins:
            sources = sorted({s[0] for e in records[i]["edits"] for s in e["steps"]})
            diff = plain_diff(word_diff(line, at[grid[0]][i]))
            rows.append({"line": i + 1, "up_to_margin": max(margins), "sources": sources,
                         "diff": diff})  # fmt: skip
    return rows

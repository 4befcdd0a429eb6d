"""One choice per sentence among the guard-accepted candidates.

The local fixes that the guard accepted are combined (those that do not overlap); the
combination competes with the model's rewrites that the model itself is sure of (at
least ``MIN_PREFERENCE`` nats more likely than copying its input, where the backend
scores it: greedy decoding can end on a rewrite the model rates below the copy, and
edits it is unsure of are more often wrong than right), and where a fluency scorer is loaded
the one with the highest SLOR wins, a model rewrite only by ``MARGIN`` over the local
fixes (they are sure; the model may guess), and only when it also reads ``MARGIN``
better than the original sentence (a rewrite that is not clearly more fluent is not
worth the risk of changing a good sentence). Without a scorer the model's rewrite wins:
it was given the sentence with the local fixes applied. Every edit of the sentence stays
in the report: ``accepted`` marks the one used, ``choice`` says why each won or lost.
"""

from __future__ import annotations

from dataclasses import replace

from mtfix.article import Edit

MARGIN = 0.1  # SLOR (nats per word) a model rewrite must gain over the original and the fixes
MIN_PREFERENCE = 3.0  # nats by which the model must prefer its rewrite to a copy


def sure(edit: Edit) -> bool:
    """A model rewrite its model prefers by ``MIN_PREFERENCE`` to a copy (where scored)."""
    return edit.kind != "model" or edit.preference is None or edit.preference >= MIN_PREFERENCE


def contenders(edits: list[Edit]) -> list[Edit]:
    """The guard-accepted edits that compete: the best local one, then the model's sure ones."""
    local = [e for e in edits if e.accepted and e.kind in {"fix", "combined"}]
    best_local = max(local, key=lambda e: (e.kind == "combined", len(e.fixes)), default=None)
    models = [e for e in edits if e.accepted and e.kind == "model" and sure(e)]
    return ([best_local] if best_local else []) + models


def fluent_enough(edit: Edit, slor: dict[str, float] | None) -> bool:
    """A model rewrite must read ``MARGIN`` better than the original (where scored)."""
    return edit.kind != "model" or slor is None or slor[edit.after] >= slor[edit.before] + MARGIN


def choose(edits: list[Edit], slor: dict[str, float] | None) -> list[Edit]:
    """The sentence's edits with at most one accepted, each with its ``choice``.

    ``slor`` maps candidate texts (and the original) to their SLOR (None: no scorer).
    """
    rivals = [e for e in contenders(edits) if fluent_enough(e, slor)]
    if not rivals:
        return [_verdict(e, None, slor) for e in edits]
    winner = rivals[0]
    for rival in rivals[1:]:
        if rival.after != winner.after and _beats(rival, winner, slor):
            winner = rival
    return [_verdict(e, winner, slor) for e in edits]


def _beats(rival: Edit, winner: Edit, slor: dict[str, float] | None) -> bool:
    """Whether the model's ``rival`` replaces ``winner`` (the local fixes or another rewrite)."""
    if winner.kind == "model":
        return slor is not None and slor[rival.after] > slor[winner.after]
    return slor is None or slor[rival.after] > slor[winner.after] + MARGIN


def _verdict(edit: Edit, winner: Edit | None, slor: dict[str, float] | None) -> Edit:
    if edit is winner:
        return replace(edit, accepted=True, choice="chosen")
    if not edit.accepted:
        return replace(edit, choice="rejected by the guard")
    if not sure(edit):
        gain = f"{edit.preference:+.2f} nats over a copy, needs {MIN_PREFERENCE:g}"
        return replace(edit, accepted=False, choice=f"the model is not sure ({gain})")
    if not fluent_enough(edit, slor):
        gain = slor[edit.after] - slor[edit.before]
        return replace(edit, accepted=False, choice=f"not fluent enough (SLOR {gain:+.2f})")
    if winner is None:
        return replace(edit, accepted=False, choice="")
    if edit.after == winner.after:
        why = f"same text as {winner.source}"
    elif edit.kind == "fix" and set(edit.fixes) <= set(winner.fixes):
        why = f"combined into {winner.source}"
    elif slor is not None and edit.after in slor:
        why = f"lost to {winner.source} (SLOR {slor[edit.after]:.2f} vs {slor[winner.after]:.2f})"
    else:
        why = f"lost to {winner.source}"
    return replace(edit, accepted=False, choice=why)


def texts_to_score(groups: list[list[Edit]]) -> list[str]:
    """Texts whose SLOR decides a choice: the contenders and the original of every sentence
    with a model rewrite among its contenders."""
    out: list[str] = []
    for edits in groups:
        rivals = contenders(edits)
        if any(e.kind == "model" for e in rivals):
            out += [rivals[0].before, *(e.after for e in rivals)]
    return list(dict.fromkeys(out))

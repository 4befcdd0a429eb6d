"""Build the repaired text by applying removals and accepted rewrites to the input."""

from __future__ import annotations

from dataclasses import replace

from mtfix.article import Edit, Removal, Report


def removal_span(text: str, removal: Removal) -> tuple[int, int]:
    """The removed span widened over the whitespace that joined it to its neighbours."""
    end = removal.end
    while end < len(text) and text[end].isspace():
        end += 1
    if end < len(text):
        return removal.start, end
    start = removal.start
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start, len(text)


def compose(text: str, removed: list[Removal], edits: list[Edit]) -> str:
    """``text`` with every removal cut out and every accepted edit applied.

    A removal wins over an edit that overlaps it: what the report lists as removed is
    never in the output, rewritten or not. Overlapping removals remove their union.
    """
    cuts = [removal_span(text, r) for r in removed]
    changes = [(start, end, "", True) for start, end in cuts]
    changes += [
        (e.start, e.end, e.after, False)
        for e in edits
        if e.accepted and not any(s < e.end and e.start < t for s, t in cuts)
    ]
    out: list[str] = []
    cursor = 0
    for start, end, new, is_cut in sorted(changes):
        if start < cursor:  # overlaps a change already made
            if is_cut:
                cursor = max(cursor, end)
            continue
        out.append(text[cursor:start])
        out.append(new)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def with_suggestions(report: Report) -> str:
    """The output with every suggestion taken too: a suggestion's text holds the sentence's
    applied steps and its own, so it replaces the applied edit of its sentence."""
    taken = {(s.start, s.end) for s in report.suggestions}
    edits = [replace(s, accepted=True) for s in report.suggestions]
    edits += [e for e in report.accepted if (e.start, e.end) not in taken]
    return compose(report.article.text, report.removed, edits)

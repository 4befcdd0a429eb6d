"""The LanguageTool repair step: allowed replacements as candidates for the guard.

For every sentence sent to repair, the first replacement of each allowed LanguageTool
match in it (``mtfix.check.safe_rules``) makes one candidate with source "languagetool",
judged by the same guard as the model's rewrites. The model is given the
LanguageTool-fixed sentence, so its rewrite builds on those fixes; both candidates are
judged against the original sentence. When both are accepted the model's is used and
the LanguageTool edit is reported as not accepted, reason "superseded"; a model output
that only repeats the LanguageTool fix is reported as "unchanged".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mtfix.article import Candidate, Edit, Sentence
from mtfix.check.safe_rules import SafeRules, apply_safe
from mtfix.detect import Analysis

SOURCE = "languagetool"


def lt_candidate(analysis: Analysis, sentence: Sentence, rules: SafeRules) -> Candidate | None:
    """The sentence with its allowed LanguageTool replacements, or None if none applies."""
    matches = analysis.matches.get(sentence.start, [])
    fixed = apply_safe(sentence.text, sentence.start, matches, rules)
    return Candidate(sentence, fixed, SOURCE) if fixed != sentence.text else None


def repair_candidates(
    analyses: list[Analysis],
    chosen: list[list[Sentence]],
    rules: SafeRules,
    rewrite: Callable[[list[Sentence], list[str]], list[Candidate]],
) -> list[list[Candidate]]:
    """Per article: each chosen sentence's LanguageTool fix (if any), then its model rewrite.

    ``rewrite`` is called once for all articles, on the LanguageTool-fixed texts; it
    returns no candidates when there is no model.
    """
    fixes = [
        [lt_candidate(a, s, rules) for s in group]
        for a, group in zip(analyses, chosen, strict=True)
    ]
    pairs = [
        (s, f)
        for group, fs in zip(chosen, fixes, strict=True)
        for s, f in zip(group, fs, strict=True)
    ]
    rewrites = rewrite([s for s, _ in pairs], [f.text if f else s.text for s, f in pairs])
    out, k = [], 0
    for fs in fixes:
        group = []
        for f in fs:
            group += ([f] if f else []) + rewrites[k : k + 1]
            k += 1
        out.append(group)
    return out


def prefer_model(edits: list[Edit]) -> list[Edit]:
    """At most one accepted edit per sentence: the model's over LanguageTool's."""
    fixes = {e.start: e for e in edits if e.source == SOURCE}
    out = []
    for e in edits:
        lt = fixes.get(e.start)
        if e.source != SOURCE and lt is not None:
            if e.after == lt.after:
                e = replace(e, accepted=False, reason="unchanged")
            elif e.accepted and lt.accepted:
                fixes[e.start] = replace(lt, accepted=False, reason="superseded")
        out.append(e)
    return [fixes[e.start] if e.source == SOURCE else e for e in out]

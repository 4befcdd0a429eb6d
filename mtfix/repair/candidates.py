"""The candidates of each sentence sent to repair: local fixes, alone and combined, and
the model's rewrite of the sentence with every local fix applied."""

from __future__ import annotations

from collections.abc import Callable

from mtfix.article import Candidate, Edit, Finding, Fix, Sentence
from mtfix.check.safe_rules import SafeRules
from mtfix.detect import Analysis
from mtfix.repair.fixes import (
    apply_fixes,
    checker_fixes,
    combined_source,
    non_overlapping,
    rule_fixes,
)

Rewrite = Callable[[list[Sentence], list[str]], list[list[Candidate]]]


def sentence_fixes(
    analysis: Analysis, sentence: Sentence, findings: list[Finding], rules: SafeRules
) -> list[Fix]:
    """Every local fix offered inside ``sentence``: parser rules', then the checker's."""
    matches = analysis.matches.get(sentence.start, [])
    return rule_fixes(sentence, findings) + checker_fixes(sentence, matches, rules)


def combination(sentence: Sentence, fixes: list[Fix]) -> Candidate | None:
    """The candidate that applies all of ``fixes`` that do not overlap (two or more)."""
    usable = non_overlapping(fixes)
    if len(usable) < 2:
        return None
    text = apply_fixes(sentence, usable)
    return Candidate(sentence, text, combined_source(usable), "combined", tuple(usable))


def local_candidates(sentence: Sentence, fixes: list[Fix]) -> list[Candidate]:
    """One candidate per fix, and their combination."""
    singles = [
        Candidate(sentence, apply_fixes(sentence, [f]), f.source, "fix", (f,)) for f in fixes
    ]
    both = combination(sentence, fixes)
    return [c for c in singles if c.text != sentence.text] + ([both] if both else [])


def repair_candidates(
    analyses: list[Analysis],
    findings: list[list[Finding]],
    chosen: list[list[Sentence]],
    rules: SafeRules | None,
    rewrite: Rewrite,
) -> list[list[Candidate]]:
    """Per article: each chosen sentence's local candidates, then its model rewrites.

    ``rewrite`` is called once for all articles, on the texts with the local fixes
    applied; it returns each sentence's candidates, or nothing when there is no model.
    ``rules`` None: no local fixes at all (the model alone).
    """
    fixes = [
        [sentence_fixes(a, s, f, rules) if rules else [] for s in group]
        for a, f, group in zip(analyses, findings, chosen, strict=True)
    ]
    flat = [
        (s, fx) for group, fxs in zip(chosen, fixes, strict=True)
        for s, fx in zip(group, fxs, strict=True)
    ]  # fmt: skip
    rewrites = rewrite([s for s, _ in flat], [apply_fixes(s, fx) for s, fx in flat])
    model = iter(rewrites if rewrites else [[]] * len(flat))
    out = []
    for group, fxs in zip(chosen, fixes, strict=True):
        cands: list[Candidate] = []
        for sentence, fx in zip(group, fxs, strict=True):
            cands += local_candidates(sentence, fx) + next(model)
        out.append(cands)
    return out


def recombination(edits: list[Edit], sentence: Sentence) -> Candidate | None:
    """The combination of the guard-accepted fixes, when the full one was not accepted."""
    accepted = [f for e in edits if e.kind == "fix" and e.accepted for f in e.fixes]
    if any(e.kind == "combined" and e.accepted for e in edits):
        return None
    both = combination(sentence, accepted)
    tried = {e.fixes for e in edits if e.kind == "combined"}
    return both if both and both.fixes not in tried else None

"""Local fixes: a span of a sentence and its replacement, from a rule or a checker."""

from __future__ import annotations

from mtfix.article import Finding, Fix, Match, Sentence
from mtfix.check.safe_rules import SafeRules, safe_replacement


def rule_fixes(sentence: Sentence, findings: list[Finding]) -> list[Fix]:
    """The fixes findings offer inside ``sentence``, named by their detector and rule: the
    parser rules' (``rules:<rule>``) and the article pass's (``article:<rule>``)."""
    return [
        Fix(f.start, f.end, f.fix, f"{f.detector}:{f.rule}")
        for f in findings
        if f.fix is not None and sentence.start <= f.start and f.end <= sentence.end
    ]


def checker_fixes(sentence: Sentence, matches: list[Match], rules: SafeRules) -> list[Fix]:
    """The first replacement of each allowed checker match inside ``sentence``."""
    out = []
    for m in matches:
        end = m.offset + m.length
        if sentence.start <= m.offset and end <= sentence.end:
            new = safe_replacement(m, sentence.text[m.offset - sentence.start :][: m.length], rules)
            if new is not None:
                out.append(Fix(m.offset, end, new, m.source, m.rule_id))
    return out


def non_overlapping(fixes: list[Fix]) -> list[Fix]:
    """The fixes in text order, each one that overlaps an earlier one left out."""
    out: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        if not out or fix.start >= out[-1].end:
            out.append(fix)
    return out


def apply_fixes(sentence: Sentence, fixes: list[Fix]) -> str:
    """The sentence with the non-overlapping ``fixes`` applied."""
    out, cursor = [], 0
    for fix in non_overlapping(fixes):
        start, end = fix.start - sentence.start, fix.end - sentence.start
        out += [sentence.text[cursor:start], fix.text]
        cursor = end
    return "".join([*out, sentence.text[cursor:]])


def combined_source(fixes: list[Fix]) -> str:
    """The name of a combination: its sources, in text order, each once."""
    return "+".join(dict.fromkeys(f.source for f in non_overlapping(fixes)))

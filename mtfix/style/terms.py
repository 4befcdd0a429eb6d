"""Terms translated two ways in one article ("the Vienna communiqué" / "the Vienna
statement"): repeated noun phrases of two or more words that differ in one word. Reported
for an editor to decide, not changed: no measurement yet says unifying them helps."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from mtfix.article import TermVariants

MIN_WORDS = 2


def phrases(docs: list[Doc]) -> Counter[str]:
    """Noun phrases of at least ``MIN_WORDS`` words (no determiner, no number: a date is
    not a term), with their counts."""
    found: Counter[str] = Counter()
    for doc in docs:
        for chunk in doc.noun_chunks:
            words = [t.text for t in chunk if t.pos_ not in {"DET", "PRON", "PUNCT"}]
            if len(words) >= MIN_WORDS and not any(c.isdigit() for w in words for c in w):
                found[" ".join(words)] += 1
    return found


def term_variants(docs: list[Doc]) -> list[TermVariants]:
    """Pairs of phrases of one length that differ in exactly one word (not only in its
    case), where the pair occurs at least three times in all."""
    counts = phrases(docs)
    forms = sorted(counts)
    out = []
    for i, a in enumerate(forms):
        for b in forms[i + 1 :]:
            wa, wb = a.split(), b.split()
            if len(wa) != len(wb) or counts[a] + counts[b] < 3:
                continue
            diff = [k for k, (x, y) in enumerate(zip(wa, wb, strict=True)) if x != y]
            if len(diff) == 1 and wa[diff[0]].lower() != wb[diff[0]].lower():
                out.append(TermVariants({a: counts[a], b: counts[b]}))
    return out

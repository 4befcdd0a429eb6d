"""Terms translated two ways in one article ("the Vienna communiqué" / "the Vienna
statement"): repeated noun phrases of two or more words that differ in one word, not only
in its inflection ("black hole" / "black holes" is one term). Reported for an editor to
decide, never changed: on WMT21 ru-en, reference A itself writes both forms of most such
pairs the MT writes ("acting governor" / "former governor", "old version" / "new
version"), so unifying them would change the meaning (``eval/style_wmt21.py``)."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from mtfix.article import TermVariants

MIN_WORDS = 2
SKIPPED = frozenset({"DET", "PRON", "PUNCT"})


def phrases(docs: list[Doc]) -> tuple[Counter[str], dict[str, tuple[str, ...]]]:
    """Noun phrases of at least ``MIN_WORDS`` words (no determiner, no number: a date is
    not a term), with their counts, and each phrase's lemmas."""
    found: Counter[str] = Counter()
    lemmas: dict[str, tuple[str, ...]] = {}
    for doc in docs:
        for chunk in doc.noun_chunks:
            tokens = [t for t in chunk if t.pos_ not in SKIPPED]
            text = " ".join(t.text for t in tokens)
            if len(tokens) >= MIN_WORDS and not any(c.isdigit() for c in text):
                found[text] += 1
                lemmas.setdefault(text, tuple(t.lemma_.lower() for t in tokens))
    return found, lemmas


def term_variants(docs: list[Doc]) -> list[TermVariants]:
    """Pairs of phrases of one length that differ in exactly one word (not only in its
    case or inflection), where the pair occurs at least three times in all."""
    counts, lemmas = phrases(docs)
    forms = sorted(counts)
    out = []
    for i, a in enumerate(forms):
        for b in forms[i + 1 :]:
            wa, wb = a.split(), b.split()
            if len(wa) != len(wb) or counts[a] + counts[b] < 3:
                continue
            diff = [k for k, (x, y) in enumerate(zip(wa, wb, strict=True)) if x != y]
            if len(diff) == 1 and _other_word(diff[0], lemmas[a], lemmas[b]):
                out.append(TermVariants({a: counts[a], b: counts[b]}))
    return out


def _other_word(k: int, a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether the ``k``-th words are two words, not two forms of one (by lemma, which
    also ignores case)."""
    return len(a) == len(b) and a[k] != b[k]

"""Terms translated two ways in one article ("the Vienna communiqué" / "the Vienna
statement"): repeated noun phrases of two or more words that differ in one word, not only
in a noun's number ("black hole" / "black holes" is one term). Reported for an editor to
decide, never changed: on WMT21 ru-en, reference A itself writes both forms of most such
pairs the MT writes ("acting governor" / "former governor", "old version" / "new
version"), so unifying them would change the meaning (``eval/style_wmt21.py``)."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Token

from mtfix.article import TermVariants

MIN_WORDS = 2
SKIPPED = frozenset({"DET", "PRON", "PUNCT", "SPACE"})
NOUNS = frozenset({"NOUN", "PROPN"})


def phrases(docs: list[Doc]) -> tuple[Counter[str], dict[str, tuple[str, ...]]]:
    """Noun phrases of at least ``MIN_WORDS`` words (no determiner, no number: a date is
    not a term), with their counts, and each phrase's words as compared: a noun by its
    lemma (singular and plural are one term), any other word in lower case ("best" and
    "good" stay two words)."""
    found: Counter[str] = Counter()
    keys: dict[str, tuple[str, ...]] = {}
    for doc in docs:
        for chunk in doc.noun_chunks:
            tokens = [t for t in chunk if t.pos_ not in SKIPPED]
            text = " ".join(t.text for t in tokens)
            if len(tokens) >= MIN_WORDS and not any(c.isdigit() for c in text):
                found[text] += 1
                keys.setdefault(text, tuple(_key(t) for t in tokens))
    return found, keys


def _key(tok: Token) -> str:
    return tok.lemma_.lower() if tok.pos_ in NOUNS else tok.lower_


def term_variants(docs: list[Doc]) -> list[TermVariants]:
    """Pairs of phrases of one length that differ in exactly one word (not only in its
    case or a noun's number), where the pair occurs at least three times in all."""
    counts, keys = phrases(docs)
    forms = sorted(counts)
    out = []
    for i, a in enumerate(forms):
        for b in forms[i + 1 :]:
            ka, kb = keys[a], keys[b]
            if len(ka) != len(kb) or counts[a] + counts[b] < 3:
                continue
            if sum(x != y for x, y in zip(ka, kb, strict=True)) == 1:
                out.append(TermVariants({a: counts[a], b: counts[b]}))
    return out

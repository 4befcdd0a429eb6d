"""The guard: keeps a rewrite only if it keeps the meaning and is not worse.

Each rule is a function of a ``Pair`` and the ``GuardConfig``, True when it passes; a
verdict's reason names the first failed rule in ``RULES`` order (``checks`` holds them all).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from mtfix.article import Verdict
from mtfix.check import Checker, real_issues
from mtfix.check.offline import HarperChecker
from mtfix.detect.lexicon import NAME_PARTICLES
from mtfix.embed import Embedder
from mtfix.guard.roles import roles_kept, tense_kept
from mtfix.guard.structure import names_whole, root_kept
from mtfix.nlp import load_spacy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class GuardConfig:
    """Thresholds of the guard's rules."""

    min_length_ratio: float = 0.7
    max_length_ratio: float = 1.6
    min_content_recall: float = 0.75
    min_similarity: float = 0.85


@dataclass(frozen=True)
class Pair:
    """A sentence and its candidate rewrite, with everything the rules look at."""

    before: str
    after: str
    before_doc: Doc
    after_doc: Doc
    issues_before: int
    issues_after: int
    similarity: float


NAME_LABELS = frozenset("PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW".split())
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
_NUMBER = re.compile(r"\d+(?:[.,:/\-–]\d+)*")
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|none|nobody|nothing|without|cannot)\b|n['’]t\b", re.I
)
_MONTH = re.compile(
    r"\b(?:(?:January|February|March|April|June|July|August|September|October|November|"
    r"December|May)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
)
_DAY = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun|to|yester)day\b|\btomorrow\b|\btonight\b", re.I
)
_QUOTE = re.compile(r'"([^"]+)"|“([^”]+)”|«([^»]+)»|„([^“”]+)[“”]')
_TRIM_NAME = re.compile(r"^the\s+|['’]s?$", re.I)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _contains(haystack: str, needle: str) -> bool:
    """Case-insensitive whole-word containment."""
    pattern = r"(?<!\w)" + re.escape(_norm(needle)) + r"(?!\w)"
    return re.search(pattern, _norm(haystack), re.I) is not None


def _name_kept(haystack: str, name: str) -> bool:
    """The name whole, or its words in order with only "of", "the" or "a" between two of
    them: "Contacts de Mistura" (a calque spaCy reads as one name) is kept by "The
    contacts of de Mistura"; "Sergey Lavrov" is not kept by "Lavrov Sergey"."""
    words = _norm(name).split()
    if _contains(haystack, name):
        return True
    if len(words) < 2:
        return False
    gap = r"\W+(?:(?:of|the|an?)\W+){0,2}"
    pattern = r"(?<!\w)" + gap.join(re.escape(w) for w in words) + r"(?!\w)"
    return re.search(pattern, _norm(haystack), re.I) is not None


def _numbers(text: str) -> Counter[str]:
    return Counter(n.replace(",", "").replace("–", "-") for n in _NUMBER.findall(text))


def names_in(doc: Doc) -> set[str]:
    """Name entities (leading "the" and possessive dropped) and proper-noun tokens, each
    with the particle before it where it has one ("Mistura" is "de Mistura")."""
    ents = {_TRIM_NAME.sub("", e.text).strip() for e in doc.ents if e.label_ in NAME_LABELS}
    return {n for n in ents | {_with_particle(t) for t in doc if t.pos_ == "PROPN"} if n}


def _with_particle(token: Token) -> str:
    before = token.nbor(-1) if token.i > 0 else None
    if before is not None and before.text in NAME_PARTICLES and before.whitespace_:
        return f"{before.text} {token.text}"
    return token.text


def _date_words(text: str) -> set[str]:
    """Month (as its first three letters) and day words, lower-cased."""
    return {m[:3].lower() for m in _MONTH.findall(text)} | {d.lower() for d in _DAY.findall(text)}


def _word_count(doc: Doc) -> int:
    return sum(not (t.is_punct or t.is_space) for t in doc)


def length_ratio(pair: Pair) -> float:
    """Words (not punctuation) in the rewrite per word in the original."""
    return _word_count(pair.after_doc) / max(1, _word_count(pair.before_doc))


def content_recall(pair: Pair) -> float:
    """Share of the original's content lemmas that the rewrite still has."""
    wanted = {t.lemma_.lower() for t in pair.before_doc if t.pos_ in CONTENT_POS and not t.is_stop}
    have = {t.lemma_.lower() for t in pair.after_doc} | {t.lower_ for t in pair.after_doc}
    return len(wanted & have) / len(wanted) if wanted else 1.0


def _words(doc: Doc) -> list[str]:
    return [t.lower_ for t in doc if not (t.is_punct or t.is_space)]


def deleted_content(pair: Pair) -> set[str]:
    """Content words of the original the rewrite deleted outright: neither replaced by
    other words in their place nor moved elsewhere (an edit that drops a phrase of the
    MT drops its meaning; replacing a mistranslated word is another matter)."""
    before = [t for t in pair.before_doc if not (t.is_punct or t.is_space)]
    kept = {t.lemma_.lower() for t in pair.after_doc} | set(_words(pair.after_doc))
    ops = SequenceMatcher(None, [t.lower_ for t in before], _words(pair.after_doc), False)
    return {
        t.lower_
        for tag, i1, i2, _, _ in ops.get_opcodes() if tag == "delete"
        for t in before[i1:i2]
        if t.pos_ in CONTENT_POS and not t.is_stop and t.lemma_.lower() not in kept
        and t.lower_ not in kept
    }  # fmt: skip


def _trigrams(doc: Doc) -> Counter[tuple[str, ...]]:
    words = _words(doc)
    return Counter(zip(words, words[1:], words[2:], strict=False))


def unchanged(p: Pair, c: GuardConfig) -> bool:
    return _norm(p.before) != _norm(p.after)


def empty(p: Pair, c: GuardConfig) -> bool:
    return any(ch.isalnum() for ch in p.after)


def numbers(p: Pair, c: GuardConfig) -> bool:
    return _numbers(p.before) == _numbers(p.after)


def names(p: Pair, c: GuardConfig) -> bool:
    return all(
        _name_kept(p.after, n) or _variant_kept(p.after, n) for n in names_in(p.before_doc)
    )


def _variant_kept(haystack: str, name: str) -> bool:
    """Every word of the name is in ``haystack`` as one of its transliteration variants
    (the article pass writes "Zaharova" as the article's "Zakharova")."""
    from mtfix.style.names import same_name

    words = re.findall(r"[^\W\d_]+", haystack)
    wanted = re.findall(r"[^\W\d_]+", name)  # its particle too: "de" belongs to "Mistura"
    return bool(wanted) and all(any(same_name(w, h) for h in words) for w in wanted)


def dates(p: Pair, c: GuardConfig) -> bool:
    return _date_words(p.before) <= _date_words(p.after)


def quotes(p: Pair, c: GuardConfig) -> bool:
    kept = _norm(p.after)
    return all(_norm(next(g for g in m.groups() if g)) in kept for m in _QUOTE.finditer(p.before))


def negation(p: Pair, c: GuardConfig) -> bool:
    return len(_NEGATION.findall(p.before)) == len(_NEGATION.findall(p.after))


def clauses(p: Pair, c: GuardConfig) -> bool:
    ratio_ok = c.min_length_ratio <= length_ratio(p) <= c.max_length_ratio
    return ratio_ok and content_recall(p) >= c.min_content_recall


def content(p: Pair, c: GuardConfig) -> bool:
    return not deleted_content(p)


def roles(p: Pair, c: GuardConfig) -> bool:
    """Who did what: each verb's subject, object, complement and agent keep their words
    (``mtfix.guard.roles``)."""
    return roles_kept(p.before_doc, p.after_doc)


def name_units(p: Pair, c: GuardConfig) -> bool:
    """Nothing put inside a name (``mtfix.guard.structure``)."""
    return names_whole(p.before_doc, p.after_doc)


def root(p: Pair, c: GuardConfig) -> bool:
    """The main verb stays a verb (``mtfix.guard.structure``)."""
    return root_kept(p.before_doc, p.after_doc)


def tense(p: Pair, c: GuardConfig) -> bool:
    """A plain past is not made a perfect without an adverb asking for it."""
    return tense_kept(p.before_doc, p.after_doc)


def repetition(p: Pair, c: GuardConfig) -> bool:
    """No phrase repeated more often than in the original (a language model's loop:
    "for an hour and a half and a half")."""
    before = _trigrams(p.before_doc)
    return all(n <= max(1, before[g]) for g, n in _trigrams(p.after_doc).items())


def grammar(p: Pair, c: GuardConfig) -> bool:
    return p.issues_after <= p.issues_before


def similarity(p: Pair, c: GuardConfig) -> bool:
    return p.similarity >= c.min_similarity


Rule = Callable[[Pair, GuardConfig], bool]
KEPT_FACTS: tuple[Rule, ...] = (
    numbers, names, name_units, dates, quotes, negation, roles, root, tense
)  # fmt: skip
RULES: tuple[Rule, ...] = (
    unchanged, empty, *KEPT_FACTS, clauses, content, repetition, grammar, similarity
)  # fmt: skip


class Guard:
    """Judges candidate rewrites; spaCy, checker and embedder are injectable."""

    def __init__(
        self,
        nlp: Language | None = None,
        checker: Checker | None = None,
        embedder: Embedder | None = None,
        config: GuardConfig | None = None,
    ) -> None:
        self.nlp = nlp if nlp is not None else load_spacy()
        self.checker = checker if checker is not None else HarperChecker()
        self.embedder = embedder if embedder is not None else Embedder()
        self.config = config or GuardConfig()

    def judge(self, before: str, after: str) -> Verdict:
        """The verdict on replacing ``before`` with ``after``."""
        return self.judge_many([(before, after)])[0]

    def judge_many(self, pairs: Iterable[tuple[str, str]]) -> list[Verdict]:
        """Verdicts for many pairs; parsing, checking and embedding are batched."""
        pairs = list(pairs)
        texts = list(dict.fromkeys(t for pair in pairs for t in pair))
        docs = dict(zip(texts, self.nlp.pipe(texts), strict=True))
        issues = self._issues(texts)
        return [
            self._verdict(Pair(b, a, docs[b], docs[a], issues[b], issues[a], s))
            for (b, a), s in zip(pairs, self._similarities(pairs), strict=True)
        ]

    def _issues(self, texts: list[str]) -> dict[str, int]:
        """Real issues per text, all counted by the same checker (recounted if it fell back)."""
        name = self.checker.name
        issues = {t: len(real_issues(self.checker.check(t), t)) for t in texts}
        if self.checker.name != name:
            issues = {t: len(real_issues(self.checker.check(t), t)) for t in texts}
        return issues

    def _similarities(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Cosine per pair; unchanged (1.0) and empty (0.0) pairs are not embedded."""
        todo = [i for i, (b, a) in enumerate(pairs) if _norm(b) != _norm(a) and _norm(a)]
        sims = self.embedder.similarity([pairs[i][0] for i in todo], [pairs[i][1] for i in todo])
        got = dict(zip(todo, sims, strict=True))
        return [got.get(i, float(_norm(b) == _norm(a))) for i, (b, a) in enumerate(pairs)]

    def _verdict(self, pair: Pair) -> Verdict:
        checks: dict[str, bool | float] = {r.__name__: r(pair, self.config) for r in RULES}
        failed = next((name for name, ok in checks.items() if not ok), None)
        checks["similarity_score"] = round(pair.similarity, 4)
        checks["length_ratio"] = round(length_ratio(pair), 3)
        checks["content_recall"] = round(content_recall(pair), 3)
        checks["issues_before"], checks["issues_after"] = pair.issues_before, pair.issues_after
        return Verdict(accepted=failed is None, reason=failed or "accepted", checks=checks)

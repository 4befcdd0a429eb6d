"""Which of two spellings of one name is the systematic romanization of the Russian.

MT from Russian transliterates a name loosely in one sentence and systematically in the
next. Russian-to-English news translators, and the BGN/PCGN system their spelling follows,
keep what the loose spelling drops: "kh" for х (Khabib, not Habib), "y" for the glide of
я, ю, е, ё after a consonant and of a final й (Dzyuba, not Dziuba; Kostanay, not
Kostanai), "v" for в (Tinkov, not Tinkow) and a doubled consonant (Donbass, not Donbas).
Only these differences count: a spelling differing in any other way ("Sofia" / "Sophia",
"Zelensky" / "Zelenskyy", "Vaintrub" / "Vayntrub") gets no preference, and the article's
own usage decides. Nor does a spelling English has made its own: "Hamas", "Warsaw",
"Joseph" and "Julia" are not respelt "Khamas", "Varsaw", "Yoseph" and "Yulia".
"""

from __future__ import annotations

from difflib import SequenceMatcher

from mtfix.check.spelling import english_zipf

VOWELS = frozenset("aeiouy")
GLIDE_BEFORE = frozenset("aeou")  # ya, yu, ye, yo
CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
ENGLISH_ZIPF = 3.5  # a spelling this common in English is English's own (Hamas: 3.6)


def preference(a: str, b: str) -> int:
    """+1 where ``a`` is the more systematic spelling of the name, -1 where ``b`` is, 0
    where neither is, they differ in more than one place, or the other is English's own
    spelling. Without word frequencies (the fluency extra), 0: nothing tells English's
    own spellings."""
    side = _systematic_side(a.lower(), b.lower())
    if side == 0:
        return 0
    winner, loser = (a, b) if side > 0 else (b, a)
    return 0 if _english_own(loser.lower(), winner.lower()) else side


def _english_own(loose: str, systematic: str) -> bool:
    """Whether English writes the name ``loose`` (common and commoner than the other)."""
    zipf = english_zipf()
    if zipf is None:
        return True
    return zipf(loose) >= ENGLISH_ZIPF and zipf(loose) > zipf(systematic)


def _systematic_side(x: str, y: str) -> int:
    """+1, -1 or 0: which of the lower-case spellings keeps what the other drops."""
    edits = [op for op in SequenceMatcher(None, x, y, autojunk=False).get_opcodes()
             if op[0] != "equal"]  # fmt: skip
    if len(edits) != 1:
        return 0
    tag, i1, i2, j1, j2 = edits[0]
    if tag == "replace":
        return _replaced(x, i1, i2, y, j1, j2)
    if tag == "delete":  # x has letters y lacks
        return _kept(x, i1, i2)
    return -_kept(y, j1, j2)


def _replaced(x: str, i1: int, i2: int, y: str, j1: int, j2: int) -> int:
    """One letter written two ways: the systematic one wins."""
    pair = (x[i1:i2], y[j1:j2])
    if pair in {("v", "w"), ("w", "v")}:
        return 1 if pair[0] == "v" else -1
    if pair in {("y", "i"), ("i", "y"), ("y", "j"), ("j", "y")} and _glide(x, i1):
        return 1 if pair[0] == "y" else -1
    return 0


def _glide(word: str, at: int) -> bool:
    """Whether the letter at ``at`` is a glide: before a, e, o or u after a consonant (or
    at the start), or ending the word after a vowel."""
    before = word[at - 1] if at else ""
    after = word[at + 1] if at + 1 < len(word) else ""
    if after:
        return after in GLIDE_BEFORE and before not in VOWELS
    return before in VOWELS


def _kept(word: str, i1: int, i2: int) -> int:
    """+1 where ``word[i1:i2]``, the letters one spelling has and the other lacks, is what
    a systematic spelling keeps: the k of "kh", or one consonant of a doubled pair (not a
    tripled letter, not at the word's start: those are typos)."""
    extra = word[i1:i2]
    if extra == "k" and word[i2 : i2 + 1] == "h" and word[i1 - 1 : i1] != "k":
        return 1
    if extra not in CONSONANTS:
        return 0
    start, end = i1, i2
    while start > 0 and word[start - 1] == extra:
        start -= 1
    while end < len(word) and word[end] == extra:
        end += 1
    return 1 if end - start == 2 and start > 0 else 0


def most_systematic(words: list[str]) -> list[str]:
    """The spellings in ``words`` that no other spelling beats, in their order."""
    unbeaten = [w for w in words if not any(preference(o, w) == 1 for o in words)]
    return unbeaten or list(words)

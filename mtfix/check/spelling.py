"""Which of a spell checker's suggestions to apply, if any (spelling is opt-in: see safe_rules).

A checker's first suggestion is often not the word meant ("writting" -> "writhing",
"wich" -> "wish", "creat" -> "cheat"), and much of what it flags in MT English is not a
misspelling at all: British spellings ("roubles"), names the MT lower-cased ("danube",
"hanuman"), and accented loanwords and names ("communiqué", "Nääs") an English dictionary
lacks. So a misspelling is corrected only when the word is rare, is not a name or a
British spelling the checker knows, and has a common word one edit away (two for words of
eight letters or more) that is a typo of it (``is_typo_of``); of those, the nearest wins,
then one that does not shorten the word (learners drop letters: "ther" is "their" more
often than "the"), then the commonest.
Measured on JFLEG and MLQE-PE dev (eval/results/spelling-2026-12-03.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

import harper

MAX_WORD_ZIPF = 3.5  # a word this common (wordfreq Zipf) is a word, whatever the checker says
MIN_FIX_ZIPF = 3.5  # the correction must be a common word
LETTERS_PER_EDIT = 4  # one edit per four letters of the word, two at most
WORD_JOINERS = frozenset("'’-")  # inside a word: "d'Estaing", "Jean-Léon"
MOJIBAKE_CODECS = ("cp1252", "latin-1")  # what UTF-8 text is misread as
VOWELS = frozenset("aeiouy")


def best_correction(word: str, suggestions: Sequence[str]) -> str | None:
    """The suggestion to replace the lower-case ``word`` with, or None to keep it."""
    if is_accented_word(word):
        return None  # a loanword or a name, not a misspelling
    zipf = english_zipf()
    if zipf is None:
        return suggestions[0] if suggestions else None  # no frequencies: the checker's order
    if zipf(word) >= MAX_WORD_ZIPF or known_word(word):
        return None
    reach = min(2, max(1, len(word) // LETTERS_PER_EDIT))
    near = [
        (distance(word, s), len(s) < len(word), -zipf(s), s)
        for s in dict.fromkeys(suggestions)
        if s.islower() and s.isascii() and zipf(s) >= MIN_FIX_ZIPF
    ]
    near = [c for c in near if c[0] <= reach and is_typo_of(word, c[-1])]
    return min(near)[-1] if near else None


def is_typo_of(word: str, fix: str) -> bool:
    """Whether ``fix`` can be the word a typist meant by ``word``, not another word.

    The rule: the first letter is kept (typos rarely hit it), and a correction two edits
    away keeps the word's consonants (doubled ones counted once), changing only vowels or
    a doubling ("proffesional" -> "professional", "familys" -> "families"). So
    "califate" is not "climate" (c-l-f-t against c-l-m-t): a foreign or broken word
    made into an unrelated English one changes the meaning. One edit is always a typo.
    """
    if word[:1].lower() != fix[:1].lower():
        return False
    return distance(word, fix) <= 1 or _consonants(word) == _consonants(fix)


def _consonants(word: str) -> str:
    """The word's consonants in order, a doubled one once ("proffesional": "prfsnl")."""
    letters = [c for c in word.lower() if c.isalpha() and c not in VOWELS]
    return "".join(c for k, c in enumerate(letters) if k == 0 or c != letters[k - 1])


@lru_cache(maxsize=1)
def english_zipf() -> Callable[[str], float] | None:
    """English word frequency (wordfreq's Zipf scale), or None without the fluency extra."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return lambda word: zipf_frequency(word, "en")


def known_word(word: str) -> bool:
    """Whether the checker knows ``word`` as a name (capitalised) or a British spelling."""
    return not _misspelt(word.capitalize(), "AMERICAN") or not _misspelt(word, "BRITISH")


def is_accented_word(word: str) -> bool:
    """Whether ``word`` is a well-formed Latin-script word with letters beyond ASCII.

    Such a word is a loanword ("communiqué", "naïve") or a name ("Nääs", "Müller"): English
    dictionaries lack it, but it is not misspelt. Mojibake ("communiquÃ©") is not one.
    """
    word = unicodedata.normalize("NFC", word)
    if word.isascii() or not word[:1].isalpha() or is_mojibake(word):
        return False
    letters = all(_latin_letter(c) or c in WORD_JOINERS for c in word)
    return letters and _plain_case(word)


def _latin_letter(char: str) -> bool:
    """A Latin letter (e, é, ø, ß) or an accent NFC left uncombined."""
    if unicodedata.combining(char):
        return True
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def _plain_case(word: str) -> bool:
    """Lower, title or upper case: not "voilÃ" (mojibake cut short at a non-letter)."""
    return word.islower() or word.istitle() or word.isupper()


def is_mojibake(word: str) -> bool:
    """UTF-8 misread as Windows-1252 or Latin-1 ("Ã©" for "é"): encoded back, it decodes."""
    for codec in MOJIBAKE_CODECS:
        try:
            fixed = word.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != word:
            return True
    return False


@lru_cache(maxsize=4096)
def _misspelt(word: str, dialect: str) -> bool:
    lints = _linter(dialect).organized_lints(f"We saw {word} there.")
    return bool(lints.get("SpellCheck"))


@lru_cache(maxsize=2)
def _linter(dialect: str) -> harper.Linter:
    return harper.Linter(getattr(harper.Dialect, dialect))


def distance(a: str, b: str) -> int:
    """Edit distance with transpositions (optimal string alignment): 'thier' -> 'their' is 1."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]

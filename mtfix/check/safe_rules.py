"""Which grammar-checker replacements mtfix applies by itself, still under the guard.

The suggestions of LanguageTool and of the offline checker (Harper, rule ids
``HARPER_*``) are applied only for rules that are safe on machine-translated English:
capitalization, articles, agreement, repeated words and common confusions. Anything that
can change a name, a number, a date or the register is left to the model or to a person.

Rule ids and category ids are both accepted in either list. A rule id decides before its
category: ``deny`` rule > ``allow`` rule > ``deny`` category > ``allow`` category; what no
list names is not applied. The lists extend the defaults: ``--lt-allow`` / ``--lt-deny``
(comma-separated) or ``$MTFIX_LT_ALLOW`` / ``$MTFIX_LT_DENY``; naming an id in one list
takes it out of the other's defaults. Whatever the lists say, a replacement never
lower-cases a capitalized word (names) and spelling is never applied to a word with a
capital letter (names, transliterations), a letter outside ASCII ('communiqué') or
fewer than four letters ('r/' in 'r/Pikabu'), and of a spelling match's suggestions the
one ``mtfix.check.spelling`` picks is applied, if any.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from mtfix.article import Match
from mtfix.check.spelling import best_correction

ALLOW_ENV, DENY_ENV = "MTFIX_LT_ALLOW", "MTFIX_LT_DENY"

DEFAULT_ALLOW = frozenset(
    {
        "CASING",  # category: "Minister of foreign Affairs" -> "Foreign Affairs", "i" -> "I"
        "GRAMMAR",  # category: agreement, verb forms, double determiners ("he go", "the a")
        "CONFUSED_WORDS",  # category: then/than, its/it's, lose/loose
        "EN_A_VS_AN",  # article choice, in category MISC: "a apple" -> "an apple"
        "ENGLISH_WORD_REPEAT_RULE",  # "the the" -> "the", in category MISC
        # Harper (the offline checker), by rule id:
        "HARPER_AnA",  # "a apple" -> "an apple"
        "HARPER_RepeatedWords",  # "the the" -> "the"
        # It also halves "ylang ylang" and "mahi mahi". Keeping rare words doubled would
        # not help: MLQE-PE dev's MT doubles 39 distinct words under Zipf 3, and the
        # post-edits keep the doubling of one ("rupicapra rupicapra"); the rest are MT
        # stutters ("kathi kathi", "numerically numerically").
        "HARPER_RegularIrregulars",  # "buyed" -> "bought"
        "HARPER_ItsContraction",  # "its a" -> "it's a"
        "HARPER_CommaFixes",  # "word , word" -> "word, word"
        # Not HARPER_SpellCheck: MT writes real words, so its "misspellings" are rare words
        # and transliterations; on MLQE-PE dev it made TER worse on every pair measured
        # (eval/fix_sources.py: ru +0.04, et +0.06, ro +0.15). --lt-allow HARPER_SpellCheck
        # turns it on (for human text, e.g. learners' English: still lower-case words only).
        # Not HARPER_PronounVerbAgreement: in MT English the word after "he" is as often a
        # name or a noun ("he ram" for Ram, "he guest starred") or an old past ("he bare");
        # on MLQE-PE train (3,000 sentences a pair) it fired once, wrongly ("He further
        # added" -> "furthers"), on dev 3 times, all wrong. LanguageTool's GRAMMAR category
        # still fixes "he go".
    }
)
SPELLING = frozenset({"TYPOS", "MORFOLOGIK_RULE_EN_US", "HARPER_SpellCheck", "Spelling"})

DEFAULT_DENY = frozenset(
    {
        "TYPOS",  # spelling: names and transliterations (de Mistura, Muallem) are not errors
        "STYLE",  # style advice changes the wording, not an error
        "REDUNDANCY",  # drops words
        "PLAIN_ENGLISH",  # rewords
        "SEMANTICS",  # date and weekday checks: would change a fact
        "TYPOGRAPHY",  # quotes, dashes and spaces of the source are kept
        "PUNCTUATION",  # comma advice is unreliable on long MT sentences
        "REGIONALISMS",  # British/American variants are not errors
        "UPPERCASE_SENTENCE_START",  # fires after datelines and abbreviations
        "MORFOLOGIK_RULE_EN_US",  # the spell checker
    }
)


@dataclass(frozen=True)
class SafeRules:
    """The allow-list and deny-list in force."""

    allow: frozenset[str] = DEFAULT_ALLOW
    deny: frozenset[str] = DEFAULT_DENY

    @classmethod
    def configured(cls, allow: tuple[str, ...] = (), deny: tuple[str, ...] = ()) -> SafeRules:
        """The defaults extended by ``allow``/``deny`` and the environment variables."""
        more_allow = set(allow) | _ids(os.environ.get(ALLOW_ENV, ""))
        more_deny = set(deny) | _ids(os.environ.get(DENY_ENV, ""))
        return cls(
            frozenset((DEFAULT_ALLOW - more_deny) | more_allow),
            frozenset((DEFAULT_DENY - more_allow) | more_deny),
        )

    def allows(self, match: Match) -> bool:
        """True when ``match``'s first replacement may be applied."""
        if match.source not in {"languagetool", "harper"} or not match.replacements:
            return False
        for key in (match.rule_id, match.category):
            if key in self.deny:
                return False
            if key in self.allow:
                return True
        return False


def _ids(text: str) -> set[str]:
    return {part.strip() for part in text.split(",") if part.strip()}


def parse_ids(text: str) -> tuple[str, ...]:
    """Comma-separated rule or category ids, as a tuple."""
    return tuple(sorted(_ids(text)))


def safe_replacement(match: Match, old: str, rules: SafeRules) -> str | None:
    """The replacement of ``match`` (over the text ``old``) to apply, or None."""
    if not rules.allows(match):
        return None
    new = match.replacements[0]
    if _lowers_a_capital(old, new):
        return None
    if match.rule_id in SPELLING or match.category in SPELLING:
        if not _plain_word(old, new):
            return None  # names, transliterations, accented loanwords, 'r/' and 'u/' stay
        return best_correction(old, match.replacements)
    return new


def apply_safe(text: str, base: int, matches: list[Match], rules: SafeRules) -> str:
    """``text`` (which starts at ``base`` in the checked text) with allowed replacements.

    The first replacement of each allowed match inside ``text`` is applied; overlapping
    matches after the first and replacements that lower-case a capital are skipped.
    """
    out, cursor = [], 0
    for m in sorted(matches, key=lambda m: (m.offset, m.length)):
        start, end = m.offset - base, m.offset - base + m.length
        if start < cursor or end > len(text):
            continue
        new = safe_replacement(m, text[start:end], rules)
        if new is None:
            continue
        out += [text[cursor:start], new]
        cursor = end
    return "".join([*out, text[cursor:]])


def _plain_word(old: str, new: str) -> bool:
    """A lower-case ASCII word of four letters or more, replaced by a word."""
    return old.isascii() and old.isalpha() and old.islower() and len(old) >= 4 and bool(new.strip())


def _lowers_a_capital(old: str, new: str) -> bool:
    return any(
        a.isupper() and b.islower() and a.lower() == b
        for w, v in zip(old.split(), new.split(), strict=False)
        for a, b in [(w[:1], v[:1])]
    )

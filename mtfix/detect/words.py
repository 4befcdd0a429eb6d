"""Whether a checker's spelling or capitalisation finding on a real word should stand.

In a specialised article the offline checker flags real words it does not know: "latex"
(it wants "LaTeX") in a piece on fishing lures, "zander" ("zanier"). A copy editor would
not sign those. So such a finding stands only when

- the word is not used elsewhere in the article in the same form (a term the article
  uses twice is its vocabulary, not a typo), and
- the LM does not find the word at home in its sentence: a word wordfreq knows counts as
  fitting when its log-probability after the sentence's own prefix is at least its
  unigram log-probability (the context makes it no rarer than English at large). A
  misspelling ("goverment") is unknown to wordfreq, and stands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from mtfix.article import Match

WORD_CATEGORIES = frozenset({"spelling", "typos", "capitalization", "casing"})
MIN_KNOWN_ZIPF = 1.0  # wordfreq Zipf of a word it knows (its lists stop near 1)


def is_word_finding(match: Match) -> bool:
    """A spelling or capitalisation match on one word."""
    return match.category.lower() in WORD_CATEGORIES and match.length > 0


def used_elsewhere(text: str, match: Match) -> bool:
    """Whether the article uses the matched word again, in the same form."""
    word = text[match.offset : match.offset + match.length]
    if not word.strip():
        return False
    pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
    return any(m.start() != match.offset for m in pattern.finditer(text))


class WordFit:
    """The LM's verdict on a word in its sentence (``FluencyScorer``'s model, lazily)."""

    def __init__(self, scorer: Callable[[], Any]) -> None:
        self._scorer = scorer

    def fits(self, sentence: str, start: int, end: int) -> bool:
        """Whether the word at ``start:end`` of ``sentence`` is at home there."""
        from mtfix.check.spelling import english_zipf

        zipf = english_zipf()
        word = sentence[start:end]
        if zipf is None or zipf(word.lower()) < MIN_KNOWN_ZIPF:
            return False
        unigram = math.log(10 ** (zipf(word.lower()) - 9))  # Zipf = log10(per billion)
        return self._in_context(sentence, start, end) >= unigram

    def _in_context(self, sentence: str, start: int, end: int) -> float:
        """log P_LM of the word's tokens after the sentence's prefix (nats)."""
        scorer = self._scorer()
        enc = scorer.tokenizer(sentence, return_offsets_mapping=True)
        logprobs = scorer.token_logprobs([sentence])[0]  # token t+1 after tokens 0..t
        spans = enc["offset_mapping"][1:]
        return sum(
            lp for lp, (a, b) in zip(logprobs, spans, strict=False) if a < end and start < b
        )

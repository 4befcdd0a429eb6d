"""Words the LM itself proposes: at each word boundary, the function words it expects.

The analysis pass already holds the LM's next-token distribution at every position. Where
it puts a function word (an article, a preposition, an auxiliary, a pronoun, a conjunction)
above the word that is there, that word is offered as an insertion before the word there
and, where that word is itself a function word, as its substitute. Content words are never
proposed: what the LM expects there is a guess at meaning, not a repair.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from mtfix.repair.propose import Proposal

FUNCTION_WORDS = (
    "the a an of in on at to for with from by about into over as than "
    "is are was were be been being has have had do does did will would can could should "
    "must may might it its there this that these those which who what and or but not also"
).split()
TOP_K = 4  # function words considered at each position
# Auxiliaries by tense: one is never put for another of a different tense ("had deployed"
# -> "have deployed" trades the source's meaning for fluency).
TENSE = {w: "past" for w in "was were had did would could might".split()} | {
    w: "present" for w in "is are has have do does will can may".split()
}


@lru_cache(maxsize=8)
def _word_ids(tokenizer: Any) -> dict[int, str]:
    """Single-token ids of " word" for each function word."""
    out = {}
    for word in FUNCTION_WORDS:
        ids = tokenizer(" " + word, add_special_tokens=False)["input_ids"]
        if len(ids) == 1:
            out[ids[0]] = word
    return out


class WordProposer:
    """Insertions and substitutions of the function words the LM expects."""

    kind = "word"

    def __init__(self, lm: Any) -> None:
        self.lm = lm
        self.words = _word_ids(lm.tokenizer)
        self.ids = list(self.words)

    def propose_at(self, analysis: Any, row: int) -> list[Proposal]:
        """Proposals for sentence ``row`` of an ``mtfix.lm.ranker.Analysis``."""
        import torch

        scored = analysis.rows[row]
        starts = _word_starts(scored.text, scored.offsets)
        if not starts:
            return []
        positions = [p for p, _ in starts]
        with torch.inference_mode():
            dist = self.lm.position_logprobs(analysis, row, positions, self.ids)
        out: list[Proposal] = []
        for (pos, char), values in zip(starts, dist.tolist(), strict=True):
            here = scored.logprobs[pos]
            ranked = sorted(zip(values, self.ids, strict=True), reverse=True)[:TOP_K]
            for value, tid in ranked:
                if value > here:
                    out += self._edits(scored.text, char, self.words[tid])
        return out

    def _edits(self, text: str, char: int, word: str) -> list[Proposal]:
        end = char
        while end < len(text) and (text[end].isalpha() or text[end] == "'"):
            end += 1
        here = text[char:end]
        out = [Proposal(char, char, word + " ", self.kind)]
        lower = here.lower()
        if lower in FUNCTION_WORDS and lower != word and here.islower() and same_tense(lower, word):
            out.append(Proposal(char, end, word, self.kind))
        return out


def same_tense(here: str, word: str) -> bool:
    """Whether putting ``word`` for ``here`` keeps the tense (a word without one does)."""
    tenses = {TENSE.get(here), TENSE.get(word)}
    return None in tenses or len(tenses) == 1


def _word_starts(text: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(token position, character offset) of each word that starts after a space, not the
    first word (its capital belongs to the sentence) and not a word after a quote mark."""
    out = []
    for pos, (start, end) in enumerate(offsets):
        if pos < 2 or end <= start:
            continue
        char = start + 1 if text[start] == " " else start
        if char > 0 and text[char - 1] == " " and text[char].isalpha():
            out.append((pos, char))
    return out

"""Grammar-checker matches as sentence findings (spelling on names is not an error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtfix.article import Finding, Match, Sentence
from mtfix.check import real_issues
from mtfix.detect import Analysis
from mtfix.detect.words import WordFit, is_word_finding, used_elsewhere

if TYPE_CHECKING:
    from spacy.tokens import Doc

NAME_LABELS = frozenset("PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW".split())

# Checker categories (Harper's lint kinds and LanguageTool's category ids) to ours.
CATEGORY_MAP = {
    "agreement": "verb_form",
    "grammar": "verb_form",
    "miscellaneous": "missing_article",
    "capitalization": "capitalization",
    "casing": "capitalization",
    "punctuation": "punctuation",
    "spelling": "garbled_word",
    "typos": "garbled_word",
    "repetition": "repetition",
    "wordchoice": "word_choice",
    "confused_words": "word_choice",
}

# Rules that fire on good human news (measured on WMT21 ref A with eval/flag_rate.py):
# their matches are reported for review but do not send a sentence to the rewriter.
REVIEW_ONLY_RULES = frozenset(
    """SpellCheck SentenceCapitalization AvoidAndAlso SplitWords DisjointPrefixes
    CompoundNouns MergeWords OrthographicConsistency MORFOLOGIK_RULE_EN_US
    UPPERCASE_SENTENCE_START""".split()
)


def is_review_only(match: Match) -> bool:
    """A match worth showing but not strong enough to rewrite a sentence for."""
    rule = match.rule_id.removeprefix("HARPER_")
    return rule in REVIEW_ONLY_RULES or match.category.lower() in {"spelling", "typos"}


def category_of(match: Match) -> str:
    """Our category for a checker match."""
    key = match.category.lower().replace(" ", "").replace("_", "")
    normal = {k.replace("_", ""): v for k, v in CATEGORY_MAP.items()}
    return normal.get(key, "grammar")


class GrammarDetector:
    """Turns the grammar checker's matches in live sentences into findings."""

    name = "grammar"

    def __init__(self, word_fit: WordFit | None = None) -> None:
        self.word_fit = word_fit  # the LM's say on spelling findings (None: no LM)

    def detect(self, analysis: Analysis) -> list[Finding]:
        """One finding per real issue; offsets already point into the article."""
        text = analysis.article.text
        found = []
        for sentence in analysis.live_sentences():
            names = _name_spans(analysis.docs.get(sentence.start), sentence.start)
            issues = real_issues(analysis.matches.get(sentence.start, []), text)
            matches = [
                m for m in issues
                if not _spelling_on_name(m, names) and self._stands(m, text, sentence)
            ]  # fmt: skip
            found.extend(_finding(m, text, sentence) for m in matches)
        return found

    def _stands(self, match: Match, text: str, sentence: Sentence) -> bool:
        """A spelling or capitalisation finding on a word the article uses again, or that
        the LM finds at home in its sentence, does not stand (``mtfix.detect.words``)."""
        if not is_word_finding(match):
            return True
        if used_elsewhere(text, match):
            return False
        if self.word_fit is None:
            return True
        start = match.offset - sentence.start
        return not self.word_fit.fits(sentence.text, start, start + match.length)


def _spelling_on_name(match: Match, names: list[tuple[int, int]]) -> bool:
    """A spelling match inside a name entity (e.g. the lower-case "de" of "de Mistura")."""
    end = match.offset + match.length
    spelling = match.category.lower() in {"spelling", "typos"}
    return spelling and any(a < end and match.offset < b for a, b in names)


def _name_spans(doc: Doc | None, base: int) -> list[tuple[int, int]]:
    """Article offsets of the sentence's name entities: their spelling is not an error."""
    if doc is None:
        return []
    return [(base + e.start_char, base + e.end_char) for e in doc.ents if e.label_ in NAME_LABELS]


def _finding(match: Match, text: str, sentence: Sentence) -> Finding:
    end = match.offset + match.length
    review = is_review_only(match)
    hint = f" Suggestion: {match.replacements[0]!r}." if match.replacements else ""
    return Finding(
        kind="sentence",
        category=category_of(match),
        start=match.offset,
        end=end,
        text=text[match.offset : end],
        confidence=0.4 if review else 0.6,
        message=f"{match.message}{hint}",
        action="review" if review else "rewrite",
        detector=f"grammar:{match.source}",
        rule=match.rule_id,
    )

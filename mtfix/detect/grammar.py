"""Grammar-checker matches as sentence findings (spelling on names is not an error)."""

from __future__ import annotations

from mtfix.article import Finding, Match, Sentence
from mtfix.check import real_issues
from mtfix.detect import Analysis

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

    def detect(self, analysis: Analysis) -> list[Finding]:
        """One finding per real issue; offsets already point into the article."""
        text = analysis.article.text
        found = []
        for sentence in analysis.live_sentences():
            matches = analysis.matches.get(sentence.start, [])
            found.extend(_finding(m, text, sentence) for m in real_issues(matches, text))
        return found


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

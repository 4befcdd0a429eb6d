"""Spelling and capitalisation findings on real words stand only where a copy editor
would sign them: not on a word the article uses again, not where the LM finds it at home."""

from __future__ import annotations

import pytest

from mtfix.article import Match
from mtfix.detect.words import is_word_finding, used_elsewhere


def _match(text: str, word: str, category: str = "Spelling") -> Match:
    at = text.index(word)
    return Match(at, len(word), "HARPER_SpellCheck", category, "", (), "misspelling", "harper")


def test_a_word_the_article_uses_again_is_its_vocabulary() -> None:
    text = "The kum came. What the kum knows, his wife knows."
    assert used_elsewhere(text, _match(text, "kum"))
    other = "The goverment met. The government left."
    assert not used_elsewhere(other, _match(other, "goverment"))


def test_only_word_categories_are_judged() -> None:
    text = "He go home."
    assert is_word_finding(_match(text, "go", "Spelling"))
    assert is_word_finding(_match(text, "go", "Capitalization"))
    assert not is_word_finding(_match(text, "go", "Agreement"))


@pytest.fixture(scope="module")
def fixer():
    import mtfix

    with mtfix.load(use_model=False, checker="offline") as loaded:
        yield loaded


@pytest.mark.parametrize(
    "text",
    [
        "Anglers say soft lures made of latex catch more perch than hard ones.",
        "The fishermen caught a zander in the river near the dam.",
    ],
)
def test_a_real_word_at_home_in_its_sentence_is_not_flagged(fixer, text: str) -> None:
    assert [f.text for f in fixer.check(text) if f.detector.startswith("grammar")] == []


def test_a_misspelling_is_still_flagged(fixer) -> None:
    found = [f.text for f in fixer.check("The goverment announced new measures on Monday.")]
    assert "goverment" in found

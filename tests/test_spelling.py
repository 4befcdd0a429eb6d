"""Which spelling suggestion is applied: the nearest common word, never a name."""

from __future__ import annotations

import pytest

from mtfix.check.spelling import (
    best_correction,
    distance,
    is_accented_word,
    is_mojibake,
    known_word,
)

pytest.importorskip("wordfreq", reason="the choice needs word frequencies (the fluency extra)")


def test_nearest_then_commonest_suggestion_wins() -> None:
    assert best_correction("writting", ("writhing", "writing", "whiting")) == "writing"
    assert best_correction("wich", ("wish", "which", "witch")) == "which"
    assert best_correction("thier", ("tier", "their")) == "their"  # a transposition is one edit
    assert best_correction("ther", ("the", "thee", "their")) == "their"  # letters are dropped


def test_common_words_names_and_british_spellings_stay() -> None:
    assert best_correction("house", ("horse",)) is None  # a common word is a word
    assert known_word("danube") and best_correction("danube", ("dance",)) is None
    assert known_word("roubles") and best_correction("roubles", ("troubles",)) is None


def test_rare_far_or_odd_suggestions_are_refused() -> None:
    assert best_correction("recieved", ("Received",)) is None  # a capital: not a plain fix
    assert best_correction("qzxwv", ("quiz",)) is None  # too far for a five-letter word
    assert best_correction("recieved", ("reeved",)) is None  # too rare to be meant
    assert best_correction("recieved", ()) is None


def test_distance_counts_transpositions_once() -> None:
    assert distance("thier", "their") == 1
    assert distance("kitten", "sitting") == 3
    assert distance("", "abc") == 3


LOANWORDS_AND_NAMES = ("café", "résumé", "naïve", "protégé", "communiqué", "Nääs", "Müller", "José")


def test_accented_loanwords_and_names_are_words() -> None:
    for word in (*LOANWORDS_AND_NAMES, "Straße", "Łódź", "Jean-Léon", "JOSÉ"):
        assert is_accented_word(word), word
    assert is_accented_word("communique\u0301")  # decomposed (NFD) accents too
    assert best_correction("communiqué", ("communique",)) is None
    assert best_correction("protégé", ("protege", "protect")) is None


def test_garbling_is_not_an_accented_word() -> None:
    for word in ("communiquÃ©", "MÃ¼ller", "naÃ¯ve", "ÃŸ"):
        assert is_mojibake(word) and not is_accented_word(word), word
    assert not is_accented_word("communiquÃ")  # mojibake the checker cut at "©"
    assert not is_accented_word("goverment") and not is_mojibake("goverment")
    assert not is_accented_word("Москва")  # not Latin script
    assert not any(is_mojibake(w) for w in LOANWORDS_AND_NAMES)
    assert best_correction("goverment", ("government",)) == "government"

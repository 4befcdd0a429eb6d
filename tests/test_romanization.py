"""Which spelling of a name the article pass prefers: the systematic romanization."""

from __future__ import annotations

import pytest

from mtfix.style.romanization import most_systematic, preference

pytest.importorskip("wordfreq", reason="without word frequencies no spelling is preferred")


@pytest.mark.parametrize(
    ("systematic", "loose"),
    [("Donbass", "Donbas"), ("Khabib", "Habib"), ("Tikhoretsk", "Tihoretsk"),
     ("Dzyuba", "Dziuba"), ("Myasnikov", "Miasnikov"), ("Kostanay", "Kostanai"),
     ("Remenyako", "Remenjako"), ("Tinkov", "Tinkow"), ("Kirill", "Kiril")],
)  # fmt: skip
def test_the_systematic_spelling_wins_either_way_round(systematic: str, loose: str) -> None:
    assert preference(systematic, loose) == 1
    assert preference(loose, systematic) == -1


@pytest.mark.parametrize(
    ("a", "b"),
    [("Sofia", "Sophia"), ("Zelensky", "Zelenskyy"), ("Vaintrub", "Vayntrub"),
     ("Maria", "Mariya"), ("Semilarski", "Semilarsky"), ("Gaidys", "Gaidis"),
     ("Nääes", "Näes"), ("Vaintrub", "Weintrub"), ("Lavrov", "Lavrov"),
     ("Kirilll", "Kirill"), ("Kkirill", "Kirill"), ("Kkhabib", "Khabib")],
)  # fmt: skip
def test_other_differences_get_no_preference(a: str, b: str) -> None:
    assert preference(a, b) == 0 == preference(b, a)


def test_the_most_systematic_keeps_ties_in_order() -> None:
    assert most_systematic(["Donbas", "Donbass"]) == ["Donbass"]
    assert most_systematic(["Sophia", "Sofia"]) == ["Sophia", "Sofia"]
    assert most_systematic(["Dziuba", "Dzyube", "Dzyuba"]) == ["Dzyube", "Dzyuba"]


@pytest.mark.parametrize(
    ("respelt", "english"),
    [("Khamas", "Hamas"), ("Varsaw", "Warsaw"), ("Yoseph", "Joseph"), ("Yulia", "Julia"),
     ("Yuan", "Juan"), ("Sofya", "Sofia")],
)  # fmt: skip
def test_a_spelling_english_has_made_its_own_is_not_respelt(respelt: str, english: str) -> None:
    assert preference(respelt, english) == 0 == preference(english, respelt)

"""The real Gemma 3 270M ranks the seed's known repairs above the MT, and leaves good
English alone (the controls): the measurements the search's design rests on."""

from __future__ import annotations

import pytest

from mtfix.lm.base import base_available
from mtfix.repair.search import MARGIN

pytestmark = pytest.mark.skipif(not base_available(), reason="Gemma 3 270M is not installed")

REPAIRS = [  # (MT, repair): the repair must be more likely
    ("The start of a political process in Syria will discuss in Moscow the Minister of "
     "Foreign Affairs Sergey Lavrov and the special envoy of the UN Staffan de Mistura.",
     "The Minister of Foreign Affairs Sergey Lavrov and the special envoy of the UN Staffan "
     "de Mistura will discuss in Moscow the start of a political process in Syria."),
    ("As Lavrov said, its composition has not yet seen.",
     "As Lavrov said, its composition has not yet been seen."),
    ("One of the main tasks de Mistura is to promote direct negotiations.",
     "One of the main tasks of de Mistura is to promote direct negotiations."),
    ("The next meeting, which, according to the statement, to be held next week.",
     "The next meeting, which, according to the statement, is to be held next week."),
    ("However, the Russian Foreign Ministry repeatedly stated that the government is ready.",
     "However, the Russian Foreign Ministry has repeatedly stated that the government is ready."),
    ("He told the Foreign Minister of Syria Walid Muallem on the outcome of the talks.",
     "He told the Foreign Minister of Syria Walid Muallem about the outcome of the talks."),
]  # fmt: skip
CONTROLS = [  # (good English, an edit to it): the edit must be less likely
    ("The committee approved the budget on Monday.", "The committee approved a budget on Monday."),
    ("He said the talks would resume next week.", "He said the talks will resume next week."),
]


@pytest.fixture(scope="module")
def gemma():
    from mtfix.lm.ranker import SentenceLM
    from mtfix.lm.scorer import load_scorer

    return SentenceLM(*load_scorer())


def _gain(lm, before: str, after: str) -> float:
    analysis = lm.analyse([before])
    ids = lm.tokens([after])[0][0]
    return lm.gains(analysis, [(0, ids)], [None])[0]


@pytest.mark.parametrize(("mt", "repair"), REPAIRS)
def test_gemma_prefers_the_repair(gemma, mt: str, repair: str) -> None:
    assert _gain(gemma, mt, repair) > 0


@pytest.mark.parametrize(("good", "edit"), CONTROLS)
def test_gemma_keeps_good_english(gemma, good: str, edit: str) -> None:
    assert _gain(gemma, good, edit) < 0


def test_the_subject_first_order_clears_the_margin(gemma) -> None:
    assert _gain(gemma, *REPAIRS[0]) > MARGIN

"""Document detectors: repeated headline, repeated paragraphs and sentences, promo blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtfix.detect import Analysis
from mtfix.detect.document import DocumentDetector
from mtfix.read import read_bytes
from mtfix.segment import segment

SEED = Path(__file__).resolve().parent.parent / "samples" / "lavrov-de-mistura.mt.txt"


def analyse(text: str) -> tuple[Analysis, list]:
    analysis = Analysis(segment(read_bytes(text.encode())))
    return analysis, DocumentDetector().detect(analysis)


@pytest.fixture(scope="module")
def seed():
    return analyse(SEED.read_text(encoding="utf-8"))


def test_seed_repeated_headline_is_removed(seed):
    analysis, findings = seed
    heads = [f for f in findings if f.category == "repeated_headline"]
    assert len(heads) == 1
    assert heads[0].text == analysis.article.title.text
    assert heads[0].start > analysis.article.title.end  # the copy, not the headline itself


def test_seed_promo_block_is_removed_and_nothing_else(seed):
    _, findings = seed
    removed = {f.text for f in findings if f.action == "remove"}
    promo = {
        "SPECIAL project",
        "From Russia with support",
        "As the aircraft of the Russian Federation helps to fight with terrorists in Syria",
    }
    assert promo <= removed
    assert len(removed) == len(promo) + 1  # plus the repeated headline
    assert not any(t.startswith("MOSCOW, November 4.") for t in removed)


def test_near_duplicate_headline_counts():
    head = "Lavrov meets de Mistura in Moscow"
    text = f"{head}\n\n{head}.\n\nBody text here."
    _, findings = analyse(text)
    assert [f.category for f in findings] == ["repeated_headline"]


def test_repeated_paragraph_and_sentence():
    para = "The talks went on for six hours and ended without a statement."
    other = "The ministers will meet again next week in Geneva to go on."
    text = f"Talks in Geneva\n\n{para}\n\n{other} {para}\n\n{para}"
    _, findings = analyse(text)
    kinds = sorted(f.category for f in findings)
    assert kinds == ["repeated_paragraph", "repeated_sentence"]


def test_single_subheading_is_kept_but_read_also_is_removed():
    text = (
        "Storm hits the coast\n\nThe storm reached the coast on Monday night.\n\n"
        "What happens next\n\nThe authorities will assess the damage on Tuesday.\n\n"
        "Read also: Ten storms that changed the coast\n\nSchools stay closed until Friday."
    )
    _, findings = analyse(text)
    assert [f.text for f in findings] == ["Read also: Ten storms that changed the coast"]


def test_clean_article_has_no_document_findings():
    text = "Quiet day\n\nNothing happened today.\n\nTomorrow will be quiet too."
    assert analyse(text)[1] == []

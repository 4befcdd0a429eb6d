"""Tests of mtfix.segment: spaCy sentence boundaries as exact slices of the article."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtfix.article import Article
from mtfix.read import read_bytes, read_path
from mtfix.segment import segment, split_sentences

SEED = Path(__file__).resolve().parents[1] / "samples" / "lavrov-de-mistura.mt.txt"


@pytest.fixture(scope="module")
def seed() -> Article:
    return segment(read_path(str(SEED)))


def test_every_sentence_is_an_exact_slice(seed: Article) -> None:
    assert seed.sentences()
    for block in seed.blocks():
        assert block.sentences
        assert block.sentences[0].start >= block.start and block.sentences[-1].end <= block.end
        for sentence in block.sentences:
            assert seed.text[sentence.start : sentence.end] == sentence.text
            assert sentence.text == sentence.text.strip()
        ends = [s.end for s in block.sentences]
        starts = [s.start for s in block.sentences]
        assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))


def test_seed_boundaries(seed: Article) -> None:
    assert seed.title is not None and len(seed.title.sentences) == 1
    dateline = seed.paragraphs[1].sentences
    assert dateline[0].text == "MOSCOW, November 4."
    assert dateline[1].text.startswith("The start of a political process")
    assert [len(p.sentences) for p in seed.paragraphs[2:5]] == [1, 1, 1]
    last = [s.text.split()[0] for s in seed.paragraphs[7].sentences]
    assert last == ["Contacts", "Its", "As", "Discussion"]
    assert seed.paragraphs[7].sentences[1].text == "Its date is not yet agreed."


def test_colon_split_is_joined(seed: Article) -> None:
    first = seed.paragraphs[6].sentences[0].text
    assert first.startswith("Partly on the efforts") and "known: November 1, he visited" in first
    assert len(seed.paragraphs[6].sentences) == 4


def test_input_is_unchanged(seed: Article) -> None:
    plain = read_path(str(SEED))
    assert plain.paragraphs[0].sentences == ()
    assert seed.text == plain.text
    assert [p.text for p in seed.paragraphs] == [p.text for p in plain.paragraphs]


def test_wrapped_lines_and_title() -> None:
    text = (
        "Talks. In Vienna. Next week\n\nThe sides met in Vienna on Monday and\n"
        "discussed the ceasefire. They agreed to meet again next week.\n"
    )
    article = segment(read_bytes(text.encode()))
    assert article.title is not None
    assert [s.text for s in article.title.sentences] == ["Talks. In Vienna. Next week"]
    body = [s.text for s in article.paragraphs[0].sentences]
    assert body == [
        "The sides met in Vienna on Monday and\ndiscussed the ceasefire.",
        "They agreed to meet again next week.",
    ]


def test_split_sentences() -> None:
    text = "  The talks began. The envoy will brief the minister on Tuesday.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "The talks began.",
        "The envoy will brief the minister on Tuesday.",
    ]

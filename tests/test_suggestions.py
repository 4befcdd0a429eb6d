"""Suggestions: edits under the profile's bar that the guard passes are shown, never applied.

The search makes them (on a tiny random LM); every place a user looks shows them: the JSON
report, ``--diff``, the LanguageTool API and the page of ``mtfix serve``.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import pytest

from mtfix.article import SUGGESTED, Article, Edit, Report, Step
from mtfix.output.compose import with_suggestions
from mtfix.output.report import report_dict, schema
from mtfix.read import read_bytes

TEXT = "The ministers met in Geneva on Monday to discuss the ceasefire.\n"
SENTENCE = TEXT.strip()
SUGGESTED_TEXT = "The ministers met in Geneva last Monday to discuss the ceasefire."


def suggestion(report: Report) -> Edit:
    """A suggestion on the report's first sentence: "on Monday" -> "last Monday"."""
    s = next(iter(report.article.sentences()))
    at = s.text.index("on Monday")
    step = Step("lm:word", at, at + 2, "on", "last", 3.2)
    after = s.text.replace("on Monday", "last Monday", 1)
    return Edit(s.start, s.end, s.text, after, False, "accepted", "lm:word", {}, "search",
                choice=SUGGESTED, preference=3.2, steps=(step,), base=s.text)  # fmt: skip


class Suggesting:
    """The real pipeline (local repairs only) whose reports carry one suggestion each."""

    def __init__(self, pipeline) -> None:
        self.pipeline = pipeline

    def fix(self, article: Article) -> Report:
        return self.fix_many([article])[0]

    def fix_many(self, articles: list[Article]) -> list[Report]:
        reports = self.pipeline.fix_many(articles)
        return [replace(r, suggestions=[suggestion(r)]) for r in reports]


@pytest.fixture(scope="module")
def report(local_pipeline) -> Report:
    return Suggesting(local_pipeline).fix(read_bytes(TEXT.encode(), fmt="text"))


def test_the_search_suggests_what_is_under_the_bar(tiny_lm, spacy_nlp) -> None:
    from mtfix.article import Sentence
    from mtfix.repair.rank import LMRanker
    from mtfix.repair.search import SUGGEST_ROUNDS, Search, SearchConfig
    from mtfix.repair.stage import outcome_edits
    from tests.test_search import Swaps, accept_all

    sentence = Sentence(0, len(SENTENCE), SENTENCE)
    ranker = LMRanker(tiny_lm, words=False)
    for suggest in (None, -1e6):
        config = SearchConfig(margin=1e6, suggest_margin=suggest)
        outcome = Search(ranker, [Swaps()], spacy_nlp, accept_all, config).run([sentence], [[]])[0]
        edits = outcome_edits(outcome)
        assert outcome.output == SENTENCE  # nothing clears the bar: nothing applied
        if suggest is None:
            assert edits == []
            continue
        assert 1 <= len(outcome.suggested_steps) <= SUGGEST_ROUNDS
        (made,) = edits
        assert made.choice == SUGGESTED and not made.accepted
        assert made.base == SENTENCE and made.after == outcome.text != SENTENCE
        assert len(made.steps) == len(outcome.suggested_steps)


def test_a_suggestion_is_not_in_the_output_but_in_the_json(report: Report) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert report.output == TEXT and not report.accepted  # the pipeline changes nothing here
    data = report_dict(report)
    jsonschema.validate(data, schema())
    (made,) = data["suggestions"]
    assert made["choice"] == SUGGESTED and made["base"] == SENTENCE
    assert made["after"] == SUGGESTED_TEXT
    assert all(e["choice"] != SUGGESTED for e in data["edits"])
    assert with_suggestions(report) == SUGGESTED_TEXT + "\n"


def test_the_diff_marks_a_suggestion(report: Report, capsys) -> None:
    from mtfix.cli import run_fix

    class Fixer:
        def fix(self, article: Article) -> Report:
            return report

    args = argparse.Namespace(no_rewrite=False, json=False, output=None, diff=True, quiet=True)
    assert run_fix(args, report.article, Fixer()) == 0
    out = capsys.readouterr().out
    assert "suggested, not applied" in out
    assert "suggested lm:word (+3.2 nats): [-on-]{+last+}" in out
    assert out.splitlines()[0] == SENTENCE  # the diff itself is the output's: no change


def test_the_languagetool_api_gives_a_suggestion_as_a_match(report: Report) -> None:
    from mtfix.serve.languagetool import Offsets, lt_match, report_spans

    spans = [s for s in report_spans(report) if s.category == "suggestion"]
    assert len(spans) == 1 and spans[0].issue_type == "style"
    match = lt_match(report, spans[0], Offsets(report.article.text))
    assert match["message"].startswith("Suggestion:") and "not applied" in match["message"]
    fixed = TEXT[: match["offset"]] + match["replacements"][0]["value"]
    fixed += TEXT[match["offset"] + match["length"] :]
    assert fixed == SUGGESTED_TEXT + "\n"


def test_the_page_shows_a_suggestion_unticked_and_applies_it_on_a_click(local_pipeline) -> None:
    from selenium.webdriver.common.by import By

    from tests.loopback import serving
    from tests.test_page import chromium_driver, repaired_page, result

    browser = chromium_driver()
    try:
        with serving(Suggesting(local_pipeline)) as url:
            repaired_page(browser, url, TEXT)
            assert result(browser).strip() == SENTENCE
            boxes = browser.find_elements(
                By.CSS_SELECTOR, "#suggestions li[data-label='suggestion'] input"
            )
            assert len(boxes) == 1 and not boxes[0].is_selected()
            boxes[0].click()
            assert result(browser).strip() == SUGGESTED_TEXT
            boxes[0].click()
            assert result(browser).strip() == SENTENCE
    finally:
        browser.quit()


class SuggestingFixer:
    """What ``score_corpus`` needs of a ``Fixer``, around ``Suggesting``."""

    def __init__(self, pipeline) -> None:
        self.suggesting = Suggesting(pipeline)
        self.suggesting.options = pipeline.options
        self.checker = pipeline.stages.checker
        self.pipeline = self

    def for_lines(self) -> Suggesting:
        return self.suggesting


def test_eval_counts_what_the_suggestions_would_do_apart(local_pipeline, tmp_path) -> None:
    from mtfix.score.evaluate import Corpus, score_corpus
    from mtfix.score.report import render_html, result_dict

    mt = [SENTENCE, "The talks began in Geneva on Monday."]
    corpus = Corpus(mt, [[SUGGESTED_TEXT, mt[1]]])
    result = score_corpus(corpus, SuggestingFixer(local_pipeline), errant=False)
    assert [r.output for r in result.rows] == mt  # nothing applied
    effect = result.suggestions
    assert effect["lines"] == 2 and effect["toward"] == 1 and effect["away"] == 1
    from mtfix.score.metrics import corpus_metrics

    suggested = [SUGGESTED_TEXT, mt[1].replace("on Monday", "last Monday")]
    assert effect["ter"] == pytest.approx(corpus_metrics(mt, suggested, corpus.refs)["ter"].after)
    assert result_dict(result)["suggestions"] == effect
    assert "Suggestions" in render_html(result)

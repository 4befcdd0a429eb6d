"""The search on a tiny random LM: exact scores, determinism, the margin and the guard."""

from __future__ import annotations

import pytest

from mtfix.article import Sentence, Verdict
from mtfix.repair.propose import Proposal
from mtfix.repair.rank import LMRanker, NoRanker
from mtfix.repair.search import Search, SearchConfig

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

SENTENCES = [
    "The minister said the talks would take place in Geneva.",
    "Russia and the United States agreed to continue consultations.",
]


class Swaps:
    """A stub proposer: every "the" -> "a", and every word deleted."""

    kind = "article"

    def propose(self, doc):
        for tok in doc:
            if tok.lower_ == "the":
                yield Proposal(tok.idx, tok.idx + 3, "a" if tok.text == "the" else "A", self.kind)
            if tok.is_alpha and tok.i > 0:
                end = tok.idx + len(tok.text_with_ws)
                yield Proposal(tok.idx, end, "", "word")


def accept_all(pairs):
    return [Verdict(True, "accepted") for _ in pairs]


def refuse_all(pairs):
    return [Verdict(False, "names") for _ in pairs]


def _search(lm, nlp, margin, judge=accept_all):
    return Search(LMRanker(lm, words=False), [Swaps()], nlp, judge, SearchConfig(margin=margin))


def _sentences():
    return [Sentence(0, len(t), t) for t in SENTENCES]


def test_gains_on_the_cached_prefix_equal_whole_sentence_scores(tiny_lm) -> None:
    base = SENTENCES[0]
    cands = [
        "The minister said a talks would take place in Geneva.",
        "The minister told the talks would take place in Geneva.",
    ]
    analysis = tiny_lm.analyse([base])
    ids = [t for t, _ in tiny_lm.tokens(cands)]
    gains = tiny_lm.gains(analysis, [(0, i) for i in ids], [None, None])
    expected = [tiny_lm.analyse([c]).rows[0].total - analysis.rows[0].total for c in cands]
    assert gains == pytest.approx(expected, abs=1e-3)


def test_every_ranked_gain_is_the_whole_sentences(tiny_lm, spacy_nlp) -> None:
    """Near the end an edit's window reaches the end and its gain is reused; earlier it is
    read again in full: either way the gain is the whole sentence's."""
    base = SENTENCES[0]
    proposals = list(Swaps().propose(spacy_nlp(base)))
    ranked = LMRanker(tiny_lm, words=False).rank([base], [proposals])[0]
    whole = tiny_lm.analyse([base]).rows[0].total
    assert ranked and len({r.proposal.start for r in ranked}) > 1
    for r in ranked:
        assert r.gain == pytest.approx(tiny_lm.analyse([r.text]).rows[0].total - whole, abs=1e-3)


def test_the_search_is_deterministic_and_every_step_beats_the_margin(tiny_lm, spacy_nlp) -> None:
    first = _search(tiny_lm, spacy_nlp, 0.5).run(_sentences(), [[], []])
    second = _search(tiny_lm, spacy_nlp, 0.5).run(_sentences(), [[], []])
    assert [o.text for o in first] == [o.text for o in second]
    steps = [s for o in first for s in o.steps]
    assert steps, "a random LM finds some edit more likely than the sentence"
    assert all(s.gain >= 0.5 for s in steps)


def test_text_replays_from_the_steps(tiny_lm, spacy_nlp) -> None:
    for outcome in _search(tiny_lm, spacy_nlp, 0.5).run(_sentences(), [[], []]):
        text = outcome.sentence.text
        for step in outcome.steps:
            assert text[step.start : step.end] == step.before
            text = text[: step.start] + step.after + text[step.end :]
        assert text == outcome.text


def test_a_margin_nothing_reaches_changes_nothing(tiny_lm, spacy_nlp) -> None:
    outcomes = _search(tiny_lm, spacy_nlp, 1e6).run(_sentences(), [[], []])
    assert [o.text for o in outcomes] == SENTENCES
    assert not any(o.steps for o in outcomes)


def test_what_the_guard_refuses_is_not_kept_but_reported(tiny_lm, spacy_nlp) -> None:
    outcomes = _search(tiny_lm, spacy_nlp, 0.5, refuse_all).run(_sentences(), [[], []])
    assert [o.text for o in outcomes] == SENTENCES
    assert any(o.refused for o in outcomes)
    assert all(v.reason == "names" for o in outcomes for _, _, v in o.refused)


def test_without_an_lm_the_sure_fixes_are_applied_in_text_order(spacy_nlp) -> None:
    text = "the minister of foreign affairs said so."
    fixes = [Proposal(16, 31, "Foreign Affairs", "rules", "rules:case"),
             Proposal(0, 3, "The", "checker", "harper"),
             Proposal(4, 12, "envoy", "word")]  # fmt: skip
    search = Search(NoRanker(), [], spacy_nlp, accept_all)
    (outcome,) = search.run([Sentence(0, len(text), text)], [fixes])
    assert outcome.text == "The minister of Foreign Affairs said so."
    assert [s.source for s in outcome.steps] == ["harper", "rules:case"]
    assert all(s.gain is None for s in outcome.steps)


def test_a_models_rewrite_goes_through_the_margin_and_the_guard(tiny_lm, spacy_nlp) -> None:
    text = SENTENCES[0]
    rewrite = Proposal(0, len(text), "Geneva will host the talks, the minister said.", "model",
                       "seq2seq:tiny")  # fmt: skip

    def refuse_the_model(pairs):
        return [Verdict(a != rewrite.text, "content") for _, a in pairs]

    search = Search(LMRanker(tiny_lm, words=False), [], spacy_nlp, refuse_the_model,
                    SearchConfig(margin=-1e6))  # fmt: skip
    (outcome,) = search.run([Sentence(0, len(text), text)], [[rewrite]])
    assert outcome.text == text
    assert [(s.source, v.reason) for s, _, v in outcome.refused] == [("seq2seq:tiny", "content")]


FRAGMENTS = ["Across the winter evening, dark and cold,", "Photo: the new bridge over the river"]


@pytest.mark.parametrize("text", FRAGMENTS)
def test_a_fragment_gets_only_the_rules_fixes_where_the_config_says(
    tiny_lm, spacy_nlp, text: str
) -> None:
    from mtfix.repair.search import is_fragment

    assert is_fragment(spacy_nlp(text))
    sentence = Sentence(0, len(text), text)
    at = text.index("the ")
    fix = Proposal(at, at + 3, "a", "rules", "rules:test")
    for fragments, searched in ((True, True), (False, False)):
        config = SearchConfig(margin=-1e6, sure_margin=-1e6, fragments=fragments)
        search = Search(LMRanker(tiny_lm, words=False), [Swaps()], spacy_nlp, accept_all, config)
        outcome = search.run([sentence], [[fix]])[0]
        sources = {step.source for step in outcome.steps}
        assert sources and (sources != {"rules:test"}) is searched, outcome.steps


def test_a_sentence_with_a_verb_is_no_fragment(spacy_nlp) -> None:
    from mtfix.repair.search import is_fragment

    for text in ["The meeting held in Moscow on Monday.", "Lavrov will discuss the plan."]:
        assert not is_fragment(spacy_nlp(text))

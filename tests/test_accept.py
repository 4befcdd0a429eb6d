"""The acceptance: candidate features, the margin rule and the learned model from its file."""

from __future__ import annotations

import json

import pytest

from mtfix.repair.accept import (
    MODEL_FILE,
    AcceptModel,
    Context,
    LearnedAcceptance,
    MarginAcceptance,
    features,
    load_model,
    model_thresholds,
)
from mtfix.repair.propose import KINDS, Proposal
from mtfix.repair.rank import Ranked

TEXT = "He told the Minister of Syria on the outcome in 2015."


def _ranked(start: int, end: int, new: str, kind: str, gain: float | None) -> Ranked:
    p = Proposal(start, end, new, kind)
    return Ranked(p, p.apply(TEXT), gain, fluency=-3.5)


def test_features_describe_the_candidate() -> None:
    at = TEXT.index("on the")
    feats = features(_ranked(at, at + 2, "about", "preposition", 2.5),
                     Context(TEXT, round=1, flagged=((at, at + 14),)))  # fmt: skip
    assert feats["gain"] == 2.5 and feats["round"] == 1.0
    assert feats["kind_preposition"] == 1.0
    assert sum(feats[f"kind_{k}"] for k in KINDS) == 1.0
    assert feats["in_finding"] == 1.0 and feats["flagged"] == 1.0
    assert feats["capital"] == 0.0 and feats["number"] == 0.0
    assert feats["fluency"] == -3.5
    assert all(isinstance(v, float) for v in feats.values())


def test_features_see_names_and_numbers() -> None:
    name = TEXT.index("Minister")
    year = TEXT.index("2015")
    assert features(_ranked(name, name + 8, "minister", "word", 1.0), Context(TEXT, 0))[
        "capital"] == 1.0  # fmt: skip
    assert features(_ranked(year, year + 4, "2016", "word", 1.0), Context(TEXT, 0))["number"]


def test_the_margin_rule() -> None:
    rule = MarginAcceptance(4.0)
    assert rule.accepts(_ranked(0, 2, "She", "word", 4.0), {})
    assert not rule.accepts(_ranked(0, 2, "She", "word", 3.9), {})
    assert rule.accepts(_ranked(0, 2, "She", "rules", 0.1), {})  # a rule's fix: not worse
    assert not rule.accepts(_ranked(0, 2, "She", "rules", -0.1), {})
    # the article pass's fix: kept unless the LM finds the sentence clearly less likely
    assert rule.accepts(_ranked(0, 2, "She", "style", -3.9), {})
    assert not rule.accepts(_ranked(0, 2, "She", "style", -4.1), {})
    assert rule.signature() == "margin:4|sure:0|style:-4"


def _model() -> AcceptModel:
    return AcceptModel(("gain", "kind_word"), (2.0, 0.5), (1.0, 0.5), (1.5, -2.0), 0.0, "t1")


def test_the_learned_rule_uses_the_probability_and_the_floor() -> None:
    rule = LearnedAcceptance(_model(), threshold=0.5, floor=1.0)
    article = _ranked(0, 0, "the ", "article", 3.0)
    feats = features(article, Context(TEXT, 0))
    assert rule.score(article, feats) == pytest.approx(_model().probability(feats))
    assert rule.accepts(article, feats)
    weak = _ranked(0, 0, "the ", "article", 0.8)  # under the floor
    assert not rule.accepts(weak, features(weak, Context(TEXT, 0)))
    word = _ranked(0, 0, "the ", "word", 2.0)  # kind_word weighs against it
    assert not rule.accepts(word, features(word, Context(TEXT, 0)))
    assert rule.signature() == "learned:t1@0.5|floor:1"


def test_the_model_round_trips_through_json(tmp_path) -> None:
    path = tmp_path / "accept.json"
    path.write_text(json.dumps(_model().to_json() | {"thresholds": {"news": 0.6}}))
    loaded = load_model(path)
    assert loaded == _model()
    assert model_thresholds(path) == {"news": 0.6}
    feats = {"gain": 3.0, "kind_word": 0.0}
    assert loaded.probability(feats) == _model().probability(feats)


def test_the_shipped_model_loads_and_is_deterministic() -> None:
    model = load_model(MODEL_FILE)
    assert len(model.names) == len(model.weights) == len(model.mean) == len(model.scale)
    assert "gain" in model.names
    assert set(model_thresholds(MODEL_FILE)) <= {"news", "learner"}
    feats = features(_ranked(0, 0, "the ", "article", 3.0), Context(TEXT, 0))
    first = model.probability(feats)
    assert 0.0 < first < 1.0
    assert all(model.probability(feats) == first for _ in range(3))

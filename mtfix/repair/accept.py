"""Accept: whether a ranked candidate edit is good enough to make.

Two rules behind one small interface. ``MarginAcceptance`` is Bryant & Briscoe's: the
edit must make the sentence more likely under the LM by a margin (a rule's or a checker's
fix only must not make it less likely). ``LearnedAcceptance`` asks a logistic regression,
trained on what the search's edits did to real post-edited MT and learner English
(``eval/train_accept.py``), for the probability that the edit moves the text toward what
a human editor wrote, and accepts it over a threshold (each profile has its own). Its
weights are a small JSON file (``accept.json``), read with plain arithmetic: no pickle.

``features`` describes a candidate: its gain, kind, size and place, the frequency of the
words it removes and adds, whether it touches a name, number, capital or quotation,
whether it falls in a detector's finding, and the sentence's fluency under the LM.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from mtfix.check.spelling import english_zipf as word_zipf
from mtfix.repair.propose import KINDS
from mtfix.repair.rank import SURE_KINDS, Ranked

MODEL_FILE = Path(__file__).with_name("accept.json")
NO_WORD_ZIPF = 8.0  # a span with no word: as frequent as the commonest word
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_QUOTE = re.compile("[\"“”«»„]")


@dataclass(frozen=True)
class Context:
    """What the features need of a candidate's sentence besides the candidate."""

    text: str  # the sentence as it is in this round
    round: int  # steps already made in it
    flagged: tuple[tuple[int, int], ...] = ()  # detectors' finding spans, in its offsets


def features(ranked: Ranked, context: Context) -> dict[str, float]:
    """The candidate's features, by name (every value a float)."""
    p, text = ranked.proposal, context.text
    removed, added = text[p.start : p.end], p.text
    gain = ranked.gain if ranked.gain is not None else 0.0
    size = max(len(_words(removed)), len(_words(added)), 1)
    found = {
        "gain": gain,
        "gain_per_word": gain / size,
        "sure": float(p.kind in SURE_KINDS),
        "words_removed": float(len(_words(removed))),
        "words_added": float(len(_words(added))),
        "position": p.start / max(len(text), 1),
        "round": float(context.round),
        "zipf_removed": _rarest(removed),
        "zipf_added": _rarest(added),
        "capital": float(_capitalised(removed, p.start) or _capitalised(added, p.start)),
        "number": float(any(c.isdigit() for c in removed + added)),
        "quote": float(bool(_QUOTE.search(removed + added))),
        "in_finding": float(_overlaps(p.start, p.end, context.flagged)),
        "flagged": float(bool(context.flagged)),
        "fluency": ranked.fluency if ranked.fluency is not None else 0.0,
        "sentence_words": float(len(_words(text))),
    }
    return found | {f"kind_{k}": float(p.kind == k) for k in KINDS}


def _overlaps(start: int, end: int, spans: tuple[tuple[int, int], ...]) -> bool:
    """Whether the edit's span (an insertion: its point) meets one of ``spans``."""
    return any(a < max(end, start + 1) and start < b for a, b in spans)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _rarest(text: str) -> float:
    """The lowest word frequency (wordfreq Zipf) in the span."""
    zipf = word_zipf()
    words = _words(text)
    if not words or zipf is None:
        return NO_WORD_ZIPF
    return min(zipf(w.lower()) for w in words)


def _capitalised(text: str, start: int) -> bool:
    """A capitalised word in the span, other than the sentence's first."""
    return any(w[:1].isupper() and (m.start() + start > 0)
               for m in _WORD.finditer(text) for w in [m.group()])  # fmt: skip


class Acceptance(Protocol):
    """Decides whether a ranked candidate may be made (the guard still has its say)."""

    floor: float  # the least gain any edit needs (the ranker reads no further under it)

    def score(self, ranked: Ranked, feats: dict[str, float]) -> float | None: ...

    def accepts(self, ranked: Ranked, feats: dict[str, float]) -> bool: ...

    def signature(self) -> str: ...


# The article pass's fixes (a name, a date, an apposition made as the rest of the article
# writes it) are kept unless the LM finds the sentence clearly less likely: it reads one
# sentence, while the inconsistency is the article's. On the seed such fixes gain -2.4 to
# +2.6 nats ("on 30 October" -> "on October 30": -2.4; "Mistura" -> "de Mistura": +2.6).
STYLE_MARGIN = -4.0


def least_gain(kind: str, margin: float, sure_margin: float, style_margin: float) -> float:
    """The gain an edit of ``kind`` needs: the margin, a sure fix's or a style fix's."""
    if kind == "style":
        return style_margin
    return sure_margin if kind in SURE_KINDS else margin


@dataclass(frozen=True)
class MarginAcceptance:
    """A gain of at least ``margin`` nats (``sure_margin`` for a rule's or checker's fix,
    ``style_margin`` for the article pass's)."""

    margin: float
    sure_margin: float = 0.0
    style_margin: float = STYLE_MARGIN

    @property
    def floor(self) -> float:
        return self.margin

    def score(self, ranked: Ranked, feats: dict[str, float]) -> float | None:
        return None

    def accepts(self, ranked: Ranked, feats: dict[str, float]) -> bool:
        if ranked.gain is None:
            return True
        kind = ranked.proposal.kind
        return ranked.gain >= least_gain(kind, self.margin, self.sure_margin, self.style_margin)

    def signature(self) -> str:
        return f"margin:{self.margin:g}|sure:{self.sure_margin:g}|style:{self.style_margin:g}"


def feature_value(feats: dict[str, float], name: str) -> float:
    """A feature by name; ``a*b`` is the product of two (an interaction: the gain of one
    kind of edit, ``gain*kind_article``)."""
    value = 1.0
    for part in name.split("*"):
        value *= feats.get(part, 0.0)
    return value


@dataclass(frozen=True)
class AcceptModel:
    """A logistic regression over standardised features, as ``accept.json`` stores it."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    version: str

    def probability(self, feats: dict[str, float]) -> float:
        """P(the edit is good) under the model."""
        z = self.bias + sum(
            w * (feature_value(feats, n) - m) / s
            for n, m, s, w in zip(self.names, self.mean, self.scale, self.weights, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def to_json(self) -> dict:
        return {"version": self.version, "bias": self.bias,
                "features": [{"name": n, "mean": m, "scale": s, "weight": w}
                             for n, m, s, w in zip(self.names, self.mean, self.scale,
                                                   self.weights, strict=True)]}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict) -> AcceptModel:
        rows = data["features"]
        return cls(
            tuple(r["name"] for r in rows), tuple(float(r["mean"]) for r in rows),
            tuple(float(r["scale"]) or 1.0 for r in rows),
            tuple(float(r["weight"]) for r in rows), float(data["bias"]), str(data["version"]),
        )  # fmt: skip


def load_model(path: Path = MODEL_FILE) -> AcceptModel:
    """The shipped acceptance model (or one at ``path``)."""
    return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> AcceptModel:
    return AcceptModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def model_thresholds(path: Path = MODEL_FILE) -> dict[str, float]:
    """The thresholds per profile that the training chose on dev data."""
    return dict(_thresholds(str(path)))


@lru_cache(maxsize=4)
def _thresholds(path: str) -> tuple[tuple[str, float], ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple((k, float(v)) for k, v in data.get("thresholds", {}).items())


@dataclass(frozen=True)
class LearnedAcceptance:
    """P(good) from the acceptance model at least ``threshold``, and a gain of at least
    ``floor`` nats (a rule's or checker's fix: ``sure_margin``)."""

    model: AcceptModel
    threshold: float
    floor: float = 1.0
    sure_margin: float = 0.0
    style_margin: float = STYLE_MARGIN

    def score(self, ranked: Ranked, feats: dict[str, float]) -> float | None:
        return self.model.probability(feats)

    def accepts(self, ranked: Ranked, feats: dict[str, float]) -> bool:
        if ranked.gain is None:
            return True
        kind = ranked.proposal.kind
        sure = kind in SURE_KINDS
        if ranked.gain < least_gain(kind, self.floor, self.sure_margin, self.style_margin):
            return False
        return sure or self.model.probability(feats) >= self.threshold

    def signature(self) -> str:
        return f"learned:{self.model.version}@{self.threshold:g}|floor:{self.floor:g}"

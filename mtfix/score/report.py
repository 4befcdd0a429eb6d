"""The eval report: a self-contained HTML page (Jinja2, autoescaped) and the same numbers as JSON.

``render_html`` builds the page: summary table, an inline SVG chart of the per-sentence score
change, and every sentence with its word-level diff. ``result_dict`` is the JSON view.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from mtfix.output.diff import style_lines, word_diff
from mtfix.output.report import style_dict
from mtfix.score import Document, EvalResult, MetricResult, SentenceRow

OUTCOMES = ("improved", "unchanged", "worse")
_P_KEYS = ("p_value", "p", "pvalue")
_ROW_KEYS = ("index", "mt", "output", "refs", "score_before", "score_after", "delta", "outcome",
             "flagged", "changed", "sources")  # fmt: skip

_env = Environment(
    loader=PackageLoader("mtfix.score", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _clean(value: Any) -> Any:
    """NaN and infinities become ``None`` so the JSON stays standard."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def result_dict(result: EvalResult) -> dict[str, Any]:
    """The JSON view of ``result``: metrics, behaviour, grammar, meta, outcomes, sentences."""
    metrics: dict[str, dict[str, Any]] = {}
    for name, m in result.metrics.items():
        entry: dict[str, Any] = {"before": m.before, "after": m.after, "delta": m.delta}
        if m.signature is not None:
            entry["signature"] = m.signature
        entry.update(m.extra)
        metrics[name] = {k: _clean(v) for k, v in entry.items()}
    sentences = [{k: _clean(getattr(r, k)) for k in _ROW_KEYS} for r in result.rows]
    for row in sentences:
        row["refs"], row["sources"] = list(row["refs"]), list(row["sources"])
    counts = Counter(r.outcome for r in result.rows)
    out = {
        "metrics": metrics,
        "behaviour": {k: _clean(v) for k, v in result.behaviour.items()},
        "grammar": dict(result.grammar),
        "meta": {k: _clean(v) for k, v in result.meta.items()},
        "outcomes": {o: counts.get(o, 0) for o in OUTCOMES},
        "sentences": sentences,
    }
    if result.suggestions:
        out["suggestions"] = {k: _clean(v) for k, v in result.suggestions.items()}
    if result.documents:
        out["documents"] = [
            {k: _clean(v) for k, v in document_figures(d, result.rows).items()}
            | {"style": style_dict(d.style)}
            for d in result.documents
        ]
    return out


def document_figures(doc: Document, rows: list[SentenceRow]) -> dict[str, Any]:
    """One document's lines, how many the repair changed and the article pass fixed, and
    the mean change of its sentence score."""
    mine = rows[doc.first - 1 : doc.last]
    styled = sum(any(s.startswith("article:") for s in r.sources) for r in mine)
    mean = sum(r.delta for r in mine) / len(mine) if mine else 0.0
    changed = sum(r.changed for r in mine)
    return {"doc": doc.doc, "first": doc.first, "last": doc.last, "changed": changed,
            "article_pass": styled, "delta": mean}  # fmt: skip


def _document_view(doc: Document, rows: list[SentenceRow], decimals: int) -> dict[str, Any]:
    figures = document_figures(doc, rows)
    delta = figures["delta"]
    tone = "good" if delta > 1e-9 else "bad" if delta < -1e-9 else ""
    return figures | {"delta": _num(delta, decimals, sign=True), "tone": tone,
                      "style": style_lines(doc.style)}  # fmt: skip


def _decimals(*values: float) -> int:
    """Two decimals for figures on a 0-100 scale, four for those on a 0-1 scale."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    return 2 if finite and max(finite) >= 1.5 else 4


def _num(value: float | None, decimals: int, sign: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{value:+.{decimals}f}" if sign else f"{value:.{decimals}f}"
    return text.replace("-", "−")


def _plain(value: Any) -> str:
    """A behaviour/grammar/meta value for display."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or value.is_integer():
        return f"{int(value):,}"
    return f"{value:.3f}"


def _metric_view(m: MetricResult) -> dict[str, Any]:
    d = _decimals(m.before, m.after)
    p = next((m.extra[k] for k in _P_KEYS if k in m.extra), None)
    flag = m.extra.get("higher_is_better")
    lower = str(flag).lower() in ("0", "false", "no")
    lower = m.name.lower().startswith("ter") if flag is None else lower
    good = -m.delta if lower else m.delta
    p_value = float(p) if isinstance(p, int | float) else None
    p_text = None if p is None else str(p)
    if p_value is not None:
        p_text = "<0.0001" if p_value < 1e-4 else _num(p_value, 4)
    extra = {k: _plain(v) for k, v in m.extra.items() if k not in _P_KEYS}
    extra.pop("higher_is_better", None)
    return {
        "name": m.name,
        "before": _num(m.before, d),
        "after": _num(m.after, d),
        "delta": _num(m.delta, d, sign=True),
        "tone": "good" if good > 0 else "bad" if good < 0 else "",
        "p": p_text,
        "significant": p_value is not None and p_value < 0.05,
        "signature": m.signature,
        "extra": extra,
    }


def _sides(r: SentenceRow) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The MT side (equal + delete) and the output side (equal + insert) of the word diff;
    spaces at the edges of a change are kept out of the ``<del>``/``<ins>``."""
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    for chunk in word_diff(r.mt, r.output) if r.changed else []:
        lead, core, tail = re.fullmatch(r"(\s*)(.*?)(\s*)", chunk.text, re.S).groups()
        parts = [("equal", lead), (chunk.op, core), ("equal", tail)] if core else [("equal", lead)]
        for side, skip in ((left, "insert"), (right, "delete")):
            side.extend(part for part in parts if part[1] and chunk.op != skip)
    return left, right


def _row_view(r: SentenceRow, decimals: int) -> dict[str, Any]:
    left, right = _sides(r)
    return {
        "r": r,
        "left": left,
        "right": right,
        "key": f"{r.delta:.6g}" if math.isfinite(r.delta) else "0",
        "scores": f"{_num(r.score_before, decimals)} → {_num(r.score_after, decimals)}",
        "delta": "±0" if r.outcome == "unchanged" else _num(r.delta, decimals, sign=True),
    }


def _nice_step(span: float, target: int) -> float:
    """A 1/2/5 x 10^k bin width giving about ``target`` bins over ``span``."""
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    return next(s * power for s in (1, 2, 5, 10) if s * power >= raw)


def _tick(value: float) -> str:
    return "0" if abs(value) < 1e-12 else f"{value:+g}".replace("-", "−")


def _histogram(deltas: list[float], width: int = 960, height: int = 240) -> dict[str, Any]:
    """SVG geometry of a histogram of the non-zero deltas; bins never straddle zero."""
    moved = [d for d in deltas if math.isfinite(d) and abs(d) >= 1e-9]
    if not moved:
        return {"bins": [], "width": width, "height": height, "n": 0}
    step = _nice_step(max(abs(d) for d in moved), 14)
    sides = [max(1, math.ceil(max([0.0, *(s * d for d in moved)]) / step - 1e-9)) for s in (-1, 1)]
    neg, counts = sides[0], [0] * sum(sides)
    for d in moved:
        k = max(0, math.ceil(abs(d) / step - 1e-9) - 1)
        counts[neg + min(k, sides[1] - 1) if d > 0 else neg - 1 - min(k, neg - 1)] += 1
    left, right, top, bottom = 44, 12, 18, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    bar_w, y_step = plot_w / len(counts), max(1, _nice_step(max(counts), 4))
    y_max = y_step * math.ceil(max(counts) / y_step)
    bins = []
    for i, c in enumerate(counts):
        lo, h = (i - neg) * step, plot_h * c / y_max
        bins.append(
            {
                "x": round(left + i * bar_w + 1, 1),
                "y": round(top + plot_h - h, 1),
                "w": round(bar_w - 2, 1),
                "h": round(h, 1),
                "count": c,
                "tone": "good" if lo >= 0 else "bad",
                "label": f"{_tick(lo)} to {_tick(lo + step)}: {c} sentences",
            }
        )
    every = max(1, math.ceil(len(counts) / 14))
    ticks = [
        {"x": round(left + i * bar_w, 1), "label": _tick((i - neg) * step)}
        for i in range(0, len(counts) + 1)
        if (i - neg) % every == 0
    ]
    n_y = round(y_max / y_step)
    y_ticks = [
        {"y": round(top + plot_h * (1 - k / n_y), 1), "label": f"{k * y_step:g}"}
        for k in range(n_y + 1)
    ]
    return {
        "bins": bins,
        "ticks": ticks,
        "y_ticks": y_ticks,
        "zero_x": round(left + neg * bar_w, 1),
        "frame": (left, top, width - right, top + plot_h),
        "width": width,
        "height": height,
        "n": len(moved),
    }


def _outcome_bars(counts: Counter[str], width: int = 720) -> list[dict[str, Any]]:
    """Segments of one stacked bar: improved / unchanged / worse, proportional to counts."""
    total, x, bars = sum(counts.values()) or 1, 0.0, []
    for o in OUTCOMES:
        n = counts.get(o, 0)
        bars.append({"outcome": o, "count": n, "x": round(x, 1), "w": round(width * n / total, 1)})
        bars[-1]["pct"] = f"{100 * n / total:.1f}"
        x += width * n / total
    return bars


def render_html(result: EvalResult) -> str:
    """The report as one self-contained HTML page (inline CSS, JS and SVG)."""
    rows = result.rows
    counts = Counter(r.outcome for r in rows)
    bars = _outcome_bars(counts)
    counts.update(all=len(rows), flagged=sum(r.flagged for r in rows))
    counts["changed"] = sum(r.changed for r in rows)
    scores = [v for r in rows for v in (r.score_before, r.score_after)]
    decimals = _decimals(*scores) if scores else 2
    meta = dict(result.meta)
    return _env.get_template("report.html.j2").render(
        title=str(meta.pop("title", "mtfix eval report")),
        sentence_metric=str(meta.get("sentence_metric", "sentence score")),
        meta={k: _plain(v) for k, v in meta.items()},
        metrics=[_metric_view(m) for m in result.metrics.values()],
        behaviour={k: _plain(v) for k, v in result.behaviour.items()},
        grammar={k: _plain(v) for k, v in result.grammar.items()},
        suggestions={k: _plain(v) for k, v in result.suggestions.items()},
        hist=_histogram([r.delta for r in rows]),
        outcome_bars=bars,
        counts=counts,
        rows=[_row_view(r, decimals) for r in rows],
        documents=[_document_view(d, rows, decimals) for d in result.documents],
        starts={d.first: d.doc for d in result.documents},
    )


def write_report(
    result: EvalResult, html_path: str | Path | None = None, json_path: str | Path | None = None
) -> list[Path]:
    """Write the HTML page and/or the JSON (standard JSON: NaN as null); returns the paths."""
    written = []
    for target, make in (
        (html_path, render_html),
        (json_path, lambda res: json.dumps(result_dict(res), ensure_ascii=False, indent=2) + "\n"),
    ):
        if target is not None:
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(make(result), encoding="utf-8")
            written.append(path)
    return written

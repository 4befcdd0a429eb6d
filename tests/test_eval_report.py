"""The eval report: summary numbers, chart bars, escaping, row attributes, the JSON view."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from mtfix.score import EvalResult, MetricResult, SentenceRow
from mtfix.score.report import render_html, result_dict, write_report

XSS = "<script>alert(1)</script>"


class Page(HTMLParser):
    """The parts of the page the tests look at: elements with their attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.stack: list[list[str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, {k: v or "" for k, v in attrs}, [])
        self.elements.append(element)
        if tag not in ("br", "meta", "line", "input"):
            self.stack.append(element[2])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for parts in self.stack:
            parts.append(data)

    def find(self, tag: str, **attrs: str) -> list[tuple[dict[str, str], str]]:
        return [
            (a, "".join(t).strip())
            for name, a, t in self.elements
            if name == tag and all(k.replace("_", "-") in a and a[k.replace("_", "-")] == v
                                   for k, v in attrs.items())
        ]  # fmt: skip

    def with_class(self, tag: str, cls: str) -> list[tuple[dict[str, str], str]]:
        return [(a, t) for a, t in self.find(tag) if cls in a.get("class", "").split()]


def _result() -> EvalResult:
    rows = [
        SentenceRow(1, "Visit de Mistura in Moscow.", "The visit of de Mistura to Moscow.",
                    ("De Mistura's visit to Moscow.",), 20.0, 45.5,
                    sources=("rules:noun_name", "causal:m")),
        SentenceRow(2, f"Tom & Jerry said {XSS} today.", f"Tom & Jerry said {XSS} yesterday.",
                    ("Tom & Jerry <b>spoke</b> today.", "Second ref & more."), 60.0, 40.25,
                    flagged=True),
        SentenceRow(3, "The talks go on.", "The talks go on.", ("Talks continue.",), 33.0, 33.0),
        SentenceRow(4, "He said about it.", "He spoke about it.", ("He spoke of it.",), 50.0, 51.0),
    ]  # fmt: skip
    metrics = {
        "BLEU": MetricResult("BLEU", 27.5, 29.25, 1.75, "nrefs:1|tok:13a", {"p_value": 0.03}),
        "chrF": MetricResult("chrF", 55.0, 54.5, -0.5, "nrefs:1|nc:6", {"p_value": 0.4}),
        "COMET": MetricResult("COMET", 0.8123, 0.8199, 0.0076),
    }
    return EvalResult(
        metrics=metrics,
        rows=rows,
        behaviour={"changed_rate": 0.75, "flag_rate": 0.25},
        grammar={"issues_before": 7, "issues_after": 3},
        meta={"system": "A & B <sys>", "segments": 4, "sentence_metric": "chrF"},
    )


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(_result())


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    parser = Page()
    parser.feed(html)
    parser.close()
    return parser


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace("+", ""))


def test_summary_has_a_row_per_metric_with_its_numbers(page: Page) -> None:
    result = _result()
    rows = page.find("tr")
    by_metric = {a["data-metric"]: a for a, _ in rows if "data-metric" in a}
    assert list(by_metric) == list(result.metrics)
    cells = {cls: page.with_class("td", cls) for cls in ("before", "after", "delta", "p")}
    for i, m in enumerate(result.metrics.values()):
        for cls in ("before", "after", "delta"):
            assert _number(cells[cls][i][1]) == pytest.approx(getattr(m, cls), abs=1e-4)
        p = m.extra.get("p_value")
        assert cells["p"][i][1] == ("–" if p is None else f"{p:.4f}")
    signatures = [t for _, t in page.with_class("small", "sig")]
    assert signatures == ["nrefs:1|tok:13a", "nrefs:1|nc:6"]
    assert [a["class"] for a, _ in page.find("td") if "delta" in a.get("class", "")][:2] == [
        "num delta good",
        "num delta bad",
    ]


def test_chart_bars_match_the_rows(page: Page) -> None:
    assert len(page.find("svg")) >= 1
    outcome = {
        a["data-outcome"]: int(a["data-count"]) for a, _ in page.with_class("rect", "outcome")
    }
    assert outcome == {"improved": 2, "unchanged": 1, "worse": 1}
    bins = page.with_class("rect", "bin")
    assert bins and sum(int(a["data-count"]) for a, _ in bins) == 3  # rows whose score moved
    by_tone = {"good": 0, "bad": 0}
    for a, _ in bins:
        by_tone[a["class"].split()[1]] += int(a["data-count"])
    assert by_tone == {"good": outcome["improved"], "bad": outcome["worse"]}
    zero = [a for a, _ in page.with_class("line", "zero")]
    assert len(zero) == 1


def test_input_text_is_escaped(html: str, page: Page) -> None:
    assert "<script>alert(1)" not in html
    assert "<b>spoke</b>" not in html and "<sys>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Tom &amp; Jerry" in html and "Tom & Jerry" not in html
    text = "".join(page.text)
    assert XSS in text and "Tom & Jerry <b>spoke</b> today." in text
    assert html.count("<script") == 1  # the page's own
    assert not any(name == "script" and "alert" in "".join(t) for name, _, t in page.elements)


def test_sentence_rows_carry_their_outcome(page: Page) -> None:
    result = _result()
    rows = page.with_class("div", "s")
    assert [a["data-outcome"] for a, _ in rows] == [r.outcome for r in result.rows]
    assert [a["data-flagged"] for a, _ in rows] == ["0", "1", "0", "0"]
    assert [a["data-changed"] for a, _ in rows] == ["1", "1", "0", "1"]
    assert [t for _, t in page.find("del")] == ["Visit", "in", "today", "said"]
    assert [t for _, t in page.find("ins")] == ["The visit of", "to", "yesterday", "spoke"]
    refs = [t for _, t in page.with_class("div", "ref")]
    assert len(refs) == sum(len(r.refs) for r in result.rows)
    assert [t for _, t in page.with_class("span", "src")] == ["rules:noun_name", "causal:m"]
    buttons = {a["data-filter"] for a, _ in page.find("button")}
    assert buttons == {"all", "improved", "worse", "unchanged", "flagged"}
    links = [a.get("src", "") + a.get("href", "") for _, a, _ in page.elements]
    assert not any(link for link in links)  # nothing to fetch: the page opens offline


def test_result_dict_is_json_with_the_documented_keys(tmp_path) -> None:
    data = result_dict(_result())
    assert {"metrics", "behaviour", "grammar", "meta", "sentences"} <= set(data)
    assert data["metrics"]["BLEU"] == {
        "before": 27.5,
        "after": 29.25,
        "delta": 1.75,
        "signature": "nrefs:1|tok:13a",
        "p_value": 0.03,
    }
    assert "signature" not in data["metrics"]["COMET"]
    row = data["sentences"][1]
    assert set(row) == {"index", "mt", "output", "refs", "score_before", "score_after", "delta",
                        "outcome", "flagged", "changed", "sources"}  # fmt: skip
    assert row["outcome"] == "worse" and row["flagged"] and row["refs"][1] == "Second ref & more."
    assert row["delta"] == pytest.approx(-19.75)
    assert data["sentences"][0]["sources"] == ["rules:noun_name", "causal:m"]
    html_path, json_path = write_report(_result(), tmp_path / "r.html", tmp_path / "out/r.json")
    assert json.loads(json_path.read_text(encoding="utf-8")) == json.loads(json.dumps(data))
    assert html_path.read_text(encoding="utf-8").startswith("<!doctype html>")

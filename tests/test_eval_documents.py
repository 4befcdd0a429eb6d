"""``mtfix eval --docids``: a corpus's documents repaired as articles, lines kept in place,
and the report's view per article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mtfix
from mtfix.cli import main
from mtfix.errors import InputError
from mtfix.score.documents import as_article, document_spans

MT = [
    "Talks on Syria",
    "MOSCOW, November 4. Staffan de Mistura will arrive in Moscow on 5 November.",
    "Expected to start work in this direction Mistura will brief Lavrov.",
    "",
    "Weather",
    "Mistura is a small town in Italy.",
]
REF = [
    "Talks on Syria",
    "MOSCOW, November 4. Staffan de Mistura will come to Moscow on November 5.",
    "De Mistura is expected to brief Lavrov.",
    "",
    "Weather",
    "Mistura is a small town in Italy.",
]
DOCS = ["a", "a", "a", "a", "b", "b"]
RULES = {"use_model": False, "checker": "offline", "fluency": False}  # no LM: sure fixes kept


@pytest.fixture(scope="module")
def fixer():
    with mtfix.load(**RULES) as loaded:
        yield loaded


def test_documents_are_runs_of_one_id() -> None:
    assert document_spans(["a", "a", "b", "c", "c"]) == [("a", 0, 2), ("b", 2, 3), ("c", 3, 5)]
    with pytest.raises(InputError, match="document 'a': its lines are not together"):
        document_spans(["a", "b", "a"])


def test_an_article_is_the_headline_and_a_paragraph_a_line() -> None:
    article = as_article(["Headline", "One.", "Two."])
    assert article.title is not None and article.title.text == "Headline"
    assert [p.text for p in article.paragraphs] == ["One.", "Two."]
    assert as_article(["Alone."]).title is None


def test_the_article_pass_works_across_a_documents_lines_only(fixer) -> None:
    result = mtfix.evaluate(MT, [REF], fixer=fixer, docids=DOCS, errant=False)
    outputs = [r.output for r in result.rows]
    assert len(outputs) == len(MT) and outputs[3] == ""  # every line in its place
    assert outputs[1].endswith("in Moscow on November 5.")  # the dateline's style
    assert "direction de Mistura will brief Lavrov" in outputs[2]
    assert outputs[5] == MT[5]  # another document: its own "Mistura" stays
    assert result.rows[2].sources == ("article:name",) and result.rows[2].flagged
    assert [(d.doc, d.first, d.last) for d in result.documents] == [("a", 1, 4), ("b", 5, 6)]
    sheet = result.documents[0].style
    assert sheet is not None and sheet.dates.style == "month-day"
    assert [c.canonical for c in sheet.names if len(c.forms) > 1] == ["de Mistura"]


def test_without_document_ids_a_line_is_not_an_article(fixer) -> None:
    result = mtfix.evaluate(MT, [REF], fixer=fixer, errant=False)
    assert [r.output for r in result.rows][1:3] == MT[1:3]
    assert result.documents == []


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    return str(path)


def test_mtfix_eval_docids_writes_the_articles_view(tmp_path: Path, capsys) -> None:
    files = [_write(tmp_path / n, x) for n, x in (("mt", MT), ("ref", REF), ("ids", DOCS))]
    html, out = tmp_path / "report.html", tmp_path / "report.json"
    argv = ["eval", "--mt", files[0], "--ref", files[1], "--docids", files[2], "--no-model",
            "--no-fluency", "--checker", "offline", "--no-errant", "--report", str(html),
            "--json", str(out)]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(out.read_text())
    assert data["meta"]["documents"] == 2
    first = data["documents"][0]
    assert (first["doc"], first["first"], first["last"]) == ("a", 1, 4)
    assert first["article_pass"] == 2 and first["changed"] == 2
    assert first["style"]["dates"]["style"] == "month-day"
    page = html.read_text()
    assert 'id="articles"' in page and '<a href="#s1">a</a>' in page and 'id="s5"' in page
    assert "surname de Mistura: de Mistura x1, Mistura x1" in page


def test_document_ids_must_cover_every_line(tmp_path: Path, capsys) -> None:
    files = [_write(tmp_path / n, x) for n, x in (("mt", MT), ("ref", REF), ("ids", DOCS[:-1]))]
    argv = ["eval", "--mt", files[0], "--ref", files[1], "--docids", files[2], "--no-model",
            "--no-fluency", "--checker", "offline", "--no-errant"]  # fmt: skip
    assert main(argv) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not line-aligned" in err[0] and "ids: 5 lines" in err[0]

"""Tests of mtfix.read: every format, stdin, the promo-block rule, and bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from mtfix.article import Article
from mtfix.errors import InputError
from mtfix.read import MAX_INPUT_BYTES, detect_format, read_bytes, read_path
from mtfix.read.plain import group_lines

SEED = Path(__file__).resolve().parents[1] / "samples" / "lavrov-de-mistura.mt.txt"
TITLE = "Lavrov will discuss with de Mistura, the implementation of the Vienna communiqué on Syria"
PROSE = (
    "The minister said on Tuesday that the talks with the envoy would continue next week in"
    " Vienna, where the sides will discuss the humanitarian situation and the ceasefire."
)
CUT = PROSE.index(" Vienna,")
WRAPPED = PROSE[:CUT] + "\n" + PROSE[CUT + 1 :]
HTML = f"""<!DOCTYPE html><html><head><title>Lavrov meets de Mistura</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Lavrov meets de Mistura</h1><p>MOSCOW, November 4. {PROSE}</p>
<p>Visit de Mistura in Moscow will continue diplomatic efforts to settle the conflict in
Syria, which began with talks in Vienna on 23 October.</p></article>
<footer>Copyright 2015 Example News</footer></body></html>"""


def assert_exact(article: Article) -> None:
    """Every block is an exact, stripped slice of the article text."""
    for block in article.blocks():
        assert article.text[block.start : block.end] == block.text
        assert block.text == block.text.strip() and block.text


def test_seed_blocks() -> None:
    article = read_path(str(SEED))
    assert article.format == "text"
    assert article.text == SEED.read_text(encoding="utf-8")
    assert article.title is not None and article.title.text == TITLE
    texts = [p.text for p in article.paragraphs]
    assert len(texts) == 8
    assert texts[0] == TITLE
    assert texts[1].startswith("MOSCOW, November 4. The start")
    assert texts[2:5] == [
        "SPECIAL project",
        "From Russia with support",
        "As the aircraft of the Russian Federation helps to fight with terrorists in Syria",
    ]
    assert [t.split()[0] for t in texts[5:]] == ["Visit", "Partly", "Contacts"]
    assert_exact(article)


def test_wrapped_prose_stays_one_paragraph() -> None:
    article = read_bytes(f"Headline of the day\n\n{WRAPPED}\n".encode(), name="a.txt")
    assert [p.text for p in article.paragraphs] == [WRAPPED]
    assert_exact(article)


def test_group_lines() -> None:
    long = "The minister said on Tuesday that the talks with the envoy would go"
    assert group_lines(["From Russia with support", "As the aircraft helps"]) == [(0, 1), (1, 2)]
    assert group_lines([long, "on next week in Vienna."]) == [(0, 2)]
    assert group_lines(["First sentence here.", "Second one here."]) == [(0, 1), (1, 2)]
    mixed = ["Short heading", long, "on next week in Vienna."]
    assert group_lines(mixed) == [(0, 1), (1, 3)]


def test_crlf_and_bom() -> None:
    data = b"\xef\xbb\xbfHeadline here\r\n\r\n" + PROSE.encode() + b"\r\n"
    article = read_bytes(data)
    assert article.text == "Headline here\n\n" + PROSE + "\n"
    assert article.title is not None and article.title.text == "Headline here"
    assert [p.text for p in article.paragraphs] == [PROSE]


def test_markdown() -> None:
    md = f"Intro line before\n\n# Lavrov *meets* de Mistura\n\n{WRAPPED}\n\n"
    md += "```\ncode is left out\n```\n\n- The results were adopted in a [joint](http://x) text.\n"
    article = read_bytes(md.encode(), name="a.md")
    assert article.format == "markdown"
    assert article.title is not None and article.title.text == "Lavrov meets de Mistura"
    texts = [p.text for p in article.paragraphs]
    assert texts == ["Intro line before", PROSE, "The results were adopted in a joint text."]
    assert article.text == "\n\n".join([article.title.text, *texts])
    assert_exact(article)


def test_html() -> None:
    article = read_bytes(HTML.encode(), name="page.html")
    assert article.format == "html"
    assert article.title is not None and article.title.text == "Lavrov meets de Mistura"
    texts = [p.text for p in article.paragraphs]
    assert texts[0] == f"MOSCOW, November 4. {PROSE}"
    assert texts[1].startswith("Visit de Mistura") and len(texts) == 2
    assert "Home" not in article.text and "Copyright" not in article.text
    assert_exact(article)


def test_json() -> None:
    body = f"MOSCOW, November 4. {PROSE}\n\nFrom Russia with support\nAs the aircraft helps"
    data = json.dumps({"title": "Lavrov meets de Mistura", "body": body}).encode()
    article = read_bytes(data)
    assert article.format == "json"
    assert article.text == "Lavrov meets de Mistura\n\n" + body
    texts = [p.text for p in article.paragraphs]
    assert texts == [
        f"MOSCOW, November 4. {PROSE}",
        "From Russia with support",
        "As the aircraft helps",
    ]
    assert_exact(article)
    untitled = read_bytes(json.dumps({"body": PROSE}).encode(), name="a.json")
    assert untitled.title is None and untitled.text == PROSE


@pytest.mark.parametrize(
    ("text", "name", "fmt"),
    [
        ("plain", "x.txt", "text"),
        ("plain", "x.markdown", "markdown"),
        ("plain", "x.HTM", "html"),
        ('  {"body": "x"}', None, "json"),
        ("<!doctype html><p>x</p>", None, "html"),
        ("<div><p>a</p><p>b</p><p>c</p></div>", None, "html"),
        ("# Title\n\nBody.", None, "markdown"),
        ("Title\n\nBody.", None, "text"),
    ],
)
def test_detect_format(text: str, name: str | None, fmt: str) -> None:
    assert detect_format(text, name) == fmt


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(SEED.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    article = read_path("-")
    assert article.title is not None and article.title.text == TITLE
    assert len(article.paragraphs) == 8


def test_short_english_passes() -> None:
    assert read_bytes(b"Hi there").paragraphs[0].text == "Hi there"
    assert read_bytes(b"Lavrov met de Mistura in Moscow on Tuesday.").title is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b" \n\t\r\n  ", "whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 9)) * 10, "binary"),
        ("Заголовок\n\nПривет мир".encode("cp1251"), "not valid UTF-8 (byte 0xc7 at offset 0)"),
        (b"x" * (MAX_INPUT_BYTES + 1), "size limit"),
        (
            "Министр иностранных дел России Сергей Лавров обсудит с де Мистурой реализацию"
            " венского коммюнике по Сирии.".encode(),
            "not English (detected 'ru'",
        ),
        (
            b"Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Renten"
            b" erhoehen soll.",
            "not English (detected 'de'",
        ),
        (b'{"title": "x", "body": ', "not valid JSON at line 1, column 24"),
        (b'{"title": "x"}', 'string "body"'),
        (b'{"body": ["a"]}', 'string "body"'),
        (b'{"title": 3, "body": "Text of the article."}', '"title" must be a string'),
        (b"<html><body><script>var x = 1;</script></body></html>", "no article text"),
    ],
)
def test_bad_input(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=r"^input: ") as info:
        read_bytes(data)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match='must be an object with a string "body"'):
        read_bytes(b'["body"]', fmt="json")
    with pytest.raises(InputError, match="no such file"):
        read_path(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_path(str(tmp_path))
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_INPUT_BYTES + 1))
    with pytest.raises(InputError, match="500,001 bytes is over the size limit"):
        read_path(str(big))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Headline\n\nCaf\xe9 au lait")
    with pytest.raises(InputError, match=r"bad\.txt: not valid UTF-8 \(byte 0xe9 at offset 13\)"):
        read_path(str(bad))


def test_retokenize_keeps_the_original_tokens_the_repair_left_alone() -> None:
    from mtfix.read.corpus import Moses

    moses = Moses()
    original = "They do n't know &raspsquo; it , thier house ."
    fixed = moses.detokenize(original).replace("thier", "their")
    assert moses.retokenize(original, fixed) == "They do n't know &raspsquo; it , their house ."
    assert moses.tokenize(fixed).startswith("They do n 't")  # what plain Moses would write


def test_retokenize_tokenizes_new_words_like_moses() -> None:
    from mtfix.read.corpus import Moses

    moses = Moses()
    original = 'I ca n\'t go " home " .'
    assert moses.retokenize(original, moses.detokenize(original) + " Yes, ok.") == (
        'I ca n\'t go " home " . Yes , ok .'
    )
    assert moses.retokenize(original, "I cannot go home.") == "I cannot go home ."

"""Property tests of the whole pipeline on odd input (issue 35, "sturdy under hostile input").

Hypothesis makes texts full of Unicode oddities (combining marks, zero-width and
direction characters, emoji, control characters, NBSP, CR, U+2028, surrogates through
JSON escapes) and odd shapes (a huge paragraph, thousands of one-word paragraphs, no
punctuation, all capitals, very long words), in every input format, and runs each through
one cheap pipeline (no LM, no fluency model, the offline checker). For every example:

- only ``MtfixError`` is raised, and its message is one line;
- every word of the text read is in the output, in a removed paragraph, or in an
  accepted edit's sentence (and, for plain text and JSON, every word of the input is in
  the text read);
- every offset is true: each span the report holds is the text it claims;
- the time is bounded by the size;
- the same input twice gives the same output, findings and edits.

The examples are derandomized (the same on every run) and few enough that the file runs
in about a minute on two cores.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mtfix.article import Article, Report
from mtfix.detect.limits import CATEGORY as TOO_LONG
from mtfix.errors import MtfixError
from mtfix.limits import overlong_spans
from mtfix.pipeline import Options, Pipeline
from mtfix.read import read_bytes

WORD = re.compile(r"[^\W_]+")  # letters and digits: Markdown's ``_`` is markup, not a word
VOCAB = (
    "the minister said on Tuesday that talks in Vienna would continue next week he did not "
    "confirm date of meeting with foreign affairs officials Russia and United States agreed "
    "to consultations sides discussed humanitarian situation ceasefire regime visit Moscow "
    "efforts Syrian settlement a an is was are were been being have has had it its they "
    "their president government election October 23 2015 29-30 $5 million 3.5% 10:30"
).split()
ODD = [
    "\u0301", "\u0308", "e\u0301", "\u0338",  # combining marks
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero-width
    "\u202e", "\u202c", "\u200f", "\u061c", "\u2067", "\u2069",  # direction controls
    "שלום", "مرحبا", "Привет",  # other scripts
    "\U0001f600", "\U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # emoji
    "\U0001f1fa\U0001f1f8",  # a flag (two regional indicators)
    "\x01", "\x07", "\x1b", "\x7f", "\x0c", "\t", "\x85",  # control characters
    "\u00a0", "\u202f", "\u3000", "\u2009",  # non-breaking and odd spaces
    "\r", "\r\n", "\u2028", "\u2029",  # line ends
    "\ufffd", "\u00ad", "ﬁ", "Ⅻ", "²", "½", "ǅ", "İ", "ß",  # odd letters and numbers
    "...", "…", "?!", "«", "»", "“", "”", "—", "(", ")", "[", "]", "{", "}", "*", "#", "`",
]  # fmt: skip
LONE = re.compile("[\ud800-\udfff]")
SURROGATES = ["\\ud800", "\\udfff", "\\udc00", "\\ud83d\\ude00", "\\ud83d"]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """One cheap pipeline for the module: no LM, no fluency model, the offline checker."""
    return Pipeline(Options(use_model=False, fluency=False, checker="offline"))


# ---- strategies -----------------------------------------------------------------------


def _word(draw) -> str:
    return draw(st.sampled_from(VOCAB))


@st.composite
def tokens(draw) -> str:
    """A word, now and then an odd character or a word with one stuck on."""
    kind = draw(st.integers(0, 9))
    if kind <= 5:
        return _word(draw)
    if kind <= 7:
        return draw(st.sampled_from(ODD))
    if kind == 8:
        return _word(draw) + draw(st.sampled_from(ODD)) + draw(st.sampled_from(["", "s", "ing"]))
    return draw(st.text(min_size=1, max_size=3))  # anything at all


@st.composite
def sentences(draw) -> str:
    words = draw(st.lists(tokens(), min_size=1, max_size=25))
    sep = draw(st.sampled_from([" ", " ", " ", "\u00a0", "  ", "\t"]))
    end = draw(st.sampled_from([".", ".", "?", "!", "", "…", ".\u200b", ' "']))
    text = sep.join(words)
    return text[:1].upper() + text[1:] + end


@st.composite
def paragraphs(draw) -> str:
    return " ".join(draw(st.lists(sentences(), min_size=1, max_size=5)))


@st.composite
def prose(draw) -> str:
    """A headline and paragraphs joined by odd line ends."""
    head = draw(sentences())
    body = draw(st.lists(paragraphs(), min_size=0, max_size=5))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\r\r", "\u2028", "\n \n", "\n\n\n"]))
    return sep.join([head, *body])


def _letters(draw, n: int) -> str:
    alphabet = draw(st.sampled_from(["abcdefghij", "é", "aé\u0301", "Ж", "x"]))
    return "".join(alphabet[i % len(alphabet)] for i in range(n))


SHAPES = ("huge", "unchecked", "one-word", "bare", "caps", "long", "symbols")


@st.composite
def shapes(draw, kind: str | None = None) -> str:
    """Odd shapes (``SHAPES``; None: any): a huge paragraph, many one-word paragraphs, no
    punctuation, capitals, very long words, runs of symbols."""
    kind = kind or draw(st.sampled_from(SHAPES))
    base = draw(prose())
    if kind == "huge":  # one paragraph of some thousands of characters, still checked
        sentence = draw(sentences())
        return base + "\n\n" + " ".join([sentence] * draw(st.integers(50, 250)))
    if kind == "unchecked":  # one paragraph over the 50,000-character limit
        return base + "\n\n" + " ".join(["The talks in Vienna would continue next week."] * 1200)
    if kind == "one-word":
        words = draw(st.lists(st.sampled_from(VOCAB), min_size=200, max_size=1500))
        return base + "\n\n" + "\n\n".join(words)
    if kind == "bare":  # no punctuation at all, one long paragraph
        words = draw(st.lists(st.sampled_from(VOCAB), min_size=50, max_size=600))
        return " ".join(words)
    if kind == "caps":
        return base.upper()
    if kind == "long":  # very long words, among prose
        n = draw(st.sampled_from([30, 33, 64, 65, 200, 2_000, 20_000]))
        word = _letters(draw, n)
        at = draw(st.integers(0, len(base)))
        return base[:at] + " " + word + draw(st.sampled_from([" ", ". ", "\n\n"])) + base[at:]
    n = draw(st.sampled_from([31, 33, 200, 3_000]))  # a run of symbols with no space
    run = "".join(draw(st.sampled_from("#$%&*+=<>|~^@/\\-_0123456789.,:;")) for _ in range(50))
    return base + "\n\n" + (run * (n // 50 + 1))[:n] + "\n"


def as_markdown(draw, text: str) -> str:
    """``text`` as Markdown: a heading, inline markup, a list, code, a link."""
    parts = [p for p in re.split(r"\n\s*\n", text) if p.strip()] or [text]
    out = ["# " + " ".join(parts[0].split())]
    for part in parts[1:]:
        markup = draw(st.sampled_from(["", "*", "**", "_", "`", "[", "> ", "- ", "1. ", "```"]))
        if markup == "[":
            out.append(f"[{part}](https://example.com/a_b)")
        elif markup in ("> ", "- ", "1. "):
            out.append(markup + part)
        elif markup == "```":
            out.append(f"```\n{part}\n```")
        else:
            out.append(markup + part + markup)
    return "\n\n".join(out)


def as_html(draw, text: str) -> str:
    """``text`` as an HTML page: a title and one ``<p>`` per paragraph."""
    parts = [p for p in re.split(r"\n\s*\n", text) if p.strip()] or [text]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in parts[1:])
    attrs = draw(st.sampled_from(["", ' dir="rtl"', ' lang="en"']))
    return (
        f"<!DOCTYPE html><html{attrs}><head><title>{html.escape(parts[0])}</title></head>"
        f"<body><article><h1>{html.escape(parts[0])}</h1>\n{body}</article></body></html>"
    )


def as_json(draw, text: str) -> str:
    """``text`` as a JSON article, some characters escaped, maybe a surrogate escape put in."""
    head, _, body = text.partition("\n")
    data = {"title": head, "body": body or head} if draw(st.booleans()) else {"body": text}
    out = json.dumps(data, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 3)) == 0:  # a surrogate escape, lone or paired, inside the body
        marker = '"body": "'
        at = out.index(marker) + len(marker)
        out = out[:at] + draw(st.sampled_from(SURROGATES)) + " " + out[at:]
    return out


@st.composite
def inputs(draw, formats=("text", "markdown", "html", "json"), shape: str | bool = False):
    """``(bytes, fmt, source text)``: an input in one of ``formats``; ``shape``: an odd
    shape (True: any, or one of ``SHAPES``), else prose."""
    text = draw(shapes(shape if isinstance(shape, str) else None) if shape else prose())
    fmt = draw(st.sampled_from(formats))
    if fmt == "markdown":
        data = as_markdown(draw, text)
    elif fmt == "html":
        data = as_html(draw, text)
    elif fmt == "json":
        data = as_json(draw, text)
    else:
        data = text
    raw = data.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        raw = b"\xef\xbb\xbf" + raw  # a BOM
    return raw, draw(st.sampled_from([fmt, "auto"])), text


# ---- properties -----------------------------------------------------------------------


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def one_line(exc: BaseException) -> None:
    """An error's message is one non-empty line."""
    message = str(exc)
    assert message.strip(), f"{type(exc).__name__} with no message"
    assert len(message.splitlines()) == 1, f"message over several lines: {message!r}"


def run(pipeline: Pipeline, data: bytes, fmt: str) -> Report | None:
    """Read and fix ``data``; None where an ``MtfixError`` (one line) says why not.
    Any other exception fails the test."""
    ext = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
    try:
        article = read_bytes(data, name=f"input{ext.get(fmt, '')}", fmt=fmt)
        report = pipeline.fix(article)
    except MtfixError as exc:
        one_line(exc)
        event(f"refused: {str(exc).partition(': ')[2].split('(')[0][:40]}")
        return None
    event(f"fixed ({report.article.format})")
    return report


def check_read(article: Article, data: bytes, text: str) -> None:
    """Nothing of the input is lost in reading: plain text is read as it is (CR line ends
    made LF), a JSON article's words are all in the text read."""
    decoded = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    if article.format == "text":
        assert article.text == decoded.replace("\r\n", "\n").replace("\r", "\n")
    elif article.format == "json":
        loaded = json.loads(decoded)
        source = f"{loaded.get('title') or ''} {loaded['body']}"
        missing = words(source) - words(article.text)
        assert not missing, f"words lost reading JSON: {missing}"
    for block in article.blocks():
        assert article.text[block.start : block.end] == block.text
        for sentence in block.sentences:
            assert article.text[sentence.start : sentence.end] == sentence.text
            assert block.start <= sentence.start <= sentence.end <= block.end


def check_offsets(report: Report) -> None:
    """Every span in the report is the text it claims, in the text it points into."""
    text, output = report.article.text, report.output
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text), finding
        assert text[finding.start : finding.end] == finding.text, finding
    for removal in report.removed:
        assert text[removal.start : removal.end] == removal.text, removal
    for edit in report.edits:
        assert text[edit.start : edit.end] == edit.before, edit
        for fix in edit.fixes:
            assert edit.start <= fix.start <= fix.end <= edit.end, (edit, fix)
        if edit.steps:  # each step in offsets of the sentence as it was before it
            current = edit.before
            for step in edit.steps:
                assert current[step.start : step.end] == step.before, (edit, step)
                current = current[: step.start] + step.after + current[step.end :]
            assert current == edit.after, edit
    for match in report.grammar.before:
        assert 0 <= match.offset <= match.offset + match.length <= len(text), match
    for match in report.grammar.after:
        assert 0 <= match.offset <= match.offset + match.length <= len(output), match
    for row in report.grammar.sentences:
        assert 0 <= row.start <= row.end <= len(text), row
        if row.output_start is not None and row.output_end is not None:
            assert 0 <= row.output_start <= row.output_end <= len(output), row


def check_words(report: Report) -> None:
    """Every word read is in the output, in a removed paragraph or in an accepted edit's
    sentence (counted as multisets); with nothing removed or edited, the output is the
    text read itself."""
    accepted = report.accepted
    if not accepted and not report.removed:
        assert report.output == report.article.text
    explained = words(report.output)
    for removal in report.removed:
        explained += words(removal.text)
    for edit in accepted:
        explained += words(edit.before)
    missing = words(report.article.text) - explained
    assert not missing, f"words lost: {dict(missing)}"


def check_limits(report: Report) -> None:
    """Every token too long to be a word is in a "too long to check" finding, and is in the
    output as it is unless its paragraph was removed."""
    text = report.article.text
    unchecked = [(f.start, f.end) for f in report.findings if f.category == TOO_LONG]
    removed = [(r.start, r.end) for r in report.removed]
    for start, end in overlong_spans(text):
        token = text[start:end]
        assert any(s <= start and end <= e for s, e in unchecked), f"unreported: {token[:80]!r}"
        if not any(s <= start and end <= e for s, e in removed):
            assert token in report.output, f"overlong token changed: {token[:80]!r}"


def check_all(pipeline: Pipeline, data: bytes, fmt: str, text: str) -> Report | None:
    start = time.perf_counter()
    report = run(pipeline, data, fmt)
    elapsed = time.perf_counter() - start
    assert elapsed < 5 + len(data) / 2_000, f"{elapsed:.1f} s for {len(data):,} bytes"
    if report is not None:
        check_read(report.article, data, text)
        check_offsets(report)
        check_words(report)
        check_limits(report)
    return report


COMMON = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
}


@settings(max_examples=80, **COMMON)
@given(case=inputs(formats=("text",)))
def test_plain_text(pipeline: Pipeline, case: tuple[bytes, str, str]) -> None:
    check_all(pipeline, *case)


@settings(max_examples=40, **COMMON)
@given(case=inputs(formats=("markdown", "html")))
def test_markdown_and_html(pipeline: Pipeline, case: tuple[bytes, str, str]) -> None:
    check_all(pipeline, *case)


@settings(max_examples=40, **COMMON)
@given(case=inputs(formats=("json",)))
def test_json(pipeline: Pipeline, case: tuple[bytes, str, str]) -> None:
    report = check_all(pipeline, *case)
    loaded = json.loads(case[0].removeprefix(b"\xef\xbb\xbf"))
    if any(LONE.search(v) for v in loaded.values()):
        assert report is None, "a lone surrogate was read as text"


@pytest.mark.parametrize("shape", SHAPES)
def test_odd_shapes(pipeline: Pipeline, shape: str) -> None:
    @settings(max_examples=10, **COMMON)
    @given(case=inputs(shape=shape))
    def check(case: tuple[bytes, str, str]) -> None:
        check_all(pipeline, *case)

    check()


@settings(max_examples=60, **COMMON)
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["auto", "text", "json", "html"]))
def test_arbitrary_bytes(pipeline: Pipeline, data: bytes, fmt: str) -> None:
    """Bytes of any kind: read as text or refused with one line, never a crash."""
    run(pipeline, data, fmt)


@settings(max_examples=25, **COMMON)
@given(case=inputs(shape=False) | inputs(shape=True))
def test_deterministic(pipeline: Pipeline, case: tuple[bytes, str, str]) -> None:
    """The same input twice: the same output, findings, edits and removals."""
    data, fmt, _ = case
    first, second = run(pipeline, data, fmt), run(pipeline, data, fmt)
    assert (first is None) == (second is None)
    if first is not None and second is not None:
        assert second.output == first.output
        assert second.findings == first.findings
        assert second.edits == first.edits
        assert second.removed == first.removed

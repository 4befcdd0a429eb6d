"""The article pass: one article, one style.

MT translates sentence by sentence, so an article comes out inconsistent in ways no single
sentence shows: one person transliterated two ways, dates in two styles, an apposition's
comma written as a hyphen. A copy editor fixes these first, from a style sheet. This pass
builds the article's style sheet (``StyleSheet``: its names and their forms, its date
style, its term variants) and turns each departure from it into a finding with a fix
(detector ``article``): the repair stage proposes the fix as an edit of source
``article:name``, ``article:date`` or ``article:punctuation``, ranked by the LM with the
article as context and checked by the guard like any other.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from mtfix.article import DateStyle, Finding, NameCluster, Sentence, StyleSheet
from mtfix.detect import Analysis
from mtfix.style import names as nm
from mtfix.style.dates import Date, article_style, dates_in
from mtfix.style.punctuation import hyphen_appositions
from mtfix.style.terms import term_variants

CONFIDENCE = 0.9  # of a departure from the article's own style
PLACES = frozenset({"GPE", "LOC", "ORG", "NORP"})  # entities an apposition may follow


def build_style_sheet(analysis: Analysis) -> StyleSheet:
    """The article's style sheet and the findings that bring every sentence to it."""
    live = [s for s in analysis.live_sentences() if s.start in analysis.docs]
    docs = [(s, analysis.docs[s.start]) for s in live]
    clusters, name_findings, found = _names(docs, analysis.article.text)
    dates, date_findings = _dates(analysis, live)
    punct = _punctuation(docs, found, analysis.article.text)
    terms = term_variants([d for _, d in docs])
    findings = sorted(name_findings + date_findings + punct, key=lambda f: (f.start, f.end))
    return StyleSheet(clusters, dates, terms, findings)


def _names(
    docs: list[tuple[Sentence, Doc]], text: str
) -> tuple[list[NameCluster], list[Finding], list[nm.Mention]]:
    found = [m for s, doc in docs for m in nm.mentions(doc, s.start)]
    sheet, findings = [], []
    for group in nm.clusters(found):
        word, particle = nm.canonical(group)
        role = "first name" if any(other.first is group[0] for other in found) else "surname"
        entry = nm.cluster_sheet(group, word, particle, role)
        if len(entry.forms) > 1 or len(group) > 1:
            sheet.append(entry)
        for m in group:
            if (m.word, m.particle) != (word, particle) and _is_variant(m, word, particle):
                new = nm.rendered(word, particle, m.sentence_start)
                findings.append(_finding("name", m.start, m.end, text, new, entry.canonical))
    return sheet, findings, found


def _is_variant(m: nm.Mention, word: str, particle: str) -> bool:
    """A mention to unify: another spelling, or the surname without its particle (not a
    mention with a particle the canonical form lacks)."""
    return m.word != word or (particle != "" and m.particle == "")


def _dates(analysis: Analysis, live: list[Sentence]) -> tuple[DateStyle, list[Finding]]:
    text = analysis.article.text
    found = [d for s in live for d in dates_in(s.text, s.start)]
    paragraphs = [p.text for p in analysis.article.paragraphs]
    style, source = article_style(found, paragraphs)
    counts = {k: sum(d.style == k for d in found) for k in ("month-day", "day-month")}
    findings = []
    for s in live:  # one fix per sentence: "on 23 October and 29-30 October" as a whole
        odd = [d for d in found if s.start <= d.start < s.end and style and d.style != style]
        if odd:
            start, end = odd[0].start, odd[-1].end
            new = _rewritten(text[start:end], start, odd, style)
            findings.append(_finding("date", start, end, text, new, style))
    return DateStyle(style, source, counts), findings


def _rewritten(span: str, offset: int, dates: list[Date], style: str) -> str:
    """``span`` (at ``offset`` in the article) with each of ``dates`` written in ``style``."""
    out, cursor = [], offset
    for d in dates:
        out += [span[cursor - offset : d.start - offset], d.written(style)]
        cursor = d.end
    return "".join([*out, span[cursor - offset :]])


def _punctuation(
    docs: list[tuple[Sentence, Doc]], found: list[nm.Mention], text: str
) -> list[Finding]:
    firsts = [m for m in found if any(other.first is m for other in found)]
    alone = {t.text for _, doc in docs for t in doc if _alone(t)}
    return [
        _finding("punctuation", a, b, text, ", ", "an apposition's comma")
        for s, doc in docs
        for a, b in hyphen_appositions(doc, s.start, firsts, alone)
    ]


def _alone(tok: Token) -> bool:
    """A place's or an organisation's name written on its own (not hyphenated to the next
    word): "Syria" can stand before an apposition, "Vice" in "Vice-Admiral" cannot."""
    doc = tok.doc
    hyphened = tok.i + 1 < len(doc) and doc[tok.i + 1].text in {"-", "–"} and not tok.whitespace_
    return tok.ent_type_ in PLACES and not hyphened


def _finding(rule: str, start: int, end: int, text: str, fix: str, style: str) -> Finding:
    before = text[start:end]
    message = {
        "name": f"the article writes this name '{style}'",
        "date": f"the article writes dates {style}",
        "punctuation": "a hyphen where an apposition's comma belongs",
    }[rule]
    return Finding("sentence", f"inconsistent_{rule}", start, end, before, CONFIDENCE,
                   message, "rewrite", "article", rule, fix)  # fmt: skip

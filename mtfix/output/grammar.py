"""Grammar issues per sentence, before and after: each input sentence found in the output."""

from __future__ import annotations

from mtfix.article import Article, Edit, Match, Removal, SentenceGrammar
from mtfix.check import real_issues
from mtfix.output.compose import removal_span


def sentence_grammar(
    article: Article,
    removed: list[Removal],
    edits: list[Edit],
    output: str,
    before: list[Match],
    after: list[Match],
) -> list[SentenceGrammar]:
    """Real issues of every input sentence and of its text in ``output`` (None if removed).

    A sentence's output text is its accepted edit's, else its own; it is looked for in
    ``output`` in reading order, as ``compose`` keeps the order.
    """
    text = article.text
    cuts = [removal_span(text, r) for r in removed]
    used = {e.start: e.after for e in edits if e.accepted}
    rows, cursor = [], 0
    for s in article.sentences():
        issues = real_issues(_inside(before, s.start, s.end), text)
        gone = any(start < s.end and s.start < end for start, end in cuts)
        new = used.get(s.start, s.text)
        at = -1 if gone else output.find(new, cursor)
        if at < 0:
            rows.append(SentenceGrammar(s.start, s.end, issues, None))
            continue
        cursor = at + len(new)
        kept = real_issues(_inside(after, at, cursor), output)
        rows.append(SentenceGrammar(s.start, s.end, issues, kept, at, cursor))
    return rows


def _inside(matches: list[Match], start: int, end: int) -> list[Match]:
    return [m for m in matches if start <= m.offset < end]


def in_sentences(article: Article, matches: list[Match]) -> list[Match]:
    """The matches that fall inside the article's sentences."""
    spans = [(s.start, s.end) for s in article.sentences()]
    return [m for m in matches if any(a <= m.offset < b for a, b in spans)]

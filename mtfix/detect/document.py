"""Document detectors: a repeated headline, repeated paragraphs or sentences, promo blocks.

No grammar checker looks at these; they are the marks of sites that scrape and
machine-translate news. Each finding asks for its block (or sentence) to be removed.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from mtfix.article import Finding, Paragraph, Span
from mtfix.detect import Analysis

NEAR_DUPLICATE = 0.9
_TERMINAL = tuple(".!?…:;\"'”»)")
_PROMO = re.compile(
    r"\b(special project|read (also|more)|see also|subscribe|follow us|sign up|newsletter"
    r"|advertisement|sponsored|click here|share (this|on)|all rights reserved|related:?$)\b"
    r"|©",
    re.IGNORECASE,
)
MAX_LINE_WORDS = 20


def normalise(text: str) -> str:
    """Case- and spacing-insensitive form of a text, for comparing repeats."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def similar(a: str, b: str) -> float:
    """Similarity of two texts in [0, 1] after normalisation.

    Pairs whose cheap upper bounds already fall below ``NEAR_DUPLICATE`` return that bound:
    the full comparison is quadratic and most paragraph pairs are not near-duplicates.
    """
    matcher = SequenceMatcher(None, normalise(a), normalise(b), autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        if (value := bound()) < NEAR_DUPLICATE:
            return value
    return matcher.ratio()


def _finding(span: Span, category: str, confidence: float, message: str) -> Finding:
    return Finding(
        kind="document",
        category=category,
        start=span.start,
        end=span.end,
        text=span.text,
        confidence=round(confidence, 3),
        message=message,
        action="remove",
        detector="document",
        rule=category,
    )


def repeated_headline(analysis: Analysis) -> list[Finding]:
    """The headline repeated as one of the first paragraphs, exactly or nearly."""
    title = analysis.article.title
    if title is None:
        return []
    found = []
    for block in analysis.article.paragraphs[:2]:
        score = similar(title.text, block.text)
        if score >= NEAR_DUPLICATE:
            found.append(
                _finding(block, "repeated_headline", score, "The headline is repeated here.")
            )
    return found


def repeated_paragraphs(analysis: Analysis) -> list[Finding]:
    """A paragraph that repeats an earlier one, exactly or nearly."""
    found: list[Finding] = []
    seen: list[Paragraph] = []
    for block in analysis.article.paragraphs:
        earlier = next((p for p in seen if similar(p.text, block.text) >= NEAR_DUPLICATE), None)
        if earlier is not None and len(normalise(block.text).split()) >= 4:
            message = f"This paragraph repeats the one at offset {earlier.start}."
            found.append(_finding(block, "repeated_paragraph", 0.95, message))
        else:
            seen.append(block)
    return found


def repeated_sentences(analysis: Analysis) -> list[Finding]:
    """A sentence that repeats an earlier sentence of a kept paragraph."""
    found: list[Finding] = []
    seen: set[str] = set()
    for sentence in analysis.live_sentences():
        key = normalise(sentence.text)
        if key in seen and len(key.split()) >= 5:
            message = "This sentence repeats an earlier one."
            found.append(_finding(sentence, "repeated_sentence", 0.95, message))
        seen.add(key)
    return found


def is_bare_line(block: Paragraph) -> bool:
    """A short line that does not end like a sentence: a label, a series title, a teaser."""
    return not block.text.rstrip().endswith(_TERMINAL) and len(block.text.split()) <= MAX_LINE_WORDS


def _bare_runs(blocks: tuple[Paragraph, ...]) -> list[list[Paragraph]]:
    runs: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    for block in blocks:
        if is_bare_line(block):
            current.append(block)
            continue
        if current:
            runs.append(current)
        current = []
    return [*runs, current] if current else runs


def promo_blocks(analysis: Analysis) -> list[Finding]:
    """Pasted promo or boilerplate: runs of bare lines, or any block with promo wording.

    A single bare line without promo wording is kept: it may be a real subheading.
    """
    found: list[Finding] = []
    for run in _bare_runs(analysis.article.paragraphs):
        promo = any(_PROMO.search(block.text) for block in run)
        if promo or len(run) >= 2:
            confidence = 0.9 if promo else 0.7
            message = f"Promo or boilerplate block of {len(run)} line(s), not part of the story."
            found.extend(_finding(b, "promo_block", confidence, message) for b in run)
    bare = {f.start for f in found}
    for block in analysis.article.paragraphs:
        opener = _PROMO.match(block.text.lstrip("-–—•*>[( "))
        if block.start not in bare and opener and len(block.text.split()) <= 25:
            found.append(_finding(block, "promo_block", 0.8, "Promo or 'read also' insert."))
    return found


class DocumentDetector:
    """Repeated headline, repeated paragraphs and sentences, promo blocks."""

    name = "document"

    def detect(self, analysis: Analysis) -> list[Finding]:
        """Block-level findings first (they decide what is removed), then repeated sentences."""
        blocks = repeated_headline(analysis) + repeated_paragraphs(analysis)
        blocks += [f for f in promo_blocks(analysis) if f.start not in {b.start for b in blocks}]
        analysis.removed.update(f.start for f in blocks)
        return blocks + repeated_sentences(analysis)

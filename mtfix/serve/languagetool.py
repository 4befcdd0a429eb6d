"""mtfix's report as LanguageTool's ``/v2/check`` answer, so existing clients show it.

Every finding is a match. An accepted edit becomes one match per changed run of words,
its replacement the new words (a pure insertion takes in the next word, as LanguageTool's
own matches do), its message the edit's source and the findings it repairs; a removed
paragraph (repeated headline, pasted promo) is a match whose replacement is empty. A
suggestion (an edit under the profile's bar, not applied) is a match of category
``suggestion`` and issue type ``style`` per run it changes beyond the applied edit's.
Offsets are counted as LanguageTool counts them: in UTF-16 code units of the text the
client sent (``Offsets`` maps back from mtfix's text, whose line ends are normalised).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from mtfix.article import Edit, Finding, Report
from mtfix.output.compose import removal_span
from mtfix.output.diff import word_diff

CONTEXT = 40  # characters of context on each side, as LanguageTool gives
SHORT = "Machine-translation repair"


@dataclass(frozen=True)
class Span:
    """A match before it is shaped for the client: offsets into mtfix's text."""

    start: int
    end: int
    message: str
    rule: str
    description: str
    category: str
    issue_type: str
    replacements: tuple[str, ...] = ()


def _rule_id(name: str) -> str:
    return "MTFIX_" + "".join(c if c.isalnum() else "_" for c in name).upper()


def finding_span(f: Finding) -> Span:
    """A finding as a match without replacement."""
    issue = "duplication" if f.action == "remove" else "grammar"
    name = f.rule or f.category
    return Span(f.start, f.end, f.message, _rule_id(name), f.message.split(":")[0][:80],
                f.category, issue)  # fmt: skip


def edit_spans(edit: Edit) -> list[tuple[int, int, str]]:
    """(start, end, replacement) per changed run of an accepted edit, in article offsets."""
    runs: list[list] = []  # [start, end, replacement] in ``edit.before`` offsets
    cursor, open_run = 0, False
    for chunk in word_diff(edit.before, edit.after):
        if chunk.op == "equal":
            if runs and runs[-1][1] == runs[-1][0] and open_run:  # insertion: take next word
                word = chunk.text.split()[0] if chunk.text.split() else chunk.text
                head = chunk.text[: chunk.text.index(word) + len(word)]
                runs[-1][1] += len(head)
                runs[-1][2] += head
            cursor += len(chunk.text)
            open_run = False
            continue
        if not open_run:
            runs.append([cursor, cursor, ""])
            open_run = True
        if chunk.op == "delete":
            cursor += len(chunk.text)
            runs[-1][1] = cursor
        else:
            runs[-1][2] += chunk.text
    return [(edit.start + s, edit.start + e, new) for s, e, new in runs]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _repair(edit: Edit, run: tuple[int, int, str], findings: list[Finding]) -> Span:
    """One changed run of an accepted edit; its message names the findings it repairs."""
    start, end, new = run
    repaired = [f.message for f in findings if _overlaps((f.start, f.end), (start, end))]
    why = "; ".join(dict.fromkeys(repaired)) or "reads better"
    rule = _rule_id("repair " + edit.kind)
    message = f"{why} (repair by {edit.source})"
    return Span(start, end, message, rule, SHORT, "repair", "grammar", (new,))


def report_spans(report: Report) -> list[Span]:
    """Every match of the report, in text order: removals, the changed runs of accepted
    edits (with the findings they repair as their message), the other findings."""
    text = report.article.text
    removals = [(*removal_span(text, r), r.reason) for r in report.removed]
    spans = [Span(s, e, f"Remove: {why}", "MTFIX_REMOVE", "Text to remove", "document",
                  "duplication", ("",)) for s, e, why in removals]  # fmt: skip
    for edit in (e for e in report.edits if e.accepted):
        if any(_overlaps((s, e), (edit.start, edit.end)) for s, e, _ in removals):
            continue  # the paragraph is removed: its edit is not in the output
        spans += [_repair(edit, run, report.findings) for run in edit_spans(edit)]
    spans += suggestion_spans(report, [(s.start, s.end) for s in spans])
    for f in report.findings:
        if not any(_overlaps((f.start, f.end), (s.start, s.end)) for s in spans):
            spans.append(finding_span(f))
    return sorted(spans, key=lambda s: (s.start, s.end))


def suggestion_spans(report: Report, taken: list[tuple[int, int]]) -> list[Span]:
    """The runs each suggestion changes that no applied edit or removal covers."""
    spans = []
    for edit in report.suggestions:
        gain = "" if edit.preference is None else f", {edit.preference:+.1f} nats"
        message = f"Suggestion: reads better ({edit.source}{gain}; not applied)"
        for start, end, new in edit_spans(edit):
            if not any(_overlaps((start, max(end, start + 1)), t) for t in taken):
                spans.append(Span(start, end, message, _rule_id("suggest " + edit.kind),
                                  "Suggested repair", "suggestion", "style", (new,)))  # fmt: skip
    return spans


def sentence_of(report: Report, start: int) -> str:
    """The sentence holding ``start`` (the paragraph's text where none is marked)."""
    for sentence in report.article.sentences():
        if sentence.start <= start < sentence.end:
            return sentence.text
    for block in report.article.blocks():
        if block.start <= start < block.end:
            return block.text
    return ""


def _cr_positions(text: str) -> list[int] | None:
    """Where each character of ``text`` read with CRLF and lone CR as LF came from."""
    if "\r" not in text:
        return None
    positions, i = [], 0
    while i < len(text):
        positions.append(i)
        i += 2 if text.startswith("\r\n", i) else 1
    return [*positions, len(text)]


class Offsets:
    """Offsets in mtfix's text mapped to UTF-16 offsets in the document the client sent."""

    def __init__(self, document: str, positions: list[int] | None = None) -> None:
        # positions[i]: where mtfix's character i came from in ``document`` (None: the
        # same place); one more entry than mtfix's text has characters, for its end
        self.document, self.positions = document, positions
        # characters outside the BMP: two UTF-16 units each (found once, counted by bisection)
        self.astral = [i for i, c in enumerate(document) if ord(c) > 0xFFFF]

    @classmethod
    def of(cls, plain: str, document: str, to_document: list[int] | None = None) -> Offsets:
        """For ``plain`` (read by mtfix with its line ends normalised), itself taken from
        ``document`` as ``to_document`` says (None: ``plain`` is the document)."""
        read = _cr_positions(plain)
        if read is None and to_document is None:
            return cls(document)
        read = read or list(range(len(plain) + 1))
        return cls(document, [to_document[i] for i in read] if to_document else read)

    def __call__(self, index: int) -> int:
        original = index if self.positions is None else self.positions[index]
        return original + bisect_left(self.astral, original)


def lt_match(report: Report, span: Span, offsets: Offsets) -> dict:
    """One match in LanguageTool's JSON shape."""
    text = report.article.text
    left = max(0, span.start - CONTEXT)
    context = text[left : span.end + CONTEXT]
    start, end = offsets(span.start), offsets(span.end)
    return {
        "message": span.message,
        "shortMessage": SHORT if span.replacements else span.description,
        "replacements": [{"value": r} for r in span.replacements],
        "offset": start,
        "length": end - start,
        "context": {"text": context, "offset": span.start - left, "length": span.end - span.start},
        "sentence": sentence_of(report, span.start),
        "type": {"typeName": "Other"},
        "rule": {
            "id": span.rule,
            "description": span.description,
            "issueType": span.issue_type,
            "category": {"id": _rule_id(span.category), "name": span.category},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }

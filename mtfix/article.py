"""Plain typed data passed between the pipeline stages.

Every offset is a character offset into ``Article.text``: the decoded input for plain
text, or the extracted plain text for Markdown, HTML and JSON input (the report keeps
that text as ``input`` so every span can be drawn on it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Span:
    """A stretch of ``Article.text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence(Span):
    """One sentence of a paragraph."""


@dataclass(frozen=True)
class Paragraph(Span):
    """A block of text: the headline, a real paragraph, or a line of a promo block."""

    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Article:
    """A read article: its plain text, the headline and the body paragraphs."""

    text: str
    title: Paragraph | None
    paragraphs: tuple[Paragraph, ...]
    format: str = "text"

    def blocks(self) -> tuple[Paragraph, ...]:
        """The headline (if any) followed by the body paragraphs."""
        return ((self.title,) if self.title else ()) + self.paragraphs

    def sentences(self) -> list[Sentence]:
        """Every sentence, headline first, in reading order."""
        return [s for block in self.blocks() for s in block.sentences]


@dataclass(frozen=True)
class Finding:
    """Something wrong with the text, found by one detector."""

    kind: Literal["document", "sentence"]
    category: str
    start: int
    end: int
    text: str
    confidence: float
    message: str
    action: Literal["remove", "rewrite", "review"]
    detector: str
    rule: str = ""
    fix: str | None = None  # a sure, local repair: the text that replaces start..end


@dataclass(frozen=True)
class Match:
    """One grammar-checker match, shaped like LanguageTool's."""

    offset: int
    length: int
    rule_id: str
    category: str
    message: str
    replacements: tuple[str, ...] = ()
    issue_type: str = ""
    source: str = ""


@dataclass(frozen=True)
class Fix:
    """A local fix: replace ``start``..``end`` (offsets into the article) with ``text``."""

    start: int
    end: int
    text: str
    source: str  # "rules:<rule>", or the checker: "languagetool", "harper"
    rule: str = ""  # a checker's fix: the checker's rule id ("HARPER_SpellCheck")


CandidateKind = Literal["fix", "combined", "model", "search"]


@dataclass(frozen=True)
class Step:
    """One edit the search accepted (or the guard refused) inside a sentence.

    ``start``..``end``: the span it replaced, in offsets of the sentence as it was before
    this step; ``gain``: how much more likely the base LM finds the sentence with it, in
    nats (None: not scored, as without an LM); ``source``: ``lm:<kind>`` for a proposer's
    edit, ``rules:<rule>`` / the checker / the model for theirs.
    """

    source: str
    start: int
    end: int
    before: str
    after: str
    gain: float | None = None


@dataclass(frozen=True)
class Candidate:
    """A proposed replacement for one flagged sentence.

    ``kind``: one local fix, a combination of local fixes, or a model rewrite (of the
    sentence with the local fixes applied); ``fixes``: the local fixes it applies;
    ``preference``: for a model rewrite, how much more likely the model finds it than a
    copy of its input (nats; None where the backend does not say).
    """

    sentence: Sentence
    text: str
    source: str
    kind: CandidateKind = "model"
    fixes: tuple[Fix, ...] = ()
    preference: float | None = None


@dataclass(frozen=True)
class Verdict:
    """The guard's decision on one candidate, with every check it ran."""

    accepted: bool
    reason: str
    checks: dict[str, bool | float] = field(default_factory=dict)


@dataclass(frozen=True)
class Edit:
    """A candidate, the guard's verdict on it (``reason``) and the choice among candidates.

    ``accepted``: this edit is in the output (the guard accepted it and it was chosen);
    ``choice``: why it was chosen, or lost to another candidate of the same sentence.
    """

    start: int
    end: int
    before: str
    after: str
    accepted: bool
    reason: str
    source: str
    checks: dict[str, bool | float] = field(default_factory=dict)
    kind: CandidateKind = "model"
    fixes: tuple[Fix, ...] = ()
    choice: str = ""
    preference: float | None = None  # a model rewrite's gain in nats over copying its input
    steps: tuple[Step, ...] = ()  # kind "search": the edits made, in order, with their gains


@dataclass(frozen=True)
class Removal:
    """A paragraph left out of the output, and why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class SentenceGrammar:
    """Grammar issues of one input sentence, and of what it became in the output.

    ``before`` offsets point into the input, ``after`` offsets into the output; ``after``
    is None when the sentence is not in the output (removed).
    """

    start: int
    end: int
    before: list[Match]
    after: list[Match] | None
    output_start: int | None = None
    output_end: int | None = None


@dataclass
class GrammarSummary:
    """Grammar-checker matches on the input and on the output, and per sentence."""

    checker: str
    before: list[Match] = field(default_factory=list)
    after: list[Match] = field(default_factory=list)
    sentences: list[SentenceGrammar] = field(default_factory=list)


@dataclass
class Report:
    """Everything one run of ``mtfix fix`` found and did."""

    article: Article
    output: str
    findings: list[Finding]
    edits: list[Edit]
    removed: list[Removal]
    grammar: GrammarSummary
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

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
    """Whether it concerns a whole paragraph (``document``) or a sentence."""
    category: str
    """What is wrong, e.g. ``word_order``, ``missing_article``, ``repeated_headline``."""
    start: int
    """Where it starts in ``Article.text`` (a character offset)."""
    end: int
    """Where it ends in ``Article.text`` (exclusive)."""
    text: str
    """The text of ``start``..``end``."""
    confidence: float
    """How sure the detector is, from 0 to 1."""
    message: str
    """One line for a reader."""
    action: Literal["remove", "rewrite", "review"]
    """What repair does with it: remove the paragraph, rewrite the sentence, or leave it for
    review."""
    detector: str
    """The detector that found it (``rules``, ``grammar``, ``fluency``, ``document``)."""
    rule: str = ""
    """The detector's rule id, where it has rules."""
    fix: str | None = None
    """A sure, local repair: the text that replaces ``start``..``end`` (None: none)."""


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
    """``lm:<kind>`` for a proposer's edit; ``rules:<rule>``, the checker or the model for
    theirs."""
    start: int
    """Where the replaced span starts, in the sentence as it was before this step."""
    end: int
    """Where it ends (exclusive)."""
    before: str
    """The text replaced."""
    after: str
    """The text put in its place."""
    gain: float | None = None
    """How much more likely the base LM finds the sentence with it, in nats (None: not scored)."""
    score: float | None = None
    """The acceptance model's probability that the edit is good (None: accepted by margin)."""
    features: dict[str, float] | None = field(default=None, compare=False, hash=False)
    """What the acceptance looked at (``mtfix.repair.accept.features``); None without an LM."""


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


SUGGESTED = "suggested"  # an edit's ``choice`` when it is a suggestion, never applied


@dataclass(frozen=True)
class Edit:
    """A candidate, the guard's verdict on it (``reason``) and the choice among candidates.

    ``accepted``: this edit is in the output (the guard accepted it and it was chosen);
    ``choice``: why it was chosen, or lost to another candidate of the same sentence.
    """

    start: int
    """Where the edited sentence starts in ``Article.text``."""
    end: int
    """Where it ends (exclusive)."""
    before: str
    """The sentence as it was."""
    after: str
    """The sentence as the edit makes it."""
    accepted: bool
    """Whether the edit is in the output."""
    reason: str
    """The guard's verdict: why it was accepted or refused."""
    source: str
    """Where it came from: ``search``, ``rules:<rule>``, the checker, a model."""
    checks: dict[str, bool | float] = field(default_factory=dict)
    """Every check the guard ran, with its value (names kept, meaning similarity ...)."""
    kind: CandidateKind = "model"
    """``search`` (the LM-ranked search), ``fix``, ``combined`` or ``model``."""
    fixes: tuple[Fix, ...] = ()
    """The local fixes it applies."""
    choice: str = ""
    """Why it was chosen, or lost to another candidate of the same sentence."""
    preference: float | None = None
    """A model rewrite's gain in nats over copying its input (None: not measured)."""
    steps: tuple[Step, ...] = ()
    """Kind ``search``: the edits made, in order, each with its source and gain."""
    base: str | None = None
    """A suggestion (``choice`` ``suggested``): the sentence as the output has it, which
    the suggestion's ``steps`` change into ``after``."""


@dataclass(frozen=True)
class Removal:
    """A paragraph left out of the output, and why."""

    start: int
    """Where the removed paragraph starts in ``Article.text``."""
    end: int
    """Where it ends (exclusive)."""
    text: str
    """The paragraph removed."""
    reason: str
    """Why: the finding's message (a repeated headline, a promo block ...)."""


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


@dataclass(frozen=True)
class NameCluster:
    """One name as the article writes it: each form and how often, and the form the
    article pass makes the others (``canonical``)."""

    canonical: str
    """The form every mention is unified to: the fuller form at first mention, else the
    most frequent."""
    forms: dict[str, int]
    """Each way the article writes the name, with its count."""
    role: str = "surname"
    """``surname`` (or a one-word name) or ``first name`` (of the surname it precedes)."""


@dataclass(frozen=True)
class DateStyle:
    """How the article writes dates: ``month-day`` ("October 23"), ``day-month`` ("23
    October"), or "" where it cannot say; ``source``: the dateline, the majority, or none."""

    style: str
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    """Dates written in each style, before the article pass."""


@dataclass(frozen=True)
class TermVariants:
    """A repeated multi-word term written with one word different (report only)."""

    forms: dict[str, int]


@dataclass
class StyleSheet:
    """What an editor's style sheet would say of one article: its names, its date style,
    its term variants; and the findings (with fixes) that unify them."""

    names: list[NameCluster] = field(default_factory=list)
    dates: DateStyle = field(default_factory=lambda: DateStyle("", "none"))
    terms: list[TermVariants] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Report:
    """Everything one run of ``mtfix fix`` found and did."""

    article: Article
    """The input as read: its plain text (``article.text``), headline and paragraphs."""
    output: str
    """The repaired article, as ``mtfix fix`` prints it."""
    findings: list[Finding]
    """Everything the detectors found, in text order."""
    edits: list[Edit]
    """Every edit tried, accepted or refused, with its source and reason."""
    removed: list[Removal]
    """The paragraphs left out of the output, and why."""
    grammar: GrammarSummary
    """The grammar checker's matches on the input and on the output."""
    notices: list[str] = field(default_factory=list)
    """What the run wants the user to know (a checker fallen back ...)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, and per model load (``load:<name>``)."""
    versions: dict[str, str] = field(default_factory=dict)
    """Versions of mtfix and the libraries that shape the output."""
    settings: dict[str, str | bool | float] = field(default_factory=dict)
    """The profile and the settings that shaped the output (``signature`` names them all)."""
    style: StyleSheet | None = None
    """The article's style sheet (None: the article pass did not run)."""
    suggestions: list[Edit] = field(default_factory=list)
    """Edits the guard passed whose gain is under the profile's bar: shown, not applied."""

    @property
    def text(self) -> str:
        """The repaired article (``output``)."""
        return self.output

    @property
    def accepted(self) -> list[Edit]:
        """The edits that are in the output."""
        return [e for e in self.edits if e.accepted]

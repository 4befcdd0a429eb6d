"""The repair stage in one call: every chosen sentence of a batch of articles searched
together, and the outcome as the report's edits."""

from __future__ import annotations

from dataclasses import dataclass

from mtfix.article import SUGGESTED, Edit, Finding, Fix, Sentence, Step
from mtfix.check.safe_rules import SafeRules
from mtfix.detect import Analysis
from mtfix.repair.fixes import checker_fixes, rule_fixes
from mtfix.repair.propose import Proposal
from mtfix.repair.search import Outcome, Search
from mtfix.rewrite import Rewriter

FIX_KINDS = {"rules": "rules", "article": "style"}  # a fix's source prefix -> proposal kind


def fix_proposal(sentence: Sentence, fix: Fix) -> Proposal:
    """A rule's, the article pass's or a checker's fix as a proposal in the sentence's
    offsets."""
    kind = FIX_KINDS.get(fix.source.partition(":")[0], "checker")
    return Proposal(fix.start - sentence.start, fix.end - sentence.start, fix.text, kind,
                    fix.source)  # fmt: skip


def model_proposals(
    rewriter: Rewriter, sentences: list[Sentence], n_best: int
) -> list[list[Proposal]]:
    """Per sentence, the model's rewrites (its ``n_best``) as whole-sentence proposals."""
    from mtfix.repair.model import model_candidates

    found = model_candidates(rewriter, sentences, [s.text for s in sentences], n_best)
    return [
        [Proposal(0, len(s.text), c.text, "model", c.source) for c in cands]
        for s, cands in zip(sentences, found, strict=True)
    ]


def outcome_edits(outcome: Outcome) -> list[Edit]:
    """The sentence's edit in the output (its steps, in order), its suggestion (the steps
    under the bar, on top of those) and the edits the guard refused."""
    s = outcome.sentence
    made_before = outcome.refused_after or [0] * len(outcome.refused)
    refused = [  # a refused step's edit: the steps made before it, then the step
        Edit(s.start, s.end, s.text, text, False, verdict.reason, step.source, verdict.checks,
             "search", choice="rejected by the guard", preference=step.gain,
             steps=(*outcome.steps[:n], step))
        for (step, text, verdict), n in zip(outcome.refused, made_before, strict=True)
    ]  # fmt: skip
    made = _edit(outcome, outcome.applied_steps, outcome.output, "chosen")
    suggested = _edit(outcome, outcome.suggested_steps, outcome.text, SUGGESTED)
    return [e for e in (made, suggested) if e is not None] + refused


def _edit(outcome: Outcome, steps: list[Step], text: str, choice: str) -> Edit | None:
    """The edit ``steps`` make: applied (``chosen``) or a suggestion on top of the applied."""
    if not steps:
        return None
    s = outcome.sentence
    gains = [st.gain for st in steps]
    total = None if None in gains else round(sum(g for g in gains if g is not None), 3)
    source = "+".join(dict.fromkeys(st.source for st in steps))
    if choice != SUGGESTED:
        return Edit(s.start, s.end, s.text, text, True, "accepted", source, outcome.checks,
                    "search", choice=choice, preference=total, steps=tuple(steps))  # fmt: skip
    return Edit(s.start, s.end, s.text, text, False, "accepted", source,
                outcome.suggestion_checks, "search", choice=choice, preference=total,
                steps=tuple(steps), base=outcome.output)  # fmt: skip


def article_context(analysis: Analysis, sentence: Sentence, before: int = 1) -> str:
    """What the LM reads before ``sentence``: the article's headline and the ``before``
    sentences before it (as the input has them), a line each; "" for a one-line text."""
    if before <= 0:
        return ""
    article = analysis.article
    live = analysis.live_sentences()
    at = next((k for k, s in enumerate(live) if s.start == sentence.start), 0)
    title = article.title.text if article.title is not None else ""
    lines = [s.text for s in live[max(at - before, 0) : at]]
    if title and (not live or live[0].start != article.title.start) and title not in lines:
        lines.insert(0, title)
    return "\n".join(lines)


def _flagged(findings: list[Finding], sentence: Sentence) -> tuple[tuple[int, int], ...]:
    """The sentence findings' spans inside ``sentence``, in its offsets."""
    return tuple(
        (max(f.start, sentence.start) - sentence.start, min(f.end, sentence.end) - sentence.start)
        for f in findings
        if f.kind == "sentence" and f.start < sentence.end and sentence.start < f.end
    )


@dataclass
class Repair:
    """Rule and checker fixes, a model's rewrites and the proposers' edits, searched."""

    search: Search
    rules: SafeRules | None  # None: no rule or checker fixes (--no-local-fixes)
    rewriter: Rewriter | None = None
    n_best: int = 1
    context: int = 1  # sentences of the article read before each one (0: none)

    def __call__(
        self, analyses: list[Analysis], findings: list[list[Finding]], chosen: list[list[Sentence]]
    ) -> list[list[Edit]]:
        """Per article, the edits of its chosen sentences."""
        flat = [(a, f, s) for a, f, group in zip(analyses, findings, chosen, strict=True)
                for s in group]  # fmt: skip
        fixed = [self._fixes(a, f, s) for a, f, s in flat]
        if self.rewriter is not None and flat:
            models = model_proposals(self.rewriter, [s for _, _, s in flat], self.n_best)
            fixed = [f + m for f, m in zip(fixed, models, strict=True)]
        flagged = [_flagged(f, s) for _, f, s in flat]
        contexts = [article_context(a, s, self.context) for a, _, s in flat]
        outcomes = iter(self.search.run([s for _, _, s in flat], fixed, flagged, contexts))
        return [[e for _ in group for e in outcome_edits(next(outcomes))] for group in chosen]

    def _fixes(self, analysis: Analysis, findings: list[Finding], sentence: Sentence) -> list:
        if self.rules is None:
            return []
        matches = analysis.matches.get(sentence.start, [])
        found = rule_fixes(sentence, findings) + checker_fixes(sentence, matches, self.rules)
        return [fix_proposal(sentence, f) for f in found]

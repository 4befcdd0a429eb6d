"""Auxiliary edits: the "has"/"is"/"been" MT English leaves out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mtfix.guard.roles import perfect_adverb
from mtfix.repair.propose import Proposal
from mtfix.repair.propose.inflections import participle
from mtfix.repair.propose.spans import plural_subject, subject

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

AUX_DEPS = frozenset({"aux", "auxpass"})
OBJECT_DEPS = frozenset({"dobj", "obj", "ccomp"})
FINITE_TAGS = frozenset({"MD", "VBD", "VBZ", "VBP"})
ADVERB_DEPS = frozenset({"advmod", "neg"})
# Adverbs that ask for the perfect (``PERFECT_ADVERBS``): "the Ministry repeatedly stated"
# lacks "has", while a plain past ("This caused a stir") is good English and gets no "has".


def _have(plural: bool) -> tuple[str, ...]:
    return ("have" if plural else "has", "had")


def _be(subj: Token | None) -> tuple[str, ...]:
    if subj is None:
        return ("is", "are", "was", "were")
    if subj.lower_ == "i":
        return ("am", "was")
    return ("are", "were") if plural_subject(subj) else ("is", "was")


class AuxiliaryProposer:
    """Inserts a missing perfect "has"/"have"/"had", passive "is"/"was", "been", or "is to"."""

    kind = "auxiliary"

    def propose(self, doc: Doc) -> Iterator[Proposal]:
        for tok in doc:
            if tok.pos_ not in {"VERB", "AUX"}:
                continue
            yield from self._perfect(tok)
            yield from self._passive(tok)
            yield from self._been(tok)
            yield from self._infinitive(tok)

    def _perfect(self, verb: Token) -> Iterator[Proposal]:
        """(a) "the Ministry repeatedly stated" -> "the Ministry has repeatedly stated": a
        bare participle, or a past tense with an adverb of the perfect ("repeatedly")."""
        subj = subject(verb)
        if verb.tag_ not in {"VBD", "VBN"} or subj is None or subj.i > verb.i or _has_aux(verb):
            return
        if verb.tag_ == "VBD" and not perfect_adverb(verb):  # the guard's tense rule too
            return
        start = _adverbs_before(verb)
        head = verb.doc[start.i : verb.i].text_with_ws
        for aux in _have(plural_subject(subj)):
            yield self._before(start, verb, f"{aux} {head}{participle(verb)}")

    def _passive(self, verb: Token) -> Iterator[Proposal]:
        """(d) "The report published yesterday." -> "The report was published yesterday."."""
        subj = _passive_subject(verb)
        if subj is None:
            return
        start = _adverbs_before(verb)
        head = verb.doc[start.i : verb.i].text_with_ws
        for aux in _be(subj):
            yield self._before(start, verb, f"{aux} {head}{participle(verb)}")

    def _been(self, verb: Token) -> Iterator[Proposal]:
        """(c) "has not yet seen" -> "has not yet been seen" (no object after it)."""
        if verb.tag_ != "VBN" or any(c.dep_ in OBJECT_DEPS | {"auxpass"} for c in verb.children):
            return
        have = [c for c in verb.children if c.dep_ == "aux" and c.lemma_ == "have"]
        if have and _adverbs_before(verb).i == have[-1].i + 1:
            yield Proposal(verb.idx, verb.idx, "been ", self.kind)

    def _infinitive(self, verb: Token) -> Iterator[Proposal]:
        """(b) "which ... to be held next week" -> "which ... is to be held next week"."""
        if verb.dep_ not in {"ROOT", "relcl", "conj"}:
            return
        to = [c for c in verb.children if c.tag_ == "TO" and c.dep_ == "aux"]
        finite = any(c.dep_ in AUX_DEPS and c.tag_ in FINITE_TAGS for c in verb.children)
        if not to or finite:
            return
        for aux in _be(subject(verb)):
            yield Proposal(to[0].idx, to[0].idx, f"{aux} ", self.kind)

    def _before(self, start: Token, verb: Token, text: str) -> Proposal:
        return Proposal(start.idx, verb.idx + len(verb.text), text, self.kind)


def _has_aux(verb: Token) -> bool:
    return any(c.dep_ in AUX_DEPS for c in verb.children)


def _adverbs_before(verb: Token) -> Token:
    """The first of the adverbs (and "not") standing directly before the verb, or the verb."""
    start = verb
    while start.i > 0:
        prev = verb.doc[start.i - 1]
        if prev.dep_ not in ADVERB_DEPS or prev.head != verb:
            break
        start = prev
    return start


def _passive_subject(verb: Token) -> Token | None:
    """The subject of a bare participle that can only be a passive main verb."""
    if verb.tag_ not in {"VBN", "VBD"} or _has_aux(verb):
        return None
    if any(c.dep_ in OBJECT_DEPS for c in verb.children):
        return None
    if verb.dep_ == "ROOT":
        subj = subject(verb)
        return subj if subj is not None and subj.i < verb.i else None
    noun = verb.head
    if verb.dep_ == "acl" and noun.dep_ == "ROOT" and noun.pos_ in {"NOUN", "PROPN"}:
        return noun if noun.i < verb.i else None
    return None

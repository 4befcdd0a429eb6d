"""Word-order edits for MT calques of Russian order, read off the parse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mtfix.repair.propose import Proposal
from mtfix.repair.propose.spans import is_name, name_end, reorder

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
AFTER_VERB_DEPS = frozenset({"dobj", "obj", "attr", "npadvmod", "appos", "nsubj"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
ADVERBIAL_DEPS = frozenset({"prep", "advmod", "npadvmod"})
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "pobj", "attr", "ROOT"})
MODIFIER_DEPS = frozenset({"det", "amod", "compound"})
VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "neg"})


def _span(tok: Token) -> tuple[int, int]:
    """Token range of the token's subtree."""
    return tok.left_edge.i, tok.right_edge.i + 1


class OrderProposer:
    """Swaps object-verb-subject, moves an adverbial after the object, undoes "N Name"."""

    kind = "order"

    def propose(self, doc: Doc) -> Iterator[Proposal]:
        for sent in doc.sents:
            yield from self._swap(sent.root)
            yield from self._swap_wide(sent.root)
        for tok in doc:
            if tok.pos_ in {"VERB", "AUX"}:
                yield from self._adverbial(tok)
            yield from self._genitive(tok)

    def _swap(self, root: Token) -> Iterator[Proposal]:
        """(a) "X will discuss in Moscow Y" -> "Y will discuss in Moscow X"."""
        found = _clause(root)
        if found is None:
            return
        verb, (s0, s1) = found
        after = [c for c in verb.rights if c.dep_ in AFTER_VERB_DEPS and c.pos_ != "PRON"]
        for obj in reversed(after):  # the last first: spaCy often ends the object there
            o0, o1 = _span(obj)
            if s1 <= verb.i < o0 and not _names_both(verb.doc, (s0, s1), (o0, o1)):
                yield reorder(verb.doc, [(o0, o1), (s1, o0), (s0, s1)], self.kind)

    def _swap_wide(self, root: Token) -> Iterator[Proposal]:
        """(a) again, read off the word order where the parse of a long MT sentence breaks
        (two subjects, the object split): everything before the verb group swapped with a
        noun phrase after it that no preposition or conjunction introduces, to the end."""
        if root.pos_ not in {"VERB", "AUX"}:
            return
        subjects = [c for c in root.lefts if c.dep_ in SUBJECT_DEPS]
        group = min([c.i for c in root.lefts if c.dep_ in VERB_GROUP_DEPS] + [root.i])
        start = min((c.left_edge.i for c in subjects), default=group)
        end = root.sent.end - (1 if root.sent[-1].is_punct else 0)
        if not subjects or group - start < 2 or any(t.is_punct for t in root.doc[start:group]):
            return
        for chunk in root.doc.noun_chunks:
            first = chunk[0]
            if (
                root.i < first.i < end - 1
                and chunk.root.pos_ != "PRON"
                and root.doc[first.i - 1].pos_ not in {"ADP", "CCONJ", "SCONJ", "PUNCT"}
                and not _other_clause(root, first.i)
                and not _names_both(root.doc, (start, group), (first.i, end))
            ):
                yield reorder(root.doc, [(first.i, end), (group, first.i), (start, group)],
                              self.kind)  # fmt: skip

    def _adverbial(self, verb: Token) -> Iterator[Proposal]:
        """(b) "discussed in Moscow the plan" -> "discussed the plan in Moscow"."""
        obj = next((c for c in verb.rights if c.dep_ in OBJECT_DEPS), None)
        if obj is None:
            return
        o0, o1 = _span(obj)
        for adv in verb.rights:
            a0, a1 = _span(adv)
            if adv.dep_ in ADVERBIAL_DEPS and verb.i < a0 and a1 == o0:
                yield reorder(verb.doc, [(o0, o1), (a0, a1)], self.kind)

    def _genitive(self, noun: Token) -> Iterator[Proposal]:
        """(c) "Visit Name in Moscow" -> "Name's visit in Moscow", "The visit of Name in...".

        Not where a singular noun with a determiner stands before the name: that is an
        English apposition ("the writer Ludmila Ulitskaya", "the company Rosneft"). The
        calque has a bare noun (Russian has no articles: "Visit de Mistura") or a plural
        one ("the main tasks de Mistura"), since an apposition names one thing.
        """
        doc = noun.doc
        if not _common_noun(noun) or noun.i + 1 >= len(doc) or not noun.whitespace_:
            return
        end = name_end(doc, noun.i + 1)
        if end is None or (end < len(doc) and doc[end].tag_ == "POS"):
            return
        mods = _modifiers(noun)
        if mods is None:
            return
        det = [t for t in mods if t.dep_ == "det"]
        if det and noun.tag_ == "NN":
            return
        rest = [(t.i, t.i + 1) for t in mods if t.dep_ != "det"]
        name = (noun.i + 1, end)
        owner = "'" if doc[end - 1].text.endswith("s") else "'s"
        the = (det[0].i, det[0].i + 1) if det else "the"
        cover = (mods[0].i if mods else noun.i, end)
        yield reorder(doc, [name, owner, *rest, (noun.i, noun.i + 1)], self.kind, cover)
        yield reorder(doc, [the, *rest, (noun.i, noun.i + 1), "of", name], self.kind)


def _clause(root: Token) -> tuple[Token, tuple[int, int]] | None:
    """The main verb and its subject's token range, when the subject comes first.

    spaCy often reads "The agreement signed yesterday the ministers" as a noun with a
    participle (acl): the noun phrase before the participle is then taken as the subject.
    """
    if root.pos_ in {"VERB", "AUX"}:
        subj = [c for c in root.lefts if c.dep_ in SUBJECT_DEPS]
        if not subj or subj[-1].pos_ == "PRON":
            return None
        return root, _span(subj[-1])
    acl = next((c for c in root.rights if c.dep_ == "acl" and c.pos_ == "VERB"), None)
    if root.pos_ not in {"NOUN", "PROPN"} or acl is None or acl.left_edge.i <= root.i:
        return None
    return acl, (root.left_edge.i, acl.left_edge.i)


def _other_clause(root: Token, at: int) -> bool:
    """Whether a comma or another verb stands between the main verb and token ``at``: the
    noun phrase there belongs to another clause ("reported this, citing the service")."""
    between = root.doc[root.i + 1 : at]
    return any(t.is_punct or t.pos_ in {"VERB", "AUX"} for t in between)


def _names_both(doc: Doc, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether both noun phrases are bare names ("Houston praises Shakhtar"): word order
    alone then says who does what, and no LM can tell which reading the source meant."""
    return all(all(is_name(t) or t.is_punct for t in doc[a:b]) for a, b in (first, second))


def _common_noun(tok: Token) -> bool:
    """A lower-case common noun (spaCy tags a bare sentence-initial noun as a verb too)."""
    if is_name(tok) or not tok.text.isalpha():
        return False
    if not (tok.text.islower() or (tok.i == 0 and tok.text.istitle())):
        return False
    nominal_verb = tok.pos_ == "VERB" and tok.tag_ in {"VB", "NN"} and tok.dep_ in NOMINAL_DEPS
    return tok.pos_ == "NOUN" or nominal_verb


def _modifiers(noun: Token) -> list[Token] | None:
    """Determiner, adjectives and compounds directly before the noun; None after a possessive."""
    mods: list[Token] = []
    i = noun.i - 1
    while i >= 0 and noun.doc[i].head == noun and noun.doc[i].dep_ in MODIFIER_DEPS | {"poss"}:
        if noun.doc[i].dep_ == "poss" or is_name(noun.doc[i]):
            return None
        mods.insert(0, noun.doc[i])
        i -= 1
    return mods

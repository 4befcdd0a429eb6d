"""Inflection edits: every other form of a word's lemma (lemminflect's lexicon).

lemminflect is imported where used: it imports spaCy, which a bare ``Proposal`` need not.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mtfix.repair.propose import Proposal
from mtfix.repair.propose.spans import plural_subject, protected, replace, subject

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

TAGS = {
    "NOUN": ("NN", "NNS"),
    "VERB": ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"),
    "AUX": ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"),
}
# Adjectives and adverbs are not inflected: their degree is meaning ("the smaller firm"
# is not "the small firm"), and a learner's "more bigger" needs a word deleted, not a form.
# A finite verb keeps its tense: only its agreement is offered ("go" -> "goes", "was" ->
# "were"). The tense is the source's meaning, which an LM would trade for fluency ("had
# deployed" -> "have deployed", "leaves" -> "left").
TENSES = ({"VBZ", "VBP"}, {"VBD"})


_LEXICON = threading.Lock()  # lemminflect reads its tables on first use, not thread-safe
_READ = threading.Event()  # set once the tables are in


def load_lexicon() -> None:
    """Read lemminflect's tables now (0.3 s, on their first use otherwise), so that a
    background thread can do it while the models load (``mtfix.pipeline.load_stages``);
    a caller waits for a load already running in another thread."""
    if _READ.is_set():
        return
    with _LEXICON:
        from lemminflect import getAllInflections, getAllLemmas

        getAllLemmas("went", "VERB")
        getAllInflections("go", "VERB")
        _READ.set()


def lemma(tok: Token) -> str:
    """The token's lemma, from spaCy or else from lemminflect."""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(tok.lower_, tok.pos_).get(tok.pos_, ())
    if tok.lemma_.lower() in lemmas or not lemmas:
        return tok.lemma_.lower()
    return lemmas[0]


def forms(tok: Token) -> list[str]:
    """Every inflection of the token's lemma for its part of speech, its own form first."""
    from lemminflect import getAllInflections

    table = getAllInflections(lemma(tok), tok.pos_)
    tags = TAGS.get(tok.pos_, ())
    tense = next((t for t in TENSES if tok.tag_ in t), None)
    if tense is not None:
        tags = tuple(t for t in tags if t in tense)
    if tok.tag_ in PRESENT and (agreed := _agreement(tok)) is not None:
        tags = (agreed,) if agreed != tok.tag_ else ()
    if tok.pos_ == "NOUN":
        wanted = _number_cue(tok)
        tags = (wanted,) if wanted is not None and wanted != tok.tag_ else ()
    found = [f for tag in tags for f in table.get(tag, ())]
    return list(dict.fromkeys([tok.lower_, *found]))


PRESENT = frozenset({"VBZ", "VBP"})
# A noun's number is meaning ("cemeteries" are not "a cemetery"): it is changed only where
# a word of the sentence asks for the other number.
SINGULAR_CUES = frozenset("a an one this that each every another".split())
PARTITIVES = frozenset("one each some many most all none several few both".split())
PLURAL_CUES = frozenset("these those many several few both various two three four five".split())


def _number_cue(noun: Token) -> str | None:
    """The tag (NN, NNS) a determiner, numeral or present verb asks of the noun, or None."""
    for child in noun.children:
        word = child.lower_
        if child.dep_ in {"det", "nummod", "amod"} and word in SINGULAR_CUES:
            return "NN"
        if child.dep_ in {"det", "nummod", "amod"} and word in PLURAL_CUES:
            return "NNS"
        if child.dep_ == "nummod" and child.like_num and word not in {"1", "one"}:
            return "NNS"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in PARTITIVES:
        return "NNS"  # "one of the main tasks"
    verb = noun.head
    numbered = verb.tag_ in PRESENT or verb.lower_ in {"was", "were"}
    if noun.dep_ not in {"nsubj", "nsubjpass"} or not numbered or verb.lower_ in {"i", "you"}:
        return None
    if any(c.dep_ == "conj" for c in noun.children):
        return None
    return "NNS" if verb.tag_ == "VBP" or verb.lower_ == "were" else "NN"


def _agreement(verb: Token) -> str | None:
    """The present-tense tag the verb's subject asks for (None: no subject to agree with).
    "Padme makes peace" keeps "makes"; only a verb that disagrees is offered the other."""
    subj = subject(verb)
    if subj is None or subj.lower_ in {"i", "you"}:
        return None
    return "VBP" if plural_subject(subj) else "VBZ"


def participle(tok: Token) -> str:
    """The verb's past participle ("took" -> "taken"); the word itself when unknown."""
    from lemminflect import getInflection

    found = getInflection(lemma(tok), "VBN")
    return found[0] if found else tok.lower_


class InflectionProposer:
    """Offers every other inflection of nouns, verbs (auxiliaries too), adjectives, adverbs."""

    kind = "inflection"

    def propose(self, doc: Doc) -> Iterator[Proposal]:
        load_lexicon()  # at once when read; else wait for the background load
        for tok in doc:
            if _inflectable(tok):
                for form in forms(tok)[1:]:
                    yield replace(tok, form, self.kind)


MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})  # "the conflicting forces"


def _inflectable(tok: Token) -> bool:
    if tok.pos_ not in TAGS or tok.tag_ == "MD" or not tok.text.isalpha():
        return False
    if tok.pos_ in {"VERB", "AUX"} and tok.dep_ in MODIFIER_DEPS:
        return False  # a participle that modifies a noun is an adjective there
    if not (tok.text.islower() or tok.text.istitle()):
        return False
    return not protected(tok)

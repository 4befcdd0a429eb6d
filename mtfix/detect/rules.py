"""Rules written on spaCy's dependency parse for the marks of Russian-to-English MT.

Each rule reads one parsed sentence and yields ``Hit``s (token spans); ``RuleDetector``
turns them into findings with character offsets into the article. Where the fix is local
and mechanical, and the rule is sure of it, the hit carries it: the text that replaces
the hit's span (``fix``); otherwise the sentence is left to the model.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from mtfix.article import Finding
from mtfix.detect import Analysis
from mtfix.detect import lexicon as lx

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
VERBAL = frozenset({"AUX", "VERB"})
OBJECTS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "dative", "acomp", "agent"})


@dataclass(frozen=True)
class Hit:
    """One rule's match: tokens ``start``..``end`` (exclusive) of a parsed sentence."""

    start: int
    end: int
    category: str
    rule: str
    message: str
    confidence: float
    fix: str | None = None  # replaces the text of tokens start..end


def _with(doc: Doc, start: int, end: int, changes: dict[int, str]) -> str:
    """The text of tokens start..end with some tokens' text replaced ("" drops one)."""
    out = []
    for tok in doc[start:end]:
        new = changes.get(tok.i, tok.text)
        space = tok.whitespace_ if tok.i < end - 1 else ""
        out.append(new + space if new else tok.whitespace_)
    return "".join(out).replace("  ", " ").replace(" ,", ",")


def _titled(token: Token) -> bool:
    return token.text[:1].isupper() and not token.is_sent_start


def institution_case(doc: Doc) -> Iterator[Hit]:
    """'Minister of foreign Affairs', 'Russian foreign Ministry': lower-case inside a name."""
    for tok in doc:
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if not (tok.is_lower and tok.lower_ in lx.INSTITUTION_MODIFIERS and nxt is not None):
            continue
        if _titled(nxt) and nxt.lower_ in lx.INSTITUTION_HEADS:
            msg = f"'{tok.text} {nxt.text}': capitalise every word of the institution's name."
            fix = _with(doc, tok.i, nxt.i + 1, {tok.i: tok.text.capitalize()})
            yield Hit(tok.i, nxt.i + 1, "capitalization", "institution_case", msg, 0.85, fix)


def genitive_calque(doc: Doc) -> Iterator[Hit]:
    """'Visit de Mistura', 'tasks de Mistura': a noun followed straight by a name, no 'of'."""
    for tok in doc[:-2]:
        particle, name = doc[tok.i + 1], doc[tok.i + 2]
        is_noun = tok.pos_ in {"NOUN", "VERB"} or (tok.is_sent_start and tok.pos_ == "PROPN")
        if is_noun and particle.lower_ in lx.NAME_PARTICLES and name.pos_ == "PROPN":
            msg = f"'{tok.text} {particle.text} {name.text}' reads as a calque: use 'of' or 's."
            fix = _of_name(doc, tok, particle)
            yield Hit(tok.i, name.i + 1, "genitive_calque", "noun_name", msg, 0.8, fix)


def _of_name(doc: Doc, noun: Token, particle: Token) -> str | None:
    """'Visit de Mistura' -> 'The visit of de Mistura'; 'the tasks de Mistura' -> '... of ...'.

    Only for a common noun (a capitalised first word parsed as a name is left alone).
    """
    rest = _with(doc, particle.i, particle.i + 2, {})
    if noun.is_sent_start:
        common = noun.tag_ in {"NN", "NNS", "NNPS", "VB", "VBZ"} and noun.text[1:].islower()
        return f"The {noun.text.lower()} of {rest}" if common and noun.is_title else None
    return f"{noun.text} of {rest}" if noun.pos_ == "NOUN" else None


def verb_pp_object(doc: Doc) -> Iterator[Hit]:
    """'will discuss in Moscow the Minister': a phrase wedged between verb and object."""
    for verb in (t for t in doc if t.pos_ == "VERB"):
        for prep in (c for c in verb.rights if c.dep_ == "prep"):
            obj = _object_after(verb, prep)
            if obj is not None:
                msg = f"Word order: '{prep.text} ...' splits '{verb.text}' from its object."
                yield Hit(verb.i, obj.i + 1, "word_order", "verb_pp_object", msg, 0.7)


def _object_after(verb: Token, prep: Token) -> Token | None:
    """The verb's object right after ``prep``'s phrase, also when parsed as an apposition."""
    after = prep.right_edge.i + 1
    for obj in (c for c in verb.rights if c.dep_ == "dobj"):
        if obj.left_edge.i == after:
            return obj
    if any(c.dep_ == "dobj" for c in verb.children):
        return None
    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
        for appos in (c for c in pobj.rights if c.dep_ == "appos"):
            first = appos.left_edge
            if first.dep_ == "det" and not first.nbor(-1).is_punct:
                return appos
    return None


def verb_comma_object(doc: Doc) -> Iterator[Hit]:
    """'discuss with de Mistura, the implementation': the object cut off by a comma."""
    for appos in (t for t in doc if t.dep_ == "appos" and t.left_edge.i > 0):
        pobj, comma = appos.head, doc[appos.left_edge.i - 1]
        prep = pobj.head
        verb = prep.head
        if comma.text != "," or pobj.dep_ != "pobj" or prep.dep_ != "prep":
            continue
        if doc[appos.left_edge.i].lower_ not in {"the", "a", "an"} or appos.ent_type_ == "DATE":
            continue
        kids = {c.dep_ for c in verb.children}
        if verb.lemma_ in lx.TRANSITIVE_VERBS and not kids & (OBJECTS | {"auxpass"}):
            msg = f"'{verb.text}' has no object; the comma cuts it off from '{appos.text}'."
            fix = _with(doc, verb.i, appos.i + 1, {comma.i: ""})
            yield Hit(verb.i, appos.i + 1, "punctuation", "verb_comma_object", msg, 0.75, fix)


def missing_subject(doc: Doc) -> Iterator[Hit]:
    """'Partly on the efforts ... is already known': a finite clause with no subject."""
    for verb in doc:
        if verb.dep_ != "ROOT" or verb.i == 0 or doc[0].pos_ in {"VERB", "AUX", "PUNCT"}:
            continue
        finite = verb.tag_ in lx.FINITE_TAGS or any(
            c.dep_ in {"aux", "auxpass"} and c.tag_ in lx.FINITE_TAGS for c in verb.children
        )
        trailing = [c for c in verb.rights if c.dep_ not in {"punct", "cc", "conj"}]
        if finite and not trailing and not any(c.dep_ in SUBJECTS for c in verb.children):
            msg = f"'{verb.text}' has no subject: the sentence reads as a calque."
            yield Hit(doc[0].i, verb.i + 1, "word_order", "missing_subject", msg, 0.65)


def dangling_opener(doc: Doc) -> Iterator[Hit]:
    """'Expected to start work in this direction Mistura will brief': no comma after opener."""
    first = doc[0]
    if first.tag_ not in {"VBN", "VBG"} or first.dep_ not in {"advcl", "csubj"}:
        return
    nxt = first.right_edge.i + 1
    if nxt < len(doc) and doc[nxt].dep_ in SUBJECTS and first.lower_ != "according":
        msg = "The opening participle clause runs into the subject: rewrite or add a comma."
        yield Hit(first.i, nxt + 1, "word_order", "dangling_opener", msg, 0.7)


def bare_date_opener(doc: Doc) -> Iterator[Hit]:
    """'November 1, he visited': a date opening a clause without 'On'."""
    for tok in doc[:-3]:
        day, comma, subject = doc[tok.i + 1], doc[tok.i + 2], doc[tok.i + 3]
        opens = tok.i == 0 or doc[tok.i - 1].text in {":", ";"}
        is_date = tok.lower_ in lx.MONTHS and day.like_num and comma.text == ","
        if opens and is_date and (subject.dep_ in SUBJECTS or subject.pos_ == "PRON"):
            msg = f"'{tok.text} {day.text}, ...': a date opening a clause needs 'On'."
            on = "on " if tok.i > 0 and doc[tok.i - 1].text == ";" else "On "
            fix = on + _with(doc, tok.i, comma.i + 1, {})
            yield Hit(tok.i, comma.i + 1, "missing_article", "bare_date_opener", msg, 0.6, fix)


def including_that(doc: Doc) -> Iterator[Hit]:
    """'it was stated, including that ...': a calque of 'v tom chisle chto'."""
    for tok in doc[:-1]:
        if tok.lower_ == "including" and doc[tok.i + 1].lower_ == "that":
            msg = "'including that' is a calque: say what was stated directly."
            yield Hit(tok.i, tok.i + 2, "calque", "including_that", msg, 0.7)


def broken_parallelism(doc: Doc) -> Iterator[Hit]:
    """'not only develop ..., but also paving': the two halves in different forms."""
    lowers = [t.lower_ for t in doc]
    for i in range(len(doc) - 1):
        if lowers[i : i + 2] != ["not", "only"]:
            continue
        for j in range(i + 2, len(doc) - 1):
            if lowers[j : j + 2] == ["but", "also"] and j + 2 < len(doc):
                left, right = doc[i + 2], doc[j + 2]
                if _verb_form(left) != _verb_form(right):
                    msg = f"Broken parallelism: 'not only {left.text}' but 'but also {right.text}'."
                    fix = _parallel(doc, i, j + 3, left, right)
                    yield Hit(i, j + 3, "parallelism", "not_only_but_also", msg, 0.8, fix)
                break


def _parallel(doc: Doc, start: int, end: int, left: Token, right: Token) -> str | None:
    """'not only develop ..., but also paving' -> '... but also pave': the base form only."""
    if left.tag_ == "VB" and right.tag_ == "VBG" and right.lemma_.isalpha():
        return _with(doc, start, end, {right.i: right.lemma_})
    return None


def _verb_form(token: Token) -> str:
    if token.tag_ in lx.FINITE_TAGS:
        return "finite"
    return token.tag_ if token.tag_ in {"VBG", "VBN", "TO"} else "other"


def infinitive_relative(doc: Doc) -> Iterator[Hit]:
    """'which, according to ..., to be held next week': a relative clause with no finite verb."""
    for verb in doc:
        if verb.dep_ != "relcl":
            continue
        kids = list(verb.children)
        relative = any(c.dep_ in SUBJECTS and c.tag_ in {"WDT", "WP"} for c in kids)
        has_to = relative and any(c.tag_ == "TO" for c in kids)
        finite = any(c.tag_ in lx.TENSED_TAGS for c in kids) or verb.tag_ in lx.TENSED_TAGS
        if has_to and not finite:
            msg = f"The relative clause around '{verb.text}' has no finite verb (is/was missing)."
            yield Hit(verb.left_edge.i, verb.i + 1, "verb_form", "infinitive_relative", msg, 0.75)


def perfect_without_object(doc: Doc) -> Iterator[Hit]:
    """'its composition has not yet seen': a transitive perfect with no object (no 'been')."""
    for verb in doc:
        if verb.tag_ != "VBN" or verb.lemma_ not in lx.TRANSITIVE_VERBS - lx.INTRANSITIVE_TOO:
            continue
        kids = list(verb.children)
        perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in kids)
        passive = any(c.dep_ == "auxpass" for c in kids)
        subject = next((c for c in kids if c.dep_ == "nsubj"), None)
        inanimate = subject is not None and subject.pos_ == "NOUN"
        if perfect and not passive and inanimate and not any(c.dep_ in OBJECTS for c in kids):
            msg = f"'{verb.text}' has no object: probably a passive ('been {verb.text}') is meant."
            start = subject.left_edge.i
            # sure only where the participle ends its clause ("has not yet seen."); with a
            # complement after it ("forces have submitted to the east") it may be active
            ends = not any(not c.is_punct for c in verb.rights)
            fix = _with(doc, start, verb.i + 1, {verb.i: "been " + verb.text}) if ends else None
            yield Hit(start, verb.i + 1, "verb_form", "perfect_no_object", msg, 0.7, fix)


def parenthetical_adverb(doc: Doc) -> Iterator[Hit]:
    """', possibly, will promote': a comma-fenced sentence adverb before the verb."""
    for tok in doc[1:-2]:
        before, after = doc[tok.i - 1], doc[tok.i + 1]
        fenced = before.text == after.text == ","
        if tok.lower_ in lx.CALQUE_PARENTHETICALS and fenced and doc[tok.i + 2].pos_ in VERBAL:
            msg = f"', {tok.text},' before the verb is a calque; move or drop it."
            fix = _adverb_after_verb(doc, tok)  # its span takes in the auxiliary it moves past
            end = after.i + (2 if fix else 1)
            yield Hit(before.i, end, "word_order", "parenthetical_adverb", msg, 0.55, fix)


def _adverb_after_verb(doc: Doc, adverb: Token) -> str | None:
    """', possibly, will promote' -> ' will possibly': the adverb after the auxiliary.

    Replaces the span from the first comma to the auxiliary; a main verb (no auxiliary)
    is left to the model.
    """
    verb = doc[adverb.i + 2]
    if verb.pos_ != "AUX" or verb.i + 1 >= len(doc) or doc[verb.i + 1].pos_ != "VERB":
        return None
    return f" {verb.text} {adverb.lower_}"


def untranslated_word(doc: Doc) -> Iterator[Hit]:
    """'met with Лавров': a word left in another script by the translation."""
    for tok in doc:
        if tok.is_alpha and not _latin(tok.text):
            msg = f"'{tok.text}' was left untranslated (not in the Latin alphabet)."
            yield Hit(tok.i, tok.i + 1, "untranslated", "untranslated_word", msg, 0.7)


def _latin(word: str) -> bool:
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in word if ch.isalpha())


RULES: tuple[Callable[[Doc], Iterator[Hit]], ...] = (
    institution_case,
    genitive_calque,
    verb_pp_object,
    verb_comma_object,
    missing_subject,
    dangling_opener,
    bare_date_opener,
    including_that,
    broken_parallelism,
    infinitive_relative,
    perfect_without_object,
    parenthetical_adverb,
    untranslated_word,
)


class RuleDetector:
    """Runs every parser rule over every live sentence."""

    name = "rules"

    def __init__(self, rules: tuple[Callable[[Doc], Iterator[Hit]], ...] = RULES) -> None:
        self.rules = rules

    def detect(self, analysis: Analysis) -> list[Finding]:
        """One finding per hit, offsets mapped from tokens to the article's characters."""
        findings = []
        for sentence in analysis.live_sentences():
            doc = analysis.docs[sentence.start]
            if not len(doc):
                continue
            for rule in self.rules:
                findings.extend(_to_finding(hit, doc, sentence.start) for hit in rule(doc))
        return findings


def _to_finding(hit: Hit, doc: Doc, offset: int) -> Finding:
    span = doc[hit.start : hit.end]
    return Finding(
        kind="sentence",
        category=hit.category,
        start=offset + span.start_char,
        end=offset + span.end_char,
        text=span.text,
        confidence=hit.confidence,
        message=hit.message,
        action="rewrite",
        detector="rules",
        rule=hit.rule,
        fix=hit.fix,
    )

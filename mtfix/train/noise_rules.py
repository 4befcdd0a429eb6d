"""Syntactic corruptions on a spaCy parse: each rule lists the places where good English can
be turned into a mark of Russian-to-English MT (the calques ``mtfix.detect.rules`` detects).

A rule returns candidate ``Edit``s (character offsets into ``doc.text``); it never edits.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from mtfix.detect import lexicon as lx

ARTICLES = frozenset({"a", "an", "the"})
NOUNS = frozenset({"NOUN", "PROPN"})
CLOSING = frozenset(",.;:!?%)]}")
# Common nouns that end multiword names ("United Nations", "State Duma", "Communist Party").
NAME_NOUNS = lx.INSTITUTION_HEADS | frozenset(
    """nations union states federation kingdom republic party court front bank fund army navy
    guard police university academy institute organization organisation church forum summit
    conference treaty agreement convention communiqué declaration charter movement alliance
    coalition group company corporation airlines railways news times post square street
    avenue river sea ocean lake mountains region district province city island islands
    peninsula gulf bay republics emirates""".split()
)
# Adverbs whose move changes the meaning or breaks a fixed phrase.
NOT_SWAPPED = frozenset("not never only so as too very how when where why there then".split())
SWAP_WITH = frozenset({"ADV", "VERB", "AUX", "ADJ"})
HAVE = frozenset({"has", "have", "had"})
WILL = frozenset({"will", "would", "shall"})
BE = frozenset({"is", "are", "was", "were"})
MAX_MOVED = 6  # longest PP moved before an object
MAX_PHRASE = 12  # longest subject or object swapped
_NUM = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace characters ``start``..``end`` of the sentence with ``text``."""

    start: int
    end: int
    text: str


def _names(text: str) -> Counter[str]:
    return Counter(
        w.lower() for w in _WORD.findall(text) if w[0].isupper() and w.lower() not in STOP_WORDS
    )


def keeps_names(old: str, new: str) -> bool:
    """True when ``new`` has the same numbers and, case aside, the same names as ``old``."""
    if sorted(_NUM.findall(old)) != sorted(_NUM.findall(new)):
        return False
    for a, b in ((old, new), (new, old)):
        words = Counter(w.lower() for w in _WORD.findall(b))
        if any(words[w] < n for w, n in _names(a).items()):
            return False
    return True


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _moved(span: Span) -> str:
    """A span's text for a new position: a sentence-initial common word is lower-cased."""
    first = span[0]
    if first.i == 0 and first.pos_ != "PROPN" and first.text != "I":
        return first.text[:1].lower() + span.text[1:]
    return span.text


def delete_chars(text: str, start: int, end: int) -> Edit:
    """Delete ``text[start:end]`` (whole words) and the spaces around it, leaving one space
    between the neighbours, none at either end of the text or before closing punctuation."""
    s, e = start, end
    while s > 0 and text[s - 1].isspace():
        s -= 1
    while e < len(text) and text[e].isspace():
        e += 1
    spaced = (s < start or e > end) and s > 0 and e < len(text) and text[e] not in CLOSING
    return Edit(s, e, " " if spaced else "")


def delete(doc: Doc, start: int, end: int) -> Edit:
    """Delete tokens ``start``..``end`` of ``doc``."""
    return delete_chars(doc.text, doc[start].idx, _end(doc[end - 1]))


def drop_article(doc: Doc) -> list[Edit]:
    """(b) 'the plan' -> 'plan': an article dropped before its noun (Russian has none)."""
    return [
        delete(doc, t.i, t.i + 1)
        for t in doc
        if t.lower_ in ARTICLES
        and t.dep_ == "det"
        and t.head.pos_ in NOUNS
        and t.head.i > t.i
        and t.whitespace_
    ]


def genitive_calque(doc: Doc) -> list[Edit]:
    """(c) 'the visit of Lavrov' -> 'visit Lavrov', "Lavrov's visit" -> 'visit Lavrov'."""
    out = []
    for of in doc:
        noun = of.head
        if of.lower_ != "of" or of.dep_ != "prep" or noun.pos_ != "NOUN" or noun.i != of.i - 1:
            continue
        if not any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in of.children):
            continue
        first = noun.left_edge
        dropped = first.lower_ in ARTICLES and first.head == noun and first.i < noun.i
        keep = doc[first.i + 1 : noun.i + 1] if dropped else doc[first.i : noun.i + 1]
        out.append(Edit(first.idx, of.idx + len(of.text_with_ws), keep.text + noun.whitespace_))
    for case in doc:
        owner, noun = case.head, case.head.head
        if case.tag_ != "POS" or owner.dep_ != "poss" or owner.pos_ != "PROPN":
            continue
        if noun.pos_ != "NOUN" or noun.i <= case.i or noun.left_edge != owner.left_edge:
            continue
        rest, first = doc[case.i + 1 : noun.i + 1].text, owner.left_edge
        out.append(Edit(first.idx, _end(noun), f"{rest} {_moved(doc[first.i : case.i])}"))
    return out


def institution_case(doc: Doc) -> list[Edit]:
    """(d) 'Ministry of Foreign Affairs' -> 'Ministry of foreign Affairs', 'foreign Ministry'."""
    return [
        Edit(t.idx, _end(t), t.lower_)
        for t in doc[1:-1]
        if t.lower_ in lx.INSTITUTION_MODIFIERS
        and t.is_title
        and doc[t.i + 1].is_title
        and doc[t.i + 1].lower_ in lx.INSTITUTION_HEADS
    ]


def _pp(prep: Token) -> bool:
    return prep.dep_ == "prep" and any(c.dep_ == "pobj" for c in prep.children)


def _object_then_pp(doc: Doc) -> Iterator[tuple[Span, Span]]:
    """'discussed [the plan] [with Lavrov]': a verb's object and the PP right after it, the
    verb's own or (the small parser's habit) the object noun's, 'of' phrases aside; the PP
    is at most ``MAX_MOVED`` tokens long."""
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
        if obj is None or obj.pos_ not in NOUNS or obj.left_edge.i != verb.i + 1:
            continue
        after = obj.right_edge.i + 1
        prep = next((p for p in verb.rights if p.i == after and _pp(p)), None)
        if prep is not None:
            cut, end = after, prep.right_edge.i + 1
        else:
            inner = [p for p in obj.rights if _pp(p) and p.i == obj.i + 1 and p.lower_ != "of"]
            if not inner or inner[0].right_edge != obj.right_edge:
                continue
            cut, end = inner[0].i, after
        if end - cut <= MAX_MOVED:
            yield doc[obj.left_edge.i : cut], doc[cut:end]


def comma_object(doc: Doc) -> list[Edit]:
    """(e) 'discussed the plan with X' (or 'with X the plan') -> 'discussed with X, the plan'."""
    out = [Edit(o.start_char, p.end_char, f"{p.text}, {o.text}") for o, p in _object_then_pp(doc)]
    for prep in doc:
        verb = prep.head
        if prep.dep_ != "prep" or verb.pos_ != "VERB" or prep.i != verb.i + 1:
            continue
        after = prep.right_edge.i + 1
        for obj in verb.rights:
            if obj.dep_ == "dobj" and obj.pos_ in NOUNS and obj.left_edge.i == after:
                out.append(Edit(_end(doc[after - 1]), doc[after].idx, ", "))
    return out


def pp_before_object(doc: Doc) -> list[Edit]:
    """(f) 'will discuss the plan in Moscow' -> 'will discuss in Moscow the plan'."""
    return [Edit(o.start_char, p.end_char, f"{p.text} {o.text}") for o, p in _object_then_pp(doc)]


def ing_form(lemma: str) -> str:
    """'pave' -> 'paving', 'plan' -> 'planning', 'develop' -> 'developing'."""
    w = lemma.lower()
    if w == "be" or w.endswith(("ee", "ye", "oe")):
        return w + "ing"
    if w.endswith("ie"):
        return w[:-2] + "ying"
    if w.endswith("e"):
        return w[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", w):
        return w + w[-1] + "ing"
    return w + "ing"


def _lemma(verb: Token) -> str:
    """The base form of a VB/VBP/VBZ verb (no lemmatizer needed: it is disabled for speed)."""
    w = verb.lower_
    if verb.tag_ != "VBZ" or not w.endswith("s"):
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-2] if w.endswith(("sses", "shes", "ches", "xes", "zes", "oes")) else w[:-1]


def broken_parallelism(doc: Doc) -> list[Edit]:
    """(g) 'not only develop ..., but also pave' -> '..., but also paving'."""
    low = [t.lower_ for t in doc]
    out = []
    for i in range(len(doc) - 1):
        if low[i : i + 2] != ["not", "only"]:
            continue
        j = next((j for j in range(i + 2, len(doc) - 2) if low[j : j + 2] == ["but", "also"]), None)
        if j is not None and doc[j + 2].tag_ in {"VB", "VBP", "VBZ"} and doc[j + 2].is_alpha:
            verb = doc[j + 2]
            out.append(Edit(verb.idx, _end(verb), ing_form(_lemma(verb))))
    return out


def _next_lower(t: Token) -> str:
    return t.doc[t.i + 1].lower_ if t.i + 1 < len(t.doc) else ""


def dropped_auxiliary(doc: Doc) -> list[Edit]:
    """(h) 'has been seen' -> 'has seen', 'is expected' -> 'expected', 'will be' -> 'to be'."""
    out = []
    for t in doc:
        if t.dep_ == "auxpass" and t.i > 0 and (t.lower_ == "been" or t.lower_ in BE):
            kids = {c.lower_ for c in t.head.children if c.dep_ == "aux"}
            if (kids & HAVE) if t.lower_ == "been" else not kids:
                out.append(delete(doc, t.i, t.i + 1))
        elif t.dep_ == "aux" and t.lower_ in WILL and t.i > 0 and _next_lower(t) == "be":
            out.append(Edit(t.idx, _end(t), "to"))
    return out


def _clause_end(verb: Token) -> int:
    """Where the verb's clause ends: before its closing punctuation."""
    end = verb.right_edge.i + 1
    while end > verb.i + 1 and verb.doc[end - 1].is_punct:
        end -= 1
    return end


def subject_after_verb(doc: Doc) -> list[Edit]:
    """(j) 'Lavrov will discuss the plan in Moscow.' -> 'The plan will discuss in Moscow
    Lavrov.': Russian's object-verb-subject order kept word for word. Only a main verb's
    sentence-initial noun subject and its noun object, each at most ``MAX_PHRASE`` tokens."""
    out = []
    for verb in doc:
        subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
        obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
        if verb.dep_ != "ROOT" or subj is None or obj is None:
            continue
        if subj.pos_ not in NOUNS or obj.pos_ not in NOUNS or subj.left_edge.i != 0:
            continue
        s, o = doc[: subj.right_edge.i + 1], doc[obj.left_edge.i : obj.right_edge.i + 1]
        end = _clause_end(verb)
        if max(len(s), len(o)) > MAX_PHRASE or o.end > end or "," in doc[:end].text:
            continue
        middle, rest = doc[s.end : o.start].text, doc[o.end : end].text
        text = " ".join(p for p in (o.text, middle, rest, _moved(s)) if p)
        out.append(Edit(0, _end(doc[end - 1]), text))
    return out


def name_case(doc: Doc) -> list[Edit]:
    """(i) 'United Nations' -> 'United nations', 'State Duma' -> 'State duma'."""
    return [
        Edit(t.idx, _end(t), t.lower_)
        for prev, t in itertools.pairwise(doc)
        if t.is_title
        and t.lower_ in NAME_NOUNS
        and t.pos_ == prev.pos_ == "PROPN"
        and prev.is_title
    ]


def _swappable(a: Token, b: Token) -> bool:
    pos = {a.pos_, b.pos_}
    adverb = "ADV" in pos and pos <= SWAP_WITH and not {a.lower_, b.lower_} & NOT_SWAPPED
    return adverb or (a.pos_ == "ADJ" and b.pos_ == "NOUN" and a.head == b)


def swap_words(doc: Doc) -> list[Edit]:
    """(j) 'was also seen' -> 'also was seen', 'previous meetings' -> 'meetings previous'."""
    return [
        Edit(a.idx, _end(b), f"{b.text} {_moved(doc[a.i : a.i + 1])}")
        for a, b in itertools.pairwise(doc)
        if a.is_alpha and b.is_alpha and a.whitespace_ == " " and _swappable(a, b)
    ]


RULES: dict[str, Callable[[Doc], list[Edit]]] = {
    "drop_article": drop_article,
    "genitive_calque": genitive_calque,
    "institution_case": institution_case,
    "comma_object": comma_object,
    "pp_before_object": pp_before_object,
    "broken_parallelism": broken_parallelism,
    "dropped_auxiliary": dropped_auxiliary,
    "subject_after_verb": subject_after_verb,
    "name_case": name_case,
    "swap_words": swap_words,
}

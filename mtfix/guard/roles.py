"""Who did what: each verb's core arguments, read off the parse before and after an edit.

A word-order edit that swaps subject and object keeps every word, so the guard's other
rules let it through; yet "The tenants evicted the landlord" -> "The landlord evicted the
tenants" reverses the meaning. So an edit may not move a verb's argument from one core role
(subject, object, copular complement, agent) to another.

The one exception is the repair of Russian object-verb-subject order, and only where the
*original* parse itself shows that order for the verb (``russian_order``): an adverbial
between the verb and the noun phrase after it ("will discuss in Moscow the Minister"), a
subject after its verb outside a question or a reporting clause, or two subjects (a parse
the MT order broke). An unusual meaning ("The postman bit the dog") is no such evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A passive's subject is a role of its own ("The students were fined" is not "The students
# fined"), except where the doer stays as a "by" agent: then the passive subject is the
# active's object and the agent its subject ("The university was fined by the students"
# is "The students fined the university").
PASSIVE = "passive subject"

ROLES = {
    "nsubj": "subject", "nsubjpass": PASSIVE, "csubj": "subject", "csubjpass": PASSIVE,
    "dobj": "object", "obj": "object", "dative": "object",
    "attr": "complement", "oprd": "complement", "acomp": "complement",
}  # fmt: skip
ADVERBIAL_DEPS = frozenset({"prep", "advmod", "npadvmod"})
NOMINAL_AFTER = frozenset({"dobj", "obj", "attr", "nsubj", "nsubjpass", "appos"})
REPORTING_DEPS = frozenset({"ccomp", "parataxis"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nummod", "poss", "nmod"})

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
NO_OBJECT_ROLES = frozenset({"object", "complement"})  # what a dropped auxiliary leaves out

Argument = tuple[str, str, str]  # (verb lemma, role, argument lemma)


def arguments(doc: Doc) -> set[Argument]:
    """Every (verb, role, argument) of the parse, a passive with an agent read as its active
    (``PASSIVE``). Verbs and arguments are keyed both by lemma and by word (spaCy lemmatises
    "bit" one way in one parse and another way in the next), an argument with its modifiers
    ("junior minister" is not "prime minister")."""
    found = set()
    for tok in doc:
        role, verb = _role(tok)
        if role is not None and verb is not tok:
            found |= {(v, role, a) for v in _keys(verb) for a in _argument_keys(tok)}
    return found


def _role(tok: Token) -> tuple[str | None, Token]:
    """The core role ``tok`` holds and the verb it holds it at."""
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        return "subject", tok.head.head
    role = ROLES.get(tok.dep_)
    if role == PASSIVE and any(c.dep_ == "agent" for c in tok.head.children):
        return "object", tok.head
    return role, tok.head


def _keys(tok: Token) -> set[str]:
    return {tok.lemma_.lower(), tok.lower_}


def _argument_keys(tok: Token) -> set[str]:
    mods = " ".join(c.lower_ for c in tok.lefts if c.dep_ in MODIFIER_DEPS)
    return {f"{mods} {key}".strip() for key in _keys(tok)}


def reassigned(before: Doc, after: Doc) -> list[str]:
    """Verbs (lemmas or words) one of whose arguments took another core role in ``after``,
    or whose core role another phrase of the sentence took over ("Such fruits sell them
    ..., 5.1.9" -> "5.1.9 sell them ..., such fruits")."""
    was, now = arguments(before), arguments(after)
    held, holds = _by_role(was), _by_role(now)
    moved = {
        verb
        for verb, role, arg in was - now
        if any(v == verb and a == arg and r != role and not _auxiliary_restored(held, verb, role, r)
               for v, r, a in now)
    }  # fmt: skip
    words = {t.lower_ for t in before} | {t.lemma_.lower() for t in before}
    for slot in held.keys() & holds.keys():
        if _taken_over(held[slot], holds[slot], words):
            moved.add(slot[0])
    return sorted(moved)


def _auxiliary_restored(
    held: dict[tuple[str, str], set[str]], verb: str, was: str, now: str
) -> bool:
    """A subject become a passive subject at a verb that had no object: the participle of
    a passive whose auxiliary the MT dropped ("Its composition has not yet seen" -> "...
    has not yet been seen"). With an object the active reading is the meaning ("The
    students fined the university" is not "The students were fined the university")."""
    if (was, now) != ("subject", PASSIVE):
        return False
    return not any((verb, role) in held for role in NO_OBJECT_ROLES)


def _taken_over(old: set[str], new: set[str], words: set[str]) -> bool:
    """Whether another word of the sentence now heads a role: no word is shared between the
    two sides' phrases ("Contacts de Mistura" parsed with "Mistura" as head still shares
    "contacts" with "The contacts of de Mistura")."""
    old_words = {w for key in old for w in key.split()}
    new_words = {w for key in new for w in key.split()}
    heads = {key.split()[-1] for key in new}
    return not old_words & new_words and bool(heads & words)


def _by_role(found: set[Argument]) -> dict[tuple[str, str], set[str]]:
    """The argument keys of each (verb, role)."""
    out: dict[tuple[str, str], set[str]] = {}
    for verb, role, arg in found:
        out.setdefault((verb, role), set()).add(arg)
    return out


def russian_order(doc: Doc, verb_lemma: str) -> bool:
    """Whether the parse shows MT's object-verb-subject order at a verb of that lemma."""
    return any(
        _order_evidence(tok)
        for tok in doc
        if verb_lemma in _keys(tok) and tok.pos_ in {"VERB", "AUX"}
    )


def _order_evidence(verb: Token) -> bool:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if len(subjects) > 1:
        return True  # two subjects: the parse the MT order broke
    if any(s.i > verb.i for s in subjects) and not _inverted_normally(verb):
        return True
    rights = list(verb.rights)
    return any(
        c.dep_ in ADVERBIAL_DEPS and any(n.dep_ in NOMINAL_AFTER for n in rights[k + 1 :])
        for k, c in enumerate(rights)
    )


def _inverted_normally(verb: Token) -> bool:
    """English puts the subject after the verb in questions, after a quotation or reported
    clause ("..., said the minister") and after "there", "here" or "so"."""
    sent = verb.sent
    if sent.text.rstrip().endswith("?"):
        return True
    if any(c.dep_ in REPORTING_DEPS or c.is_quote for c in verb.lefts):
        return True
    return any(c.dep_ in {"expl", "advmod"} and c.i < verb.i for c in verb.children)


def roles_kept(before: Doc, after: Doc) -> bool:
    """The guard's rule: no argument changes role, except at a verb in Russian order, and
    a sentence with a main clause keeps one ("The student corrected the professor" is
    not "The student who corrected the professor")."""
    if _has_main_clause(before) and not _has_main_clause(after):
        return False
    return all(russian_order(before, verb) for verb in reassigned(before, after))


def _has_main_clause(doc: Doc) -> bool:
    """A sentence root that is a verb with a subject of its own."""
    return any(
        s.root.pos_ in {"VERB", "AUX"} and any(c.dep_ in SUBJECT_DEPS for c in s.root.children)
        for s in doc.sents
    )  # fmt: skip


PERFECT_ADVERBS = frozenset(
    "already ever never repeatedly recently yet just lately since always".split()
)


def tense_kept(before: Doc, after: Doc) -> bool:
    """A plain past stays a plain past: "This caused a stir" is good English, and "This
    has caused a stir" says something else. The perfect is a repair only where an adverb
    of the perfect asks for it ("the Ministry repeatedly stated")."""
    plain = {t.lower_ for t in before if t.tag_ == "VBD" and not _auxiliaries(t)
             and not perfect_adverb(t)}  # fmt: skip
    return not any(
        t.lower_ in plain and any(a.lemma_ == "have" for a in _auxiliaries(t))
        for t in after if t.tag_ == "VBN"
    )


def _auxiliaries(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]


def perfect_adverb(verb: Token) -> bool:
    return any(c.dep_ == "advmod" and c.lower_ in PERFECT_ADVERBS for c in verb.children)

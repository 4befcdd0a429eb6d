"""Local repairs: each rule's fix, the checkers' allow-list, and the choice among candidates."""

from __future__ import annotations

import pytest

from mtfix.article import Edit, Fix, Sentence
from mtfix.check.safe_rules import SafeRules
from mtfix.detect import rules
from mtfix.nlp import load_spacy
from mtfix.repair.fixes import apply_fixes, checker_fixes
from mtfix.repair.model import keep_ending, model_candidates

# (rule, a sentence it fixes, the fixed sentence, a sentence it flags but must leave alone)
FIXES = [
    (
        rules.institution_case,
        "He met the Minister of foreign Affairs of Russia.",
        "He met the Minister of Foreign Affairs of Russia.",
        None,
    ),
    (
        rules.genitive_calque,
        "Visit de Mistura in Moscow will continue diplomatic efforts.",
        "The visit of de Mistura in Moscow will continue diplomatic efforts.",
        "Ivan de Mistura will continue diplomatic efforts.",  # a name, not a noun
    ),
    (
        rules.verb_comma_object,
        "Lavrov will discuss with de Mistura, the implementation of the communiqué.",
        "Lavrov will discuss with de Mistura the implementation of the communiqué.",
        None,
    ),
    (
        rules.bare_date_opener,
        "November 1, he visited Damascus.",
        "On November 1, he visited Damascus.",
        None,
    ),
    (
        rules.broken_parallelism,
        "Contacts not only develop the successes, but also paving the way.",
        "Contacts not only develop the successes, but also pave the way.",
        "They not only developing the plan, but also pave the way.",  # -ing needs inflection
    ),
    (
        rules.perfect_without_object,
        "Its composition has not yet seen.",
        "Its composition has not yet been seen.",
        "The forces have submitted to the east of the country.",  # MLQE-PE ro-en: active
    ),
    (
        rules.parenthetical_adverb,
        "Discussion of the results, possibly, will promote understanding.",
        "Discussion of the results will possibly promote understanding.",
        "Discussion of the results, possibly, promotes understanding.",  # no auxiliary
    ),
]
GOOD = [
    "He met the Minister of Foreign Affairs of Russia.",
    "The visit of de Mistura will continue diplomatic efforts.",
    "On November 1, he visited Damascus.",
    "Its composition has not yet been decided.",
    "At the complex, the Touring competitions have concluded.",  # WMT21: fine intransitive
    "Contacts not only develop the successes but also pave the way.",
]


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


def _fixed(rule, nlp, text: str) -> list[str]:
    """The sentence with each fix the rule offers applied."""
    doc = nlp(text)
    sentence = Sentence(0, len(text), text)
    out = []
    for hit in rule(doc):
        span = doc[hit.start : hit.end]
        if hit.fix is not None:
            out.append(apply_fixes(sentence, [Fix(span.start_char, span.end_char, hit.fix, "r")]))
    return out


@pytest.mark.parametrize(
    ("rule", "bad", "good", "unsure"), FIXES, ids=[f[0].__name__ for f in FIXES]
)
def test_each_rule_fixes_its_calque(nlp, rule, bad: str, good: str, unsure: str | None) -> None:
    assert _fixed(rule, nlp, bad) == [good]
    if unsure is not None:
        assert list(rule(nlp(unsure))), "the rule should still report it"
        assert _fixed(rule, nlp, unsure) == []


@pytest.mark.parametrize("text", GOOD)
def test_no_rule_changes_good_english(nlp, text: str) -> None:
    assert all(_fixed(rule, nlp, text) == [] for rule in rules.RULES)


def test_harper_fixes_follow_the_allow_list(harper_checker) -> None:
    text = "He go to a office and recieved the the letter from Moskow."
    sentence = Sentence(0, len(text), text)
    matches = harper_checker.check(text)
    fixed = apply_fixes(sentence, checker_fixes(sentence, matches, SafeRules()))
    assert fixed == "He go to an office and recieved the letter from Moskow."  # no spelling
    more = ("HARPER_SpellCheck", "HARPER_PronounVerbAgreement")
    fixed = apply_fixes(sentence, checker_fixes(sentence, matches, SafeRules.configured(more)))
    assert fixed == "He goes to an office and received the letter from Moskow."  # name kept
    denied = SafeRules.configured(deny=("HARPER_AnA",))
    fixed = apply_fixes(sentence, checker_fixes(sentence, matches, denied))
    assert fixed == "He go to a office and recieved the letter from Moskow."
    assert {f.source for f in checker_fixes(sentence, matches, SafeRules())} == {"harper"}


def test_accents_are_never_spelled_away(harper_checker) -> None:
    text = "The Vienna communiqué on Syria was signed."
    sentence = Sentence(0, len(text), text)
    assert checker_fixes(sentence, harper_checker.check(text), SafeRules()) == []


def _e(
    after: str, kind: str, accepted: bool = True, source: str = "", fixes=(), preference=None
) -> Edit:
    reason = "accepted" if accepted else "names"
    return Edit(
        0, 9, "He go to.", after, accepted, reason, source or kind, {}, kind, fixes, "", preference
    )


@pytest.mark.parametrize(
    ("source", "rewrite", "kept"),
    [
        ("Activision plans to grow, says Kotick", "Activision plans to grow, Kotick says.",
         "Activision plans to grow, Kotick says"),
        ("She thought the Earth was flat,", "She thought the Earth was flat.",
         "She thought the Earth was flat,"),
        ("Is it flat?", "Is it flat", "Is it flat?"),
        ("He went.", "He went .", "He went."),
        ('So he said. "', "So he said.", 'So he said. "'),
        ("He went.", "...", "..."),
    ],
)  # fmt: skip
def test_a_rewrite_ends_as_its_segment_does(source: str, rewrite: str, kept: str) -> None:
    assert keep_ending(source, rewrite) == kept


class _Scoring:
    name = "scoring"

    def __init__(self) -> None:
        self.scored: list[tuple[str, str]] = []

    def rewrite(self, texts: list[str]) -> list[str]:
        return [t.replace("go", "goes") + "." for t in texts]

    def preference(self, sources: list[str], rewrites: list[str]) -> list[float]:
        self.scored += list(zip(sources, rewrites, strict=True))
        return [float(len(r)) for r in rewrites]


def test_model_candidates_carry_the_preference_of_changed_rewrites_only() -> None:
    texts = ["He go", "It is fine"]
    sentences = [Sentence(0, 5, texts[0]), Sentence(6, 16, texts[1])]
    rewriter = _Scoring()
    cands = [c for group in model_candidates(rewriter, sentences, texts) for c in group]
    assert [c.text for c in cands] == ["He goes", "It is fine"]  # no full stop gained
    assert [c.preference for c in cands] == [7.0, None]
    assert rewriter.scored == [("He go", "He goes")]

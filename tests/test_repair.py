"""Local repairs: each rule's fix, the checkers' allow-list, and the choice among candidates."""

from __future__ import annotations

import pytest

from mtfix.article import Edit, Fix, Sentence
from mtfix.check.safe_rules import SafeRules
from mtfix.detect import rules
from mtfix.nlp import load_spacy
from mtfix.repair.candidates import combination, local_candidates
from mtfix.repair.choose import MARGIN, MIN_PREFERENCE, choose, texts_to_score
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


def test_fixes_alone_and_combined() -> None:
    text = "He go to a office."
    s = Sentence(10, 10 + len(text), text)
    go, a, overlap = Fix(13, 15, "goes", "x"), Fix(19, 20, "an", "y"), Fix(13, 18, "went", "z")
    cands = local_candidates(s, [go, a, overlap])
    assert [c.text for c in cands] == [
        "He goes to a office.", "He go to an office.", "He went a office.", "He goes to an office.",
    ]  # fmt: skip
    assert cands[-1].kind == "combined" and cands[-1].source == "x+y"
    assert combination(s, [go]) is None


def _e(
    after: str, kind: str, accepted: bool = True, source: str = "", fixes=(), preference=None
) -> Edit:
    reason = "accepted" if accepted else "names"
    return Edit(
        0, 9, "He go to.", after, accepted, reason, source or kind, {}, kind, fixes, "", preference
    )


def test_choice_prefers_sure_fixes_unless_the_model_reads_clearly_better() -> None:
    f1, f2 = Fix(3, 5, "goes", "a"), Fix(6, 8, "to it", "b")
    edits = [
        _e("He goes to.", "fix", fixes=(f1,)),
        _e("He go to it.", "fix", fixes=(f2,)),
        _e("He goes to it.", "combined", fixes=(f1, f2)),
        _e("He is going.", "model"),
        _e("She goes.", "model", accepted=False),
    ]
    close = {"He go to.": 0.0, "He goes to it.": 1.0, "He is going.": 1.0 + MARGIN / 2}
    chosen = choose(edits, close)
    assert [e.accepted for e in chosen] == [False, False, True, False, False]
    assert chosen[0].choice == "combined into combined"
    assert chosen[3].choice.startswith("lost to combined (SLOR")
    assert chosen[4].choice == "rejected by the guard"
    clear = {"He go to.": 0.0, "He goes to it.": 1.0, "He is going.": 1.0 + 2 * MARGIN}
    assert [e.accepted for e in choose(edits, clear)] == [False, False, False, True, False]
    assert [e.accepted for e in choose(edits, None)] == [False, False, False, True, False]
    assert texts_to_score([edits]) == ["He go to.", "He goes to it.", "He is going."]


def test_a_model_rewrite_must_read_better_than_the_original() -> None:
    edits = [_e("He is going.", "model"), _e("He goes.", "model")]
    flat = {"He go to.": 1.0, "He is going.": 1.0 + MARGIN / 2, "He goes.": 1.0 + 2 * MARGIN}
    chosen = choose(edits, flat)
    assert [e.accepted for e in chosen] == [False, True]
    assert chosen[0].choice == f"not fluent enough (SLOR {MARGIN / 2:+.2f})"
    worse = {"He go to.": 2.0, "He is going.": 1.0, "He goes.": 1.5}
    assert not any(e.accepted for e in choose(edits, worse))


def test_nothing_accepted_means_nothing_chosen() -> None:
    edits = [_e("She go.", "model", accepted=False), _e("He goes to.", "fix", accepted=False)]
    assert not any(e.accepted for e in choose(edits, None))
    assert texts_to_score([edits]) == []


def test_a_model_rewrite_the_model_is_unsure_of_is_not_chosen() -> None:
    unsure = _e("He is going.", "model", preference=MIN_PREFERENCE / 2)
    sure = _e("He goes.", "model", preference=MIN_PREFERENCE * 2)
    slor = {"He go to.": 0.0, "He is going.": 5.0, "He goes.": 1.0}
    chosen = choose([unsure, sure], slor)
    assert [e.accepted for e in chosen] == [False, True]  # the more fluent one is unsure
    assert chosen[0].choice.startswith("the model is not sure (+1.50 nats over a copy")
    assert texts_to_score([[unsure, sure]]) == ["He go to.", "He goes."]
    assert choose([_e("He goes.", "model", preference=None)], slor)[0].accepted  # unscored


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

"""LanguageTool's replacements as a repair step: the safe-rule lists and the guard."""

from __future__ import annotations

from ltserver import FakeLanguageTool

from mtfix.article import Match
from mtfix.check import load_checker
from mtfix.check.safe_rules import DEFAULT_ALLOW, DEFAULT_DENY, SafeRules, apply_safe
from mtfix.guard import Guard
from mtfix.pipeline import Options, Pipeline, Stages, default_detectors
from mtfix.read import read_bytes

TEXT = "He go to a office of the the Minister of foreign Affairs, de Mistura."


def _lt(offset: int, length: int, rule: str, category: str, fix: str) -> Match:
    return Match(offset, length, rule, category, "msg", (fix,), "grammar", "languagetool")


MATCHES = [
    _lt(3, 2, "HE_VERB_AGR", "GRAMMAR", "goes"),
    _lt(9, 1, "EN_A_VS_AN", "MISC", "an"),
    _lt(21, 7, "ENGLISH_WORD_REPEAT_RULE", "MISC", "the"),
    _lt(41, 15, "EN_SPECIFIC_CASE", "CASING", "Foreign Affairs"),
    _lt(61, 7, "MORFOLOGIK_RULE_EN_US", "TYPOS", "Mixture"),
]


def test_defaults_apply_grammar_articles_casing_not_spelling() -> None:
    fixed = apply_safe(TEXT, 0, MATCHES, SafeRules())
    assert fixed == "He goes to an office of the Minister of Foreign Affairs, de Mistura."
    assert not DEFAULT_ALLOW & DEFAULT_DENY


def test_rule_ids_decide_before_categories() -> None:
    rules = SafeRules.configured(allow=("MORFOLOGIK_RULE_EN_US",), deny=("EN_A_VS_AN", "CASING"))
    assert "MORFOLOGIK_RULE_EN_US" not in rules.deny
    fixed = apply_safe(TEXT, 0, MATCHES, rules)  # spelling never touches a capitalised word
    assert fixed == "He goes to a office of the Minister of foreign Affairs, de Mistura."
    typo = _lt(3, 8, "MORFOLOGIK_RULE_EN_US", "TYPOS", "received")
    assert apply_safe("He recieved it.", 0, [typo], rules) == "He received it."
    assert apply_safe("He recieved it.", 0, [typo], SafeRules()) == "He recieved it."
    assert rules.allows(_lt(0, 1, "X", "TYPOS", "x")) is False  # the category stays denied


def test_environment_extends_the_lists(monkeypatch) -> None:
    monkeypatch.setenv("MTFIX_LT_DENY", "GRAMMAR, ENGLISH_WORD_REPEAT_RULE")
    monkeypatch.setenv("MTFIX_LT_ALLOW", "STYLE")
    rules = SafeRules.configured()
    assert apply_safe(TEXT, 0, MATCHES, rules).startswith("He go to an office of the the ")
    assert rules.allows(_lt(0, 1, "VERY_UNIQUE", "STYLE", "x"))


def test_offsets_overlaps_names_and_other_checkers() -> None:
    text = "In Moscow, the Minister said."
    base = 100
    matches = [
        _lt(base + 15, 8, "EN_SPECIFIC_CASE", "CASING", "minister"),  # lower-cases a capital
        _lt(base + 11, 3, "DT_X", "GRAMMAR", "a"),
        _lt(base + 11, 12, "DT_Y", "GRAMMAR", "overlapping"),
        _lt(base + 24, 40, "PAST_END", "GRAMMAR", "x"),  # runs past the sentence
        Match(base + 3, 6, "HARPER_X", "Agreement", "m", ("Moskva",), "grammar", "harper"),
    ]
    assert apply_safe(text, base, matches, SafeRules()) == "In Moscow, a Minister said."


class EchoRewriter:
    """Returns what it is given, except one sentence it improves."""

    name = "seq2seq:echo"

    def __init__(self) -> None:
        self.received: list[str] = []

    def rewrite(self, texts: list[str]) -> list[str]:
        self.received.extend(texts)
        return [t.replace("repeatedly stated", "has repeatedly stated") for t in texts]


def test_the_model_and_languagetool_fixes_go_through_one_search(spacy_nlp, embedder) -> None:
    text = (
        "Lavrov meets de Mistura in Moscow\n\n"
        "The Minister of foreign Affairs said a agreement was close. "
        "However, the Russian foreign Ministry repeatedly stated that talks would continue.\n"
    )
    with FakeLanguageTool() as server:
        checker, _ = load_checker("languagetool", server.url)
        detectors, _ = default_detectors(fluency=False)
        rewriter = EchoRewriter()
        guard = Guard(spacy_nlp, checker, embedder)
        stages = Stages(checker, detectors, rewriter, guard=guard)
        pipeline = Pipeline(Options(fluency=False), stages)
        report = pipeline.fix(read_bytes(text.encode()))
    assert rewriter.received[-2:] == [  # the model rewrites the sentences as they came
        "The Minister of foreign Affairs said a agreement was close.",
        "However, the Russian foreign Ministry repeatedly stated that talks would continue.",
    ]
    sources = {st.source for e in report.edits if e.accepted for st in e.steps}
    assert sources and all(st.gain is not None for e in report.edits for st in e.steps)
    assert all(e.kind == "search" for e in report.edits)
    assert "The Minister of Foreign Affairs said an agreement was close." in report.output
    assert "Russian Foreign Ministry" in report.output
    assert [m.rule_id for m in report.grammar.after] == ["MORFOLOGIK_RULE_EN_US"]  # a name
    assert [len(r.before) for r in report.grammar.sentences] == [0, 2, 1]
    assert [len(r.after or []) for r in report.grammar.sentences] == [0, 0, 0]

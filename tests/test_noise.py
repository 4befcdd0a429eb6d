"""Synthetic MT noise: each corruption, the learned edit table, names kept, determinism."""

from __future__ import annotations

import random

import pytest

from mtfix.train import noise_rules as nr
from mtfix.train.noise import (
    EditTable,
    apply_edits,
    corrupt,
    corrupt_many,
    learn_edits,
    learned_edits,
    split_words,
)

RULE_CASES = [
    (
        "drop_article",
        "The minister discussed the plan in Moscow.",
        "The minister discussed plan in Moscow.",
    ),
    ("drop_article", "The minister left.", "Minister left."),
    (
        "genitive_calque",
        "The visit of de Mistura to Moscow will continue diplomatic efforts.",
        "Visit de Mistura to Moscow will continue diplomatic efforts.",
    ),
    (
        "genitive_calque",
        "Lavrov's visit to Damascus was a success.",
        "Visit Lavrov to Damascus was a success.",
    ),
    (
        "institution_case",
        "He met the Minister of Foreign Affairs of Russia yesterday.",
        "He met the Minister of foreign Affairs of Russia yesterday.",
    ),
    (
        "institution_case",
        "However, the Russian Foreign Ministry repeatedly stated its position.",
        "However, the Russian foreign Ministry repeatedly stated its position.",
    ),
    (
        "comma_object",
        "Lavrov will discuss the plan with de Mistura.",
        "Lavrov will discuss with de Mistura, the plan.",
    ),
    (
        "comma_object",
        "Lavrov will discuss with de Mistura the implementation of the Vienna communiqué.",
        "Lavrov will discuss with de Mistura, the implementation of the Vienna communiqué.",
    ),
    (
        "pp_before_object",
        "The minister will discuss the plan in Moscow.",
        "The minister will discuss in Moscow the plan.",
    ),
    (
        "broken_parallelism",
        "The contacts not only develop the successes, but also pave the way to the next.",
        "The contacts not only develop the successes, but also paving the way to the next.",
    ),
    (
        "dropped_auxiliary",
        "Its composition has not yet been seen.",
        "Its composition has not yet seen.",
    ),
    (
        "dropped_auxiliary",
        "The meeting is expected to start at 10 a.m.",
        "The meeting expected to start at 10 a.m.",
    ),
    (
        "dropped_auxiliary",
        "The next round, which will be held next week, was announced.",
        "The next round, which to be held next week, was announced.",
    ),
    (
        "subject_after_verb",
        "The committee approved the budget on Monday.",
        "The budget approved on Monday the committee.",
    ),
    (
        "name_case",
        "The State Duma and the Security Council met in Moscow.",
        "The State Duma and the Security council met in Moscow.",
    ),
    (
        "swap_words",
        "The proposal was also discussed in the Ministry of Finance.",
        "The proposal also was discussed in the Ministry of Finance.",
    ),
    (
        "swap_words",
        "The contacts develop the successes of previous meetings.",
        "The contacts develop the successes of meetings previous.",
    ),
]


@pytest.fixture(scope="module")
def table() -> EditTable:
    return EditTable(
        {(("the",), ()): 5, (("said", "that"), ("said", ",")): 2, (("at",), ("in",)): 3}
    )


def _outputs(rule: str, text: str, nlp) -> list[str]:
    return [apply_edits(text, [e]) for e in nr.RULES[rule](nlp(text))]


@pytest.mark.parametrize(("rule", "text", "expected"), RULE_CASES)
def test_each_rule_makes_its_calque(rule, text, expected, spacy_nlp):
    assert expected in _outputs(rule, text, spacy_nlp)


@pytest.mark.parametrize(("rule", "text", "_expected"), RULE_CASES)
def test_rules_keep_numbers_and_names(rule, text, _expected, spacy_nlp):
    for out in _outputs(rule, text, spacy_nlp):
        assert nr.keeps_names(text, out), out


@pytest.mark.parametrize(
    "text",
    [
        "He will discuss the plan.",  # a pronoun subject stays
        "The visit, however, changed the plan.",  # a clause with commas is not reordered
        "The committee said that the budget was approved.",  # no object
    ],
)
def test_subject_stays_first_where_the_swap_would_garble(text, spacy_nlp):
    assert _outputs("subject_after_verb", text, spacy_nlp) == []


def test_rules_stay_quiet_where_nothing_applies(spacy_nlp):
    doc = spacy_nlp("Yes.")
    assert all(not rule(doc) for rule in nr.RULES.values())
    assert corrupt("Yes.", random.Random(0), nlp=spacy_nlp) == "Yes."


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("Later, we left.", 5, 6, "Later we left."),
        ("He saw the plan.", 7, 10, "He saw plan."),
        ("He saw the plan.", 11, 15, "He saw the."),
        ("The plan.", 0, 3, "plan."),
        ('He said "yes" today.', 8, 9, 'He said yes" today.'),
    ],
)
def test_delete_leaves_one_space(text, start, end, expected):
    assert apply_edits(text, [nr.delete_chars(text, start, end)]) in {
        expected,
        expected.capitalize(),
    }


def test_ing_form():
    assert [nr.ing_form(w) for w in ["pave", "plan", "develop", "see", "die", "open", "be"]] == [
        "paving",
        "planning",
        "developing",
        "seeing",
        "dying",
        "opening",
        "being",
    ]


def test_keeps_names():
    assert nr.keeps_names("the Foreign Ministry on 4 May", "foreign Ministry on 4 May")
    assert not nr.keeps_names("on 4 May", "on 5 May")
    assert not nr.keeps_names("in Moscow", "in Kiev")
    assert not nr.keeps_names("the city", "Moscow")


def test_learn_edits_counts_pe_to_mt_and_keeps_frequent_ones():
    pe = [
        "The minister visited the city .",
        "He saw the plan .",
        "He said that it works .",
        "They said that it was late .",
        "He lives in Moscow .",
        "She lives in Moscow .",
        "He met Lavrov in May .",
    ]
    mt = [
        "The minister visited city .",
        "He saw plan .",
        "He said , that it works .",
        "They said , that it was late .",
        "He lives in Kiev .",
        "She lives in Kiev .",
        "He met Lavrov at May .",
    ]
    table = learn_edits(mt, pe)
    assert table.counts == {(("the",), ()): 2, (("said",), ("said", ",")): 2}


def test_learn_edits_same_on_tokenized_and_detokenized_lines():
    mt, pe = ['He said "no", then left.'] * 2, ['He said: "No", then he left.'] * 2
    tokenized = learn_edits(
        [" ".join(split_words(m)) for m in mt], [" ".join(split_words(p)) for p in pe]
    )
    assert learn_edits(mt, pe) == tokenized
    assert tokenized.counts == {((":",), ()): 2, (("No",), ("no",)): 2, (("he",), ()): 2}
    assert split_words("do n't, Lavrov's") == ["do", "n't", ",", "Lavrov", "'s"]


def test_edit_table_json_and_sample(table):
    assert EditTable.from_json(table.to_json()) == table
    draws = [table.sample(random.Random(seed)) for seed in range(200)]
    assert draws == [table.sample(random.Random(seed)) for seed in range(200)]
    assert draws.count((("the",), ())) > draws.count((("said", "that"), ("said", ",")))


def test_learned_edits_apply_on_word_boundaries(table, spacy_nlp):
    text = "He said that the talks at the Kremlin went well."
    outs = {apply_edits(text, [e]) for e in learned_edits(spacy_nlp(text), table)}
    assert outs == {
        "He said, the talks at the Kremlin went well.",
        "He said that talks at the Kremlin went well.",
        "He said that the talks at Kremlin went well.",
        "He said that the talks in the Kremlin went well.",
    }
    assert not learned_edits(spacy_nlp("Thereafter, they sat."), table)


def test_corrupt_is_deterministic_and_keeps_names(table, spacy_nlp):
    texts = [text for _, text, _ in RULE_CASES]
    first = corrupt_many(texts, random.Random(7), table=table, nlp=spacy_nlp)
    assert first == corrupt_many(texts, random.Random(7), table=table, nlp=spacy_nlp)
    assert first[0] == corrupt(texts[0], random.Random(7), table=table, nlp=spacy_nlp)
    assert sum(a != b for a, b in zip(texts, first, strict=True)) == len(texts)
    for seed in range(5):
        outs = corrupt_many(texts, random.Random(seed), table=table, nlp=spacy_nlp, max_ops=3)
        for text, out in zip(texts, outs, strict=True):
            assert nr.keeps_names(text, out), (text, out)
            assert out[:1].isupper()

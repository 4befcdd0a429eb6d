"""Who did what: the guard keeps each verb's arguments, and the search reverses no one."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtfix.guard.roles import arguments, reassigned, roles_kept, russian_order
from mtfix.repair.propose.order import OrderProposer

GOOD = [
    line.strip()
    for line in (Path(__file__).parent / "data" / "who-did-what.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
SEED_FIRST = (
    "The start of a political process in Syria through dialogue between a wide range of "
    "opposition movements and the government will discuss in Moscow the Minister of Foreign "
    "Affairs of the Russian Federation Sergey Lavrov and the special envoy of the UN "
    "Secretary General on Syria-Staffan de Mistura."
)
REVERSED = [
    ("The tenants evicted the landlord.", "The landlord evicted the tenants."),
    ("A teenager founded the party.", "The party founded a teenager."),
    ("A whale is a mammal.", "A mammal is a whale."),
    ("The postman bit the dog, the police said.", "The dog bit the postman, the police said."),
    ("The junior minister overruled the prime minister.",
     "The prime minister overruled the junior minister."),
    ("The landlord was evicted by the tenants.", "The tenants were evicted by the landlord."),
]  # fmt: skip


def test_the_file_has_a_hundred_good_sentences() -> None:
    assert len(GOOD) >= 100


@pytest.mark.parametrize(("before", "after"), REVERSED)
def test_a_reversal_is_refused(spacy_nlp, before: str, after: str) -> None:
    b, a = spacy_nlp(before), spacy_nlp(after)
    assert reassigned(b, a)
    assert not roles_kept(b, a)


def test_small_edits_keep_the_roles(spacy_nlp) -> None:
    pairs = [
        ("Its composition has not yet seen.", "Its composition has not yet been seen."),
        ("The Ministry repeatedly stated that.", "The Ministry has repeatedly stated that."),
        ("He told the minister on the outcome.", "He told the minister about the outcome."),
    ]
    for before, after in pairs:
        assert roles_kept(spacy_nlp(before), spacy_nlp(after)), (before, after)


def test_the_object_verb_subject_repair_is_allowed_where_the_parse_shows_it(spacy_nlp) -> None:
    doc = spacy_nlp(SEED_FIRST)
    assert russian_order(doc, "discuss")
    moves = [p.apply(SEED_FIRST) for p in OrderProposer().propose(doc)]
    swapped = [m for m in moves if m.startswith("The Minister of Foreign Affairs")]
    assert swapped
    assert roles_kept(doc, spacy_nlp(swapped[0]))


def test_no_good_sentence_has_an_order_move_the_guard_lets_through(spacy_nlp) -> None:
    from mtfix.repair.search import is_fragment

    proposer, allowed = OrderProposer(), []
    for sentence in GOOD:
        doc = spacy_nlp(sentence)
        if is_fragment(doc):  # "O mother Volga," parses as the calque "Visit de Mistura";
            continue  # the news profile leaves fragments to the rules
        assert arguments(doc)
        for proposal in proposer.propose(doc):
            after = proposal.apply(sentence)
            if roles_kept(doc, spacy_nlp(after)):
                allowed.append((sentence, after))
    assert allowed == []


def test_the_guard_names_the_rule(spacy_nlp, harper_checker, embedder) -> None:
    from mtfix.guard import Guard

    guard = Guard(nlp=spacy_nlp, checker=harper_checker, embedder=embedder)
    verdict = guard.judge(*REVERSED[0])
    assert (verdict.accepted, verdict.reason) == (False, "roles")
    assert verdict.checks["roles"] is False


@pytest.mark.parametrize("profile", ["news", "learner"])
def test_the_search_reverses_no_good_sentence(profile: str) -> None:
    """The whole search with the LM, every sentence of the file, under each profile."""
    from mtfix.pipeline import Options, Pipeline
    from mtfix.read import read_line

    pipeline = Pipeline(Options(profile=profile, checker="offline", document=False))
    reports = pipeline.fix_many([read_line(s) for s in GOOD])
    nlp = pipeline.nlp
    for sentence, report in zip(GOOD, reports, strict=True):
        steps = [s.source for e in report.accepted for s in e.steps]
        assert "lm:order" not in steps, (sentence, report.output)
        assert not reassigned(nlp(sentence), nlp(report.output)), (sentence, report.output)
    assert reports[0].settings["profile"] == profile


VOICE = [  # (before, after, allowed)
    ("The students fined the university.", "The students were fined the university.", False),
    ("The students fined the university.", "The university was fined by the students.", True),
    ("The landlord was evicted.", "The landlord evicted.", False),
    ("Its composition has not yet seen.", "Its composition has not yet been seen.", True),
]


@pytest.mark.parametrize(("before", "after", "allowed"), VOICE)
def test_voice_is_a_role(spacy_nlp, before: str, after: str, allowed: bool) -> None:
    """A passive subject is not an active one, unless the doer stays as a "by" agent, or the
    active had no object (its auxiliary was dropped)."""
    assert roles_kept(spacy_nlp(before), spacy_nlp(after)) is allowed

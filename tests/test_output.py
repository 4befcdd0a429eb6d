"""Output stage: composing the repaired text, the word diff, the JSON report."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from mtfix.article import (
    Article,
    Edit,
    Finding,
    GrammarSummary,
    Match,
    Paragraph,
    Removal,
    Report,
    Sentence,
)
from mtfix.output.compose import compose, removal_span
from mtfix.output.diff import plain_diff, word_diff
from mtfix.output.report import report_dict, schema

TEXT = "Title here\n\nFirst paragraph. Second sentence.\n\nPROMO line\n\nLast one."


def _removal(text: str, part: str) -> Removal:
    start = text.index(part)
    return Removal(start, start + len(part), part, "promo_block: test")


def _edit(text: str, before: str, after: str, accepted: bool = True) -> Edit:
    start = text.index(before)
    reason = "accepted" if accepted else "numbers"
    return Edit(start, start + len(before), before, after, accepted, reason, "test")


def test_removal_swallows_the_joining_whitespace() -> None:
    out = compose(TEXT, [_removal(TEXT, "PROMO line")], [])
    assert out == "Title here\n\nFirst paragraph. Second sentence.\n\nLast one."


def test_removal_span_of_a_middle_block_takes_the_whitespace_after_it() -> None:
    start, end = removal_span(TEXT, _removal(TEXT, "PROMO line"))
    assert TEXT[start:end] == "PROMO line\n\n"


def test_removing_the_last_block_takes_the_whitespace_before_it() -> None:
    text = TEXT + "\n"
    out = compose(text, [_removal(text, "Last one.")], [])
    assert out == "Title here\n\nFirst paragraph. Second sentence.\n\nPROMO line"


def test_accepted_edits_are_applied_rejected_are_not() -> None:
    edits = [
        _edit(TEXT, "First paragraph.", "The first paragraph."),
        _edit(TEXT, "Second sentence.", "Wrong 42.", accepted=False),
    ]
    out = compose(TEXT, [], edits)
    assert out == TEXT.replace("First paragraph.", "The first paragraph.")
    assert "Wrong 42." not in out


def test_edits_and_removals_together_keep_the_other_offsets_right() -> None:
    edits = [_edit(TEXT, "Last one.", "The last one."), _edit(TEXT, "Title here", "A title")]
    out = compose(TEXT, [_removal(TEXT, "PROMO line")], edits)
    assert out == "A title\n\nFirst paragraph. Second sentence.\n\nThe last one."


@pytest.mark.parametrize("part", ["Second sentence.", "First paragraph.", "Last one."])
def test_a_removal_wins_over_an_edit_of_the_same_text(part: str) -> None:
    removal = _removal(TEXT, part)
    edit = _edit(TEXT, part, "Rewritten text.")
    for edits in ([edit], [edit, edit]):
        out = compose(TEXT, [removal], edits)
        assert part not in out
        assert "Rewritten" not in out
        assert out == compose(TEXT, [removal], [])


def test_an_edit_inside_a_removed_block_is_dropped() -> None:
    text = "Head\n\nOne two. Three four.\n\nTail."
    block = _removal(text, "One two. Three four.")
    out = compose(text, [block], [_edit(text, "Three four.", "Five six.")])
    assert out == "Head\n\nTail."


def test_overlapping_removals_remove_their_union() -> None:
    text = "Head\n\nAlpha beta gamma.\n\nTail."
    start = text.index("Alpha")
    first = Removal(start, start + len("Alpha beta"), "Alpha beta", "x")
    whole = _removal(text, "Alpha beta gamma.")
    for removed in ([first, whole], [whole, first]):
        assert compose(text, removed, []) == "Head\n\nTail."


PAIRS = [
    ("The cat sat on the mat.", "The cat sat on a mat!"),
    ("Visit de Mistura in Moscow.", "De Mistura's visit to Moscow."),
    ("one\n\ntwo  three", "two three four"),
    ("", "Inserted only."),
    ("Deleted only.", ""),
    ("Same text.", "Same text."),
]


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_word_diff_round_trips(before: str, after: str) -> None:
    chunks = word_diff(before, after)
    assert "".join(c.text for c in chunks if c.op != "delete") == after
    assert "".join(c.text for c in chunks if c.op != "insert") == before
    assert all(c.text for c in chunks)


def test_word_diff_works_on_words_not_characters() -> None:
    chunks = word_diff("The cat sat.", "The dog sat.")
    assert [(c.op, c.text) for c in chunks] == [
        ("equal", "The "),
        ("delete", "cat"),
        ("insert", "dog"),
        ("equal", " sat."),
    ]
    assert plain_diff(chunks) == "The [-cat-]{+dog+} sat."


def test_plain_diff_of_equal_texts_has_no_markers() -> None:
    assert plain_diff(word_diff("Nothing changed.", "Nothing changed.")) == "Nothing changed."


def _report() -> Report:
    text = "Visit de Mistura\n\nVisit de Mistura in Moscow on 4 November.\n\nSPECIAL project"
    sentence = "Visit de Mistura in Moscow on 4 November."
    s_start = text.index(sentence)
    title = Paragraph(0, 16, text[:16], (Sentence(0, 16, text[:16]),))
    body = Paragraph(
        s_start,
        s_start + len(sentence),
        sentence,
        (Sentence(s_start, s_start + len(sentence), sentence),),
    )
    promo_start = text.index("SPECIAL")
    promo = Paragraph(promo_start, len(text), text[promo_start:])
    article = Article(text, title, (body, promo))
    finding = Finding(
        "sentence",
        "genitive_calque",
        s_start,
        s_start + 16,
        text[s_start : s_start + 16],
        0.8,
        "calque",
        "rewrite",
        "rules",
        "genitive",
    )
    good = Edit(
        s_start,
        body.end,
        sentence,
        "De Mistura's visit to Moscow on 4 November.",
        True,
        "accepted",
        "fake",
        {"numbers": True, "similarity_score": 0.93},
    )
    bad = Edit(
        s_start,
        body.end,
        sentence,
        "Visit in Moscow.",
        False,
        "numbers",
        "fake",
        {"numbers": False, "issues_after": 0},
    )
    removal = Removal(promo_start, len(text), "SPECIAL project", "promo_block: promo")
    match = Match(s_start, 5, "X", "Grammar", "msg", ("a", "b"), "grammar", "harper")
    output = compose(text, [removal], [good])
    grammar = GrammarSummary("offline", [match], [])
    return Report(
        article, output, [finding], [good, bad], [removal], grammar, ["n"], {"analyse": 0.1}, {}
    )


def test_report_dict_validates_against_the_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    data = report_dict(_report())
    jsonschema.validate(data, schema())
    assert [e["accepted"] for e in data["edits"]] == [True, False]
    assert data["edits"][1]["reason"] == "numbers"
    assert data["output"] == "Visit de Mistura\n\nDe Mistura's visit to Moscow on 4 November."
    assert data["title"] == "Visit de Mistura"
    assert data["grammar"]["before"]["all_matches"] == 1
    assert data["grammar"]["before"]["matches"][0]["replacements"] == ["a", "b"]
    for f in data["findings"] + data["removed"]:
        assert data["input"][f["start"] : f["end"]] == f["text"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("edits", 0, "accepted"), "yes"),
        (("findings", 0, "action"), "delete"),
        (("timings", "analyse"), -1),
        (("schema_version",), "1"),
    ],
)
def test_the_schema_rejects_a_broken_report(path: tuple, value: object) -> None:
    data = copy.deepcopy(report_dict(_report()))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())

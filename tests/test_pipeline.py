"""The pipeline with a fake rewriter and no LM (the guard alone decides): what is sent,
what the guard keeps, what is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtfix.article import Report
from mtfix.check.offline import HarperChecker
from mtfix.output.compose import compose
from mtfix.pipeline import Options, Pipeline, Stages, default_detectors
from mtfix.read import read_bytes, read_path

SEED = Path(__file__).resolve().parent.parent / "samples" / "lavrov-de-mistura.mt.txt"

VISIT = (
    "Visit de Mistura in Moscow will continue diplomatic efforts to settle the conflict in "
    "Syria, which began talks in Vienna on 23 October and 29-30 October."
)
VISIT_GOOD = (
    "De Mistura's visit to Moscow will continue diplomatic efforts to settle the conflict in "
    "Syria, which began talks in Vienna on 23 October and 29-30 October."
)
RESULTS = "The results of the multilateral meeting on 30 October with the participation of 19 "
RESULTS_BAD = "The results of the multilateral meeting on 30 October with the participation of "
UNFLAGGED = (
    "Now Moscow hopes to know the results of the contacts in Damascus from de Mistura.",
    "Its date is not yet agreed.",
)
STAGES = {"analyse", "detect", "repair", "compose", "check"}
VISIT_CORE = "de Mistura in Moscow will continue diplomatic efforts"  # also after local fixes


class FakeRewriter:
    """Rewrites VISIT well, drops a number from the RESULTS sentence, echoes the rest.

    It is given the sentences as they came."""

    name = "fake"

    def __init__(self) -> None:
        self.received: list[str] = []

    def rewrite(self, texts: list[str]) -> list[str]:
        self.received.extend(texts)
        return [self._one(t) for t in texts]

    @staticmethod
    def _one(text: str) -> str:
        if VISIT_CORE in text:
            return VISIT_GOOD
        return text.replace(RESULTS, RESULTS_BAD)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    detectors, _ = default_detectors(fluency=False)
    stages = Stages(HarperChecker(), detectors, FakeRewriter())
    return Pipeline(Options(fluency=False, use_model=False, style=False), stages)


@pytest.fixture(scope="module")
def run(pipeline: Pipeline) -> tuple[Report, list[str]]:
    fake = pipeline.stages.rewriter
    fake.received.clear()
    report = pipeline.fix(read_path(str(SEED)))
    return report, list(fake.received)


def _edit(report: Report, before_start: str):
    """The model's edit of the sentence starting so."""
    (edit,) = [e for e in report.edits if e.before.startswith(before_start) and e.source == "fake"]
    return edit


def test_the_good_rewrite_is_accepted_and_used(run) -> None:
    report, _ = run
    edit = _edit(report, VISIT)
    assert (edit.accepted, edit.reason, edit.after, edit.source) == (
        True,
        "accepted",
        VISIT_GOOD,
        "fake",
    )
    assert report.article.text[edit.start : edit.end] == VISIT
    assert VISIT_GOOD in report.output
    assert VISIT not in report.output


def test_the_rewrite_that_drops_a_number_is_rejected(run) -> None:
    report, _ = run
    edit = _edit(report, RESULTS)
    assert not edit.accepted
    assert edit.reason == "numbers"
    assert edit.checks["numbers"] is False
    assert edit.before in report.output
    assert edit.after not in report.output
    assert RESULTS in report.output


def test_only_the_changed_sentences_differ_from_the_clean_up(run) -> None:
    report, _ = run
    chosen = [e for e in report.edits if e.accepted]
    assert report.output == compose(report.article.text, report.removed, chosen)
    assert len({e.start for e in chosen}) == len(chosen)  # one edit per sentence at most
    assert not any(e.after == e.before for e in report.edits)
    assert _edit(report, VISIT) in chosen
    assert {e.kind for e in chosen} == {"search"}


def test_only_flagged_live_sentences_are_sent(run, pipeline: Pipeline) -> None:
    report, received = run
    strong = [
        f
        for f in report.findings
        if f.action == "rewrite" and f.confidence >= pipeline.options.min_confidence
    ]
    removed_starts = {r.start for r in report.removed}
    blocks = [b for b in report.article.blocks() if b.start not in removed_starts]
    expected = [
        s.text
        for b in blocks
        for s in b.sentences
        if any(f.start < s.end and s.start < f.end for f in strong)
    ]
    assert received == expected
    assert len(received) == len(set(received)) == len(expected) >= 10
    for text in (*UNFLAGGED, "MOSCOW, November 4.", "SPECIAL project", "From Russia with support"):
        assert text not in received
        assert text in report.article.text


def test_findings_stay_for_rejected_rewrites(run) -> None:
    report, _ = run
    edit = _edit(report, RESULTS)
    on_it = [f for f in report.findings if edit.start <= f.start < edit.end]
    assert any(f.action == "rewrite" for f in on_it)
    for f in report.findings:
        assert report.article.text[f.start : f.end] == f.text


def test_removed_blocks_are_reported(run) -> None:
    report, _ = run
    texts = [r.text for r in report.removed]
    assert texts[0] == report.article.title.text
    assert texts[1:] == [
        "SPECIAL project",
        "From Russia with support",
        "As the aircraft of the Russian Federation helps to fight with terrorists in Syria",
    ]
    assert all(r.reason for r in report.removed)
    assert report.output.count("Lavrov will discuss with de Mistura") == 1  # (comma fixed)


def test_timings_has_every_stage(run) -> None:
    report, _ = run
    loads = {k for k in report.timings if k.startswith(("load:", "repair."))}
    assert set(report.timings) - loads == STAGES and "load:spacy" in loads
    assert all(isinstance(t, float) and t >= 0 for t in report.timings.values())
    assert report.timings["analyse"] > 0


def test_a_repeated_sentence_is_removed_not_rewritten(pipeline: Pipeline) -> None:
    fake = pipeline.stages.rewriter
    fake.received.clear()
    tail = "The parties to it must come with some groundwork."
    text = (
        f"Lavrov and de Mistura meet in Moscow\n\n{VISIT} {UNFLAGGED[0]}\n\n"
        f"{UNFLAGGED[1]} {VISIT} {tail}\n"
    )
    report = pipeline.fix(read_bytes(text.encode()))
    assert sum(VISIT_CORE in t for t in fake.received) == 1
    assert [r.text for r in report.removed] == [VISIT]
    assert report.output.count(VISIT_GOOD) == 1
    assert VISIT not in report.output
    assert f"{UNFLAGGED[1]} {tail}" in report.output
    assert sum(e.accepted for e in report.edits if e.source == "fake") == 1

"""``mtfix eval`` on Moses-tokenized files: the detector, the decision, and the command."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from mtfix.cli import main
from mtfix.pipeline import Pipeline
from mtfix.score import evaluate as evaluation
from mtfix.score.tokenization import decide_tokenized, looks_tokenized, tokenized_share

TOKENIZED = [  # JFLEG / MLQE-PE style
    "He did n't go to the market , but it 's fine .",
    "The minister said that the talks would take place in Geneva .",
    "&quot; We will see , &quot; she said .",
    "Russia and the United States agreed to continue consultations ( next week ) .",
    "Is it true ?",
    "It &apos;s not what they &apos;re used to",
]
REFS = [
    "He did n't go to the market , but it 's fine .",
    "The minister said the talks would take place in Geneva .",
    "&quot; We shall see , &quot; she said .",
    "Russia and the United States agreed to continue consultations ( next week ) .",
    "Is that true ?",
    "It &apos;s not what they &apos;re used to",
]
PLAIN = [
    "He didn't say, but it's true.",
    "The minister said the talks would take place on 29-30 March in Geneva.",
    '"We will see," she said; the rest (as usual) was left unsaid.',
    "Russia's foreign ministry didn't comment: it rarely does.",
    "Wait... what? They're here!",
    "Prices rose 3.5% in May, the agency's figures show.",
]
FAST = ["--no-errant", "--no-fluency", "--checker", "none", "--no-rewrite"]


# ---- the detector ----------------------------------------------------------------------


def test_tokenized_lines_look_tokenized() -> None:
    assert looks_tokenized(TOKENIZED)
    assert looks_tokenized(REFS)
    assert tokenized_share(TOKENIZED) == 1.0
    for line in TOKENIZED:
        assert looks_tokenized([line]), line


def test_plain_english_does_not_look_tokenized() -> None:
    assert not looks_tokenized(PLAIN)
    assert tokenized_share(PLAIN) == 0.0
    for line in PLAIN:
        assert not looks_tokenized([line]), line


def test_an_occasional_spacing_slip_is_not_tokenization() -> None:
    lines = [*PLAIN, "The talks , he said, went well.", *PLAIN]  # MT slips now and then
    assert 0 < tokenized_share(lines) < 0.3
    assert not looks_tokenized(lines)


def test_empty_lines_count_for_nothing() -> None:
    assert not looks_tokenized([])
    assert not looks_tokenized(["", "  "])
    assert looks_tokenized(["", *TOKENIZED, "", ""])


# ---- the decision ----------------------------------------------------------------------


def test_every_file_tokenized_is_scored_as_tokenized_with_a_notice() -> None:
    tokenized, notice = decide_tokenized({"mt": TOKENIZED, "ref": REFS}, None)
    assert tokenized
    assert notice is not None and "\n" not in notice
    assert "Moses-tokenized" in notice and "--tokenized" in notice and "--no-tokenized" in notice


def test_some_files_tokenized_warns_naming_them_and_stays_plain() -> None:
    tokenized, notice = decide_tokenized({"a.mt": PLAIN, "b.ref": REFS, "c.ref": PLAIN}, None)
    assert not tokenized
    assert notice is not None and "\n" not in notice
    assert notice.startswith("warning: b.ref looks Moses-tokenized but a.mt, c.ref not")
    assert "--tokenized" in notice


def test_plain_files_are_plain_and_silent() -> None:
    assert decide_tokenized({"mt": PLAIN, "ref": PLAIN}, None) == (False, None)


def test_a_given_flag_is_never_second_guessed() -> None:
    assert decide_tokenized({"mt": TOKENIZED, "ref": REFS}, False) == (False, None)
    assert decide_tokenized({"mt": PLAIN, "ref": PLAIN}, True) == (True, None)
    assert decide_tokenized({"mt": PLAIN, "ref": REFS}, True) == (True, None)


# ---- the command -----------------------------------------------------------------------


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return {
        "tok_mt": _write(tmp_path / "test.src", TOKENIZED),
        "tok_ref": _write(tmp_path / "test.ref0", REFS),
        "plain_mt": _write(tmp_path / "plain.mt", PLAIN),
        "plain_ref": _write(tmp_path / "plain.ref", PLAIN[::-1]),
    }


@pytest.fixture
def seen(monkeypatch) -> list[bool]:
    """The ``tokenized`` each repair ran with; the repair joins a space before a comma or a
    full stop, as a grammar checker does, so plain-text scoring of tokenized data shows."""
    calls: list[bool] = []
    real_fix_many, real_repair_lines = Pipeline.fix_many, evaluation.repair_lines

    def fix_many(self, articles):
        reports = real_fix_many(self, articles)
        return [replace(r, output=re.sub(r" ([,.])", r"\1", r.output)) for r in reports]

    def repair_lines(pipeline, lines, *, tokenized=False, progress=True):
        calls.append(tokenized)
        return real_repair_lines(pipeline, lines, tokenized=tokenized, progress=progress)

    monkeypatch.setattr(Pipeline, "fix_many", fix_many)
    monkeypatch.setattr(evaluation, "repair_lines", repair_lines)
    return calls


def _eval(capsys, tmp_path: Path, mt: str, ref: str, *extra: str) -> tuple[str, str, dict]:
    out_json = tmp_path / "eval.json"
    argv = ["eval", "--mt", mt, "--ref", ref, *FAST, "--json", str(out_json), *extra]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    return out, err, json.loads(out_json.read_text(encoding="utf-8"))


def _scores(data: dict) -> dict:
    return {k: (m["before"], m["after"]) for k, m in data["metrics"].items()}


def test_eval_scores_tokenized_files_as_tokenized_and_says_so(
    capsys, tmp_path: Path, files: dict[str, str], seen: list[bool]
) -> None:
    guessed = _eval(capsys, tmp_path, files["tok_mt"], files["tok_ref"])
    given = _eval(capsys, tmp_path, files["tok_mt"], files["tok_ref"], "--tokenized")
    plain = _eval(capsys, tmp_path, files["tok_mt"], files["tok_ref"], "--no-tokenized")
    assert seen == [True, True, False]
    out, err, data = guessed
    assert out == given[0]
    assert _scores(data) == _scores(given[2])
    assert _scores(data) != _scores(plain[2])  # what the user got before, without a word
    notice = [x for x in err.splitlines() if x.startswith("mtfix:")]
    assert len(notice) == 1 and "Moses-tokenized" in notice[0] and "--no-tokenized" in notice[0]
    assert data["meta"]["tokenized"] == "yes (detected)"
    assert "Moses-tokenized" not in given[1] + plain[1]  # a flag given: nothing guessed
    assert given[2]["meta"]["tokenized"] == "yes" and plain[2]["meta"]["tokenized"] == "no"


def test_eval_on_plain_files_says_nothing(
    capsys, tmp_path: Path, files: dict[str, str], seen: list[bool]
) -> None:
    _, err, data = _eval(capsys, tmp_path, files["plain_mt"], files["plain_ref"])
    assert seen == [False]
    assert "tokenized" not in err
    assert data["meta"]["tokenized"] == "no"


def test_eval_warns_when_only_some_files_look_tokenized(
    capsys, tmp_path: Path, files: dict[str, str], seen: list[bool]
) -> None:
    err = _eval(capsys, tmp_path, files["plain_mt"], files["tok_ref"])[1]
    assert seen == [False]
    warning = [x for x in err.splitlines() if "tokenized" in x]
    assert len(warning) == 1
    assert files["tok_ref"] in warning[0] and "--tokenized" in warning[0]
    assert warning[0].startswith("mtfix: warning:")


def test_eval_quiet_silences_the_notice(
    capsys, tmp_path: Path, files: dict[str, str], seen: list[bool]
) -> None:
    err = _eval(capsys, tmp_path, files["tok_mt"], files["tok_ref"], "-q")[1]
    assert seen == [True]
    assert "tokenized" not in err

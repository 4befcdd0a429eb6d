"""The ``mtfix`` command line, in-process and once through the installed console script."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from mtfix.cli import main
from mtfix.guard import RULES
from mtfix.output.report import schema
from mtfix.read import MAX_INPUT_BYTES, read_path
from mtfix.rewrite.shipped import shipped_model_dir

ROOT = Path(__file__).resolve().parent.parent
SEED = str(ROOT / "samples" / "lavrov-de-mistura.mt.txt")
HEADLINE = (
    "Lavrov will discuss with de Mistura, the implementation of the Vienna communiqué on Syria"
)
PROMO = (
    "SPECIAL project",
    "From Russia with support",
    "As the aircraft of the Russian Federation helps to fight with terrorists in Syria",
)
FIRST_SENTENCES = (
    "MOSCOW, November 4.",
    "Visit de Mistura in Moscow will continue diplomatic efforts",
    "Partly on the efforts of the UN envoy on the track dialogue is already known",
    "Contacts de Mistura in Moscow and Damascus not only develop the successes",
)
FAST = ["--no-fluency", "--checker", "offline"]


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def fixed(tmp_path_factory) -> dict:
    """One ``fix --json --no-rewrite`` run of the seed, parsed."""
    path = tmp_path_factory.mktemp("cli") / "report.json"
    assert main(["fix", SEED, *FAST, "--no-rewrite", "--json", "-q", "-o", str(path)]) == 0
    return json.loads(path.read_text(encoding="utf-8"))


def test_fix_prints_the_cleaned_article(capsys, fixed: dict) -> None:
    code, out, err = _run(capsys, ["fix", SEED, *FAST, "--no-rewrite"])
    assert code == 0
    assert out == fixed["output"] + "\n"
    assert out.count(HEADLINE) == 1
    assert out.startswith(HEADLINE + "\n\n")
    for line in PROMO:
        assert line not in out
    for first in FIRST_SENTENCES:
        assert first in out
    assert "mtfix: rewrite skipped: --no-rewrite given" in err.splitlines()


def test_console_script_fixes_the_seed(fixed: dict) -> None:
    exe = shutil.which("mtfix") or str(Path(sys.executable).with_name("mtfix"))
    env = {k: v for k, v in os.environ.items() if k != "MTFIX_LT_SERVER"}
    cmd = [exe, "fix", "samples/lavrov-de-mistura.mt.txt", "--no-fluency"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.count("Lavrov will discuss with de Mistura") == 1  # the headline, once
    assert "MOSCOW, November 4." in done.stdout
    assert not any(line in done.stdout for line in PROMO)
    if shipped_model_dir() is None:  # nothing to rewrite with
        assert "model rewrite skipped: no --model given" in done.stderr


NO_MODEL_FIXES = (
    "Minister of Foreign Affairs",
    "Foreign Minister of Syria",
    "On November 1",
    "has not yet been seen",
    "The visit of de Mistura",
    "The contacts of de Mistura",  # the guard keeps "Contacts de Mistura" read as one name
)


def test_no_model_repairs_the_seed_with_local_fixes(capsys, fixed: dict) -> None:
    code, out, err = _run(capsys, ["fix", SEED, "--no-model", "--json"])
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, schema())
    output = data["output"]
    for repaired in NO_MODEL_FIXES:
        assert repaired in output
    assert output.count("Russian Foreign Ministry") == 2
    assert "foreign" not in output.replace("foreign policy", "")
    assert {e["kind"] for e in data["edits"]} == {"search"}
    steps = [st for e in data["edits"] if e["accepted"] for st in e["steps"]]
    assert steps and all(st["gain"] is None for st in steps)  # no LM: nothing scored
    assert not any(st["source"].startswith("lm:") for st in steps)
    words = r"\b[A-Z][\w'-]*|\d[\d-]*"  # every name, number and date word
    before, after = Counter(re.findall(words, fixed["output"])), Counter(re.findall(words, output))
    lost = {w for w in before if after[w] < before[w]}
    # "The visit/contacts of de Mistura"; "on Syria, Staffan de Mistura" (the article pass)
    assert lost == {"Visit", "Contacts", "Syria-Staffan"}, lost
    assert "Syria, Staffan de Mistura" in output and "direction de Mistura" in output
    code, out, _ = _run(capsys, ["fix", SEED, *FAST, "--no-model", "--diff"])
    assert code == 0 and "[-foreign-]{+Foreign+}" in out
    assert "\nedits (source: change):\nrules:verb_comma_object: " in out
    assert "rules:perfect_no_object: {+been +}" in out


def test_output_file_gets_the_text_and_an_ordinary_mode(capsys, tmp_path, fixed: dict) -> None:
    target = tmp_path / "fixed.txt"
    code, out, _ = _run(capsys, ["fix", SEED, *FAST, "--no-rewrite", "-q", "-o", str(target)])
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8") == fixed["output"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["fixed.txt"]


def test_diff_prints_plain_markers_when_piped(capsys, fixed: dict) -> None:
    code, out, _ = _run(capsys, ["fix", SEED, *FAST, "--no-rewrite", "--diff", "-q"])
    assert code == 0
    assert "\x1b[" not in out
    assert "[-" in out and "-]" in out
    diff, sheet, style = out.partition("\n\nstyle sheet (the article's names and dates):\n")
    assert sheet and "surname de Mistura: de Mistura x7, Mistura x1" in style
    assert "dates: month-day (from the dateline" in style
    diff = diff.removesuffix("\n")
    after = re.sub(r"\{\+(.*?)\+\}", r"\1", re.sub(r"\[-.*?-\]", "", diff, flags=re.S), flags=re.S)
    before = re.sub(r"\[-(.*?)-\]", r"\1", re.sub(r"\{\+.*?\+\}", "", diff, flags=re.S), flags=re.S)
    assert after == fixed["output"]
    assert before == fixed["input"]


def test_json_report_follows_the_schema(fixed: dict) -> None:
    jsonschema.validate(fixed, schema())
    assert fixed["title"] == HEADLINE
    assert fixed["output"].count(HEADLINE) == 1
    assert fixed["findings"]
    keys = {"kind", "category", "start", "end", "text", "confidence", "message", "action"}
    for f in fixed["findings"]:
        assert keys <= f.keys()
        assert fixed["input"][f["start"] : f["end"]] == f["text"]
    assert fixed["edits"] == []
    assert set(fixed["timings"]) >= {"analyse", "detect", "check"}


def test_nothing_is_lost(fixed: dict) -> None:
    removed = fixed["removed"]
    assert [r["text"] for r in removed] == [HEADLINE, *PROMO]
    for r in removed:
        assert r["reason"]
        assert fixed["input"][r["start"] : r["end"]] == r["text"]
    starts = {r["start"] for r in removed}
    article = read_path(SEED)
    for block in article.blocks():
        assert block.start in starts or block.text in fixed["output"], block.text
    words = Counter(fixed["output"].split())
    for r in removed:
        words.update(r["text"].split())
    assert words == Counter(fixed["input"].split())


def test_detect_json_lists_sentence_findings(capsys, spacy_nlp) -> None:
    from mtfix.segment import segment

    code, out, _ = _run(capsys, ["detect", SEED, *FAST, "--json", "-q"])
    assert code == 0
    data = json.loads(out)
    assert isinstance(data["findings"], list)
    sentences = segment(read_path(SEED), spacy_nlp).sentences()
    hit = set()
    for f in data["findings"]:
        assert data["input"][f["start"] : f["end"]] == f["text"]
        if f["kind"] == "sentence":
            (s,) = [s for s in sentences if s.start <= f["start"] < s.end]
            hit.add(s.start)
    assert len(hit) >= 9


def test_a_model_proposes_through_the_search(capsys, tiny_t5_dir, fixed: dict) -> None:
    argv = ["fix", SEED, *FAST, "--model", str(tiny_t5_dir), "--json"]
    code, out, err = _run(capsys, argv)
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, schema())
    reasons = {r.__name__ for r in RULES}
    for e in data["edits"]:
        assert data["input"][e["start"] : e["end"]] == e["before"]
        assert e["accepted"] or e["reason"] in reasons
    made = [st["source"] for e in data["edits"] if e["accepted"] for st in e["steps"]]
    assert not any(src.startswith("seq2seq:") for src in made)  # a random T5 never wins


def test_stdin(capsys, monkeypatch, fixed: dict) -> None:
    data = Path(SEED).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = _run(capsys, ["fix", "-", *FAST, "--no-rewrite", "-q"])
    assert (code, out) == (0, fixed["output"] + "\n")


def _one_error(code: int, out: str, err: str) -> str:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("mtfix: error: "), err
    return err


def test_languagetool_without_a_server_is_an_error(capsys, no_languagetool) -> None:
    err = _one_error(*_run(capsys, ["fix", SEED, "--no-fluency", "--checker", "languagetool"]))
    assert "server" in err


def test_unwritable_output_is_an_error(capsys, tmp_path) -> None:
    for target in (tmp_path / "missing" / "out.txt", tmp_path):
        argv = ["fix", SEED, *FAST, "--no-rewrite", "-q", "-o", str(target)]
        _one_error(*_run(capsys, argv))
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_rejected_by_argparse(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["fix", SEED, "--format", "docx"])
    assert exc.value.code == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err


RUSSIAN = "Министр иностранных дел России Сергей Лавров обсудит со спецпосланником ООН ситуацию."
GERMAN = (
    "Der russische Außenminister Sergej Lawrow wird mit dem Sondergesandten der Vereinten "
    "Nationen über den politischen Prozess in Syrien sprechen."
)
BAD_INPUTS = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b" \n\t\n\n", "whitespace"),
    "binary.dat": (bytes(range(256)) * 8, "binary"),
    "cp1251.txt": (RUSSIAN.encode("cp1251"), "UTF-8"),
    "big.txt": (b"word " * (MAX_INPUT_BYTES // 5) + b"x", "size limit"),
    "russian.txt": (f"Лавров и де Мистура\n\n{RUSSIAN}\n".encode(), "not English"),
    "german.txt": (f"Lawrow und de Mistura\n\n{GERMAN}\n".encode(), "not English"),
    "broken.json": (b'{"title": "Lavrov", "body": ', "JSON"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_error(capsys, tmp_path, name: str) -> None:
    data, reason = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert name != "big.txt" or path.stat().st_size == MAX_INPUT_BYTES + 1
    err = _one_error(*_run(capsys, ["fix", str(path), "--no-fluency"]))
    assert reason in err


@pytest.mark.parametrize("name", ["missing.txt", "."])
def test_missing_file_or_directory_is_one_line_error(capsys, tmp_path, name: str) -> None:
    err = _one_error(*_run(capsys, ["detect", str(tmp_path / name), "--no-fluency"]))
    assert ("no such file" if name == "missing.txt" else "directory") in err


@pytest.mark.parametrize("name", ["big.txt", "binary.dat"])
def test_bad_stdin_is_one_line_error(capsys, monkeypatch, name: str) -> None:
    data, reason = BAD_INPUTS[name]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert reason in _one_error(*_run(capsys, ["fix", "-", "--no-fluency"]))

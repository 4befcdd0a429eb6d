"""The library API: ``mtfix.load`` / ``Fixer`` / ``mtfix.score``, its errors and its types."""

from __future__ import annotations

import ast
import inspect
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from ltserver import FakeLanguageTool

import mtfix
from mtfix.article import Report
from mtfix.check import ltlocal
from mtfix.cli import main
from mtfix.loads import load_counts

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "lavrov-de-mistura.mt.txt"
TEXTS = [
    "The agreement signed yesterday the two ministers. Its composition has not yet seen.",
    "He go to a office in Moscow. Visit de Mistura in Moscow will continue until Friday.",
    "The talks will resume next week in Geneva, the minister said.",
]
FAST = {"use_model": False, "checker": "offline"}  # rules and checker only


def test_the_package_is_light_and_versioned() -> None:
    code = "import sys, mtfix; print(mtfix.__version__, 'mtfix.pipeline' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    version, imported = out.stdout.split()
    assert version == mtfix.__version__ != "0+unknown"
    assert imported == "False"  # the loaders come on first use
    assert (ROOT / "mtfix" / "py.typed").exists()


def test_one_fixer_repairs_three_texts_with_its_models_loaded_once() -> None:
    before = load_counts()
    with mtfix.load(checker="offline") as fixer:  # the default search, with the LM
        first = fixer.fix(TEXTS[0])
        loaded = load_counts()
        reports = [first, fixer.fix(TEXTS[1]), *fixer.fix_many(TEXTS[2:])]
        assert load_counts() == loaded  # nothing loaded again after the first text
    grew = {name: n - before.get(name, 0) for name, n in loaded.items()}
    assert grew["checker"] == 1 and all(n <= 1 for n in grew.values()), grew
    assert all(isinstance(r, Report) for r in reports)
    assert [r.article.text for r in reports] == TEXTS
    assert reports[0].accepted and reports[0].text != TEXTS[0]  # the search repaired it
    assert reports[2].text == TEXTS[2]  # good English left alone


def test_fix_gives_what_the_cli_prints(tmp_path: Path, capsys) -> None:
    with mtfix.load(**FAST) as fixer:
        report = fixer.fix(SEED.read_text(encoding="utf-8"))
    out = tmp_path / "out.txt"
    assert main(["fix", str(SEED), "--no-model", "--checker", "offline", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == report.text
    assert report.removed and report.findings and report.accepted
    assert report.text == report.output


def test_check_gives_the_findings_only() -> None:
    fixer = mtfix.load(**FAST)
    findings = fixer.check("Visit de Mistura in Moscow will continue until Friday.")
    fixer.close()
    assert findings and all(isinstance(f, mtfix.Finding) for f in findings)
    assert "genitive_calque" in {f.category for f in findings}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"bogus": 1}, "unknown option 'bogus'"),
        ({"checker": "spellcheck"}, "unknown checker 'spellcheck'"),
        ({"min_confidence": 2.0}, "min_confidence must be between 0 and 1"),
        ({"n_best": 0}, "n_best must be at least 1"),
        ({"margin": float("nan")}, "margin must be a finite number"),
        ({"checker": "languagetool", "lt_server": "http://127.0.0.1:9/", "lt_timeout": 0.5},
         "cannot connect"),
    ],
)  # fmt: skip
def test_a_bad_option_raises_config_error(options: dict, message: str) -> None:
    with pytest.raises(mtfix.ConfigError, match=message):
        mtfix.load(**options)


def test_bad_text_raises_input_error() -> None:
    with mtfix.load(**FAST) as fixer:
        french = "Le ministre des Affaires étrangères a rencontré l'envoyé spécial à Moscou hier."
        with pytest.raises(mtfix.InputError, match="text is not English"):
            fixer.fix(french)
        with pytest.raises(mtfix.InputError, match="input is empty"):
            fixer.check("")
        with pytest.raises(mtfix.ConfigError, match="pass a str, bytes or Article"):
            fixer.fix(42)  # type: ignore[arg-type]
        with pytest.raises(mtfix.InputError, match=r"text 2: .*not English"):
            fixer.fix_many([TEXTS[2], french])


def test_languagetool_fixer_as_a_context_manager_closes_its_client(monkeypatch) -> None:
    import language_tool_python as ltp

    closed: list[object] = []
    real_close = ltp.LanguageTool.close

    def close(self) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(ltp.LanguageTool, "close", close)
    with FakeLanguageTool() as server:
        with mtfix.load(checker="languagetool", lt_server=server.url, fluency=False) as fixer:
            report = fixer.fix("He go to a office of the the Minister in Moscow today.")
            assert fixer.checker.name == "languagetool" and not closed
        assert len(closed) == 1
    assert report.grammar.checker == "languagetool"
    assert {m.source for m in report.grammar.before} == {"languagetool"}


def test_a_fixer_stops_the_local_server_it_started(no_languagetool: Path, monkeypatch) -> None:
    directory = no_languagetool / "LanguageTool-6.8"
    directory.mkdir()
    (directory / ltlocal.JAR).write_bytes(b"not a jar")
    fake = str(Path(__file__).with_name("ltserver.py"))
    command = [sys.executable, fake, "--port"]
    monkeypatch.setattr(ltlocal, "server_command", lambda d, p: [*command, str(p)])
    try:
        with mtfix.load(checker="languagetool", fluency=False, rewrite=False) as fixer:
            (server,) = ltlocal._SERVERS.values()
            assert fixer.check("He go to a office in Moscow today, the minister said.")
            assert server.alive()
        assert not server.alive() and not ltlocal._SERVERS
    finally:
        ltlocal.close_all()


def test_evaluate_matches_mtfix_eval(tmp_path: Path) -> None:
    mt = ["He go to a office in Moscow .", "The talks has ended yesterday ."]
    refs = ["He goes to an office in Moscow .", "The talks ended yesterday ."]
    outputs = ["He goes to an office in Moscow .", "The talks has ended yesterday ."]
    result = mtfix.evaluate(mt, refs, outputs, errant=False)
    files = {}
    for name, lines in {"mt": mt, "ref": refs, "hyp": outputs}.items():
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text("\n".join(lines) + "\n")
    json_path = tmp_path / "eval.json"
    argv = ["eval", "--mt", str(files["mt"]), "--ref", str(files["ref"]), "--hyp",
            str(files["hyp"]), "--no-errant", "--json", str(json_path), "--checker",
            "offline"]  # fmt: skip
    assert main(argv) == 0
    import json

    cli = json.loads(json_path.read_text())["metrics"]
    for name, metric in result.metrics.items():
        assert (metric.before, metric.after) == (cli[name]["before"], cli[name]["after"]), name
        assert metric.signature == cli[name]["signature"]
    assert result.metrics["bleu"].after > result.metrics["bleu"].before
    assert [r.changed for r in result.rows] == [True, False]
    with pytest.raises(mtfix.InputError, match="not line-aligned"):
        mtfix.evaluate(mt, refs[:1], outputs)


def test_evaluate_repairs_when_no_outputs_are_given() -> None:
    mt = ["He go to a office in Moscow."]
    with mtfix.load(**FAST, document=False) as fixer:
        refs = [["He goes to an office in Moscow."]]
        result = mtfix.evaluate(mt, refs, fixer=fixer, errant=False)
    assert result.rows[0].output != mt[0]
    assert result.grammar["checker"] == "offline"


DOCUMENTED = [mtfix.Report, mtfix.Finding, mtfix.Edit, mtfix.Step, mtfix.Removal,
              mtfix.EvalResult, mtfix.MetricResult, mtfix.SentenceRow]  # fmt: skip


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda c: c.__name__)
def test_every_field_a_caller_touches_has_a_docstring(cls: type) -> None:
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    documented = {
        node.target.id
        for node, after in itertools.pairwise(body)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
    }  # fmt: skip
    fields = {n.target.id for n in body if isinstance(n, ast.AnnAssign)}  # type: ignore[union-attr]
    assert fields and fields == documented, fields - documented

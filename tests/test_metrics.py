"""Eval metrics: sacrebleu, GLEU and ERRANT agree with the reference tools and papers."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mtfix.score import SentenceRow
from mtfix.score.gleu import GLEU
from mtfix.score.metrics import behaviour, corpus_metrics, sentence_scores

DATA = Path(os.environ.get("MTFIX_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
RU_EN = DATA / "mlqe-pe" / "dev" / "ru-en"
JFLEG = DATA / "jfleg-dev"
needs_ru_en = pytest.mark.skipif(
    not (RU_EN / "dev.mt").exists(), reason=f"MLQE-PE ru-en dev not found under {DATA}"
)
needs_jfleg = pytest.mark.skipif(
    not (JFLEG / "dev.src").exists(), reason=f"JFLEG dev not found under {DATA}"
)

MT = ["the cat sat on mat .", "He go to school yesterday .", "It is fine .", "Good day ."]
OUT = ["the cat sat on the mat .", "He went to school yesterday .", "It is fine .", "Good day"]
REF = ["The cat sat on the mat .", "He went to school yesterday .", "It is fine .", "Good day !"]


def _lines(path: Path, n: int | None = None) -> list[str]:
    return path.read_text(encoding="utf-8").removesuffix("\n").split("\n")[:n]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _mix(mt: list[str], pe: list[str]) -> list[str]:
    """A pseudo-repair: the post-edit on even lines, the MT on odd ones."""
    return [p if i % 2 == 0 else m for i, (m, p) in enumerate(zip(mt, pe, strict=True))]


# ---------- sacrebleu ----------


def _sacrebleu_cli(ref: Path, hyp: Path) -> list[float]:
    """``sacrebleu REF -i HYP -m bleu chrf ter -b`` (CLI defaults, 4 decimals)."""
    cmd = [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp)]
    cmd += ["-m", "bleu", "chrf", "ter", "-b", "-w", "4"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [float(x) for x in json.loads(done.stdout)]


def _assert_cli_agrees(tmp_path: Path, mt: list[str], out: list[str], ref: list[str]) -> None:
    result = corpus_metrics(mt, out, [ref])
    ref_file = _write(tmp_path / "ref.txt", ref)
    before = _sacrebleu_cli(ref_file, _write(tmp_path / "mt.txt", mt))
    after = _sacrebleu_cli(ref_file, _write(tmp_path / "out.txt", out))
    for name, b, a in zip(("bleu", "chrf", "ter"), before, after, strict=True):
        assert result[name].before == pytest.approx(b, abs=0.01), name
        assert result[name].after == pytest.approx(a, abs=0.01), name
        assert result[name].delta == pytest.approx(result[name].after - result[name].before)


def test_corpus_metrics_match_sacrebleu_cli(tmp_path: Path) -> None:
    _assert_cli_agrees(tmp_path, MT, OUT, REF)


@needs_ru_en
def test_corpus_metrics_match_sacrebleu_cli_on_mlqe_pe(tmp_path: Path) -> None:
    mt, pe = _lines(RU_EN / "dev.mt"), _lines(RU_EN / "dev.pe")
    _assert_cli_agrees(tmp_path, mt, _mix(mt, pe), pe)


def test_corpus_metrics_signature_and_p_value() -> None:
    result = corpus_metrics(MT, OUT, [REF], n_resamples=200)
    assert set(result) == {"bleu", "chrf", "ter"}
    assert result["bleu"].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert "nc:6|nw:0" in result["chrf"].signature
    assert "case:lc|tok:tercom" in result["ter"].signature
    for metric in result.values():
        assert 0 < float(metric.extra["p_value"]) <= 1
        assert "bs:200|seed:12345" in str(metric.extra["test_signature"])
    again = corpus_metrics(MT, OUT, [REF], n_resamples=200)
    assert again["bleu"].extra["p_value"] == result["bleu"].extra["p_value"]


def test_corpus_metrics_rejects_misaligned_input() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        corpus_metrics(MT, OUT[:-1], [REF])


def test_sentence_scores_are_sentence_chrf() -> None:
    scores = sentence_scores(OUT, [REF])
    assert len(scores) == len(OUT)
    assert scores[1] == pytest.approx(100.0)
    assert 0 < scores[0] < 100
    two_refs = sentence_scores(["It is fine ."], [["Nope ."], ["It is fine ."]])
    assert two_refs == [pytest.approx(100.0)]


def _row(i: int, mt: str, out: str, refs: tuple[str, ...], before: float, after: float):
    return SentenceRow(i, mt, out, refs, before, after)


def test_behaviour_shares() -> None:
    rows = [
        _row(0, "a b", "a c", ("a c",), 50.0, 100.0),  # changed, improved
        _row(1, "x y", "x z", ("x w",), 60.0, 40.0),  # changed, worse
        _row(2, "ok .", "ok .", ("ok .",), 100.0, 100.0),  # clean, untouched
        _row(3, "fine", "fine !", ("fine", "fine"), 100.0, 80.0),  # clean, touched
    ]
    got = behaviour(rows)
    assert got["sentences"] == 4
    assert got["changed"] == 0.75
    assert (got["improved"], got["worse"], got["unchanged"]) == (0.25, 0.5, 0.25)
    assert got["no_fix_needed"] == 2
    assert got["no_fix_needed_untouched"] == 0.5


def test_behaviour_of_nothing() -> None:
    assert behaviour([])["changed"] == 0.0


# ---------- GLEU ----------


def test_gleu_penalises_copied_source_ngrams() -> None:
    gleu = GLEU(order=1, iterations=1)
    # 2 of 3 unigrams match the reference, but "the" was in the source and the
    # reference dropped it: (2 - 1) / 3.
    assert gleu.corpus_score(["the cat sat"], ["the cat sat"], [["a cat sat"]]) == pytest.approx(
        100 / 3
    )
    assert gleu.corpus_score(["a cat sat"], ["the cat sat"], [["a cat sat"]]) == pytest.approx(100)


def test_gleu_brevity_penalty_and_zero() -> None:
    gleu = GLEU(order=1, iterations=1)
    assert gleu.corpus_score(["cat"], ["cat"], [["the cat"]]) == pytest.approx(100 * math.exp(-1))
    assert GLEU(order=2, iterations=1).corpus_score(["x y"], ["x y"], [["a b"]]) == 0.0


def test_gleu_averages_over_sampled_references() -> None:
    gleu = GLEU(order=1, iterations=50)
    score = gleu.corpus_score(["a b"], ["a b"], [["a b"], ["c d"]])
    assert 0 < score < 100  # mean of 100 (first ref drawn) and 0 (second)
    assert score == gleu.corpus_score(["a b"], ["a b"], [["a b"], ["c d"]])
    assert gleu.signature == "n:1|iter:50|seed:101j|tok:whitespace|v:jfleg-2016"


@needs_jfleg
def test_gleu_reproduces_jfleg_source_baseline() -> None:
    src = _lines(JFLEG / "dev.src")
    refs = [_lines(JFLEG / f"dev.ref{i}") for i in range(4)]
    assert GLEU().corpus_score(src, src, refs) == pytest.approx(38.21, abs=0.1)


# ---------- ERRANT ----------

_SHIM = """
import sys, spacy
from mtfix.nlp import SPACY_MODEL
# errant's CLI loads en_core_web_sm by name (without NER): give it mtfix's copy, loaded once
load, cache = spacy.load, {}
spacy.load = lambda name, **kw: cache.get(name) or cache.setdefault(name, load(SPACY_MODEL, **kw))
from errant.commands.parallel_to_m2 import main
orig, *jobs = sys.argv[1:]
for job in jobs:
    *cors, out = job.split(",")
    sys.argv = ["errant_parallel", "-orig", orig, "-cor", *cors, "-out", out]
    main()
"""


def _errant_compare_cli(hyp_m2: Path, ref_m2: Path) -> list[float]:
    cmd = [sys.executable, "-m", "errant.commands.compare_m2", "-hyp", str(hyp_m2)]
    done = subprocess.run([*cmd, "-ref", str(ref_m2)], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    return [float(x) for x in lines[lines.index("TP\tFP\tFN\tPrec\tRec\tF0.5") + 1].split()]


@needs_ru_en
def test_errant_scores_match_errant_cli(tmp_path: Path) -> None:
    from mtfix.score.errant_scores import errant_scores

    mt, pe = _lines(RU_EN / "dev.mt", 200), _lines(RU_EN / "dev.pe", 200)
    hyp = _mix(mt, pe)
    hyp[2::3] = [" ".join(p.split()[:-1]) for p in pe[2::3]]  # drop the last token: FPs
    alt = [
        p if i % 3 else " ".join(m.split()[1:]) for i, (m, p) in enumerate(zip(mt, pe, strict=True))
    ]
    files = {k: _write(tmp_path / f"{k}.txt", v) for k, v in (("mt", mt), ("hyp", hyp))}
    files |= {k: _write(tmp_path / f"{k}.txt", v) for k, v in (("pe", pe), ("alt", alt))}
    m2 = {k: tmp_path / f"{k}.m2" for k in ("hyp", "ref1", "ref2")}
    jobs = [f"{files['hyp']},{m2['hyp']}", f"{files['pe']},{m2['ref1']}"]
    jobs.append(f"{files['pe']},{files['alt']},{m2['ref2']}")
    subprocess.run([sys.executable, "-c", _SHIM, str(files["mt"]), *jobs], check=True)
    for refs, ref_m2 in (([pe], m2["ref1"]), ([pe, alt], m2["ref2"])):
        tp, fp, fn, p, r, f = _errant_compare_cli(m2["hyp"], ref_m2)
        got = errant_scores(mt, hyp, refs)
        assert (got.extra["tp"], got.extra["fp"], got.extra["fn"]) == (tp, fp, fn)
        assert fp > 0 and tp > 0 and fn > 0
        assert got.extra["precision"] == pytest.approx(100 * p)
        assert got.extra["recall"] == pytest.approx(100 * r)
        assert got.after == pytest.approx(100 * f)
        assert got.before == 0.0


def test_errant_scores_small_cases(spacy_nlp) -> None:
    from mtfix.score.errant_scores import errant_scores

    mt = ["He go to school .", "It is fine ."]
    refs = [["He goes to school .", "It is fine ."]]
    perfect = errant_scores(mt, refs[0], refs)
    assert (perfect.extra["tp"], perfect.extra["fp"], perfect.extra["fn"]) == (1, 0, 0)
    assert (perfect.before, perfect.after) == (0.0, 100.0)
    untouched = errant_scores(mt, mt, refs)
    assert (untouched.extra["tp"], untouched.extra["fn"], untouched.after) == (0, 1, 0.0)
    wrong = errant_scores(mt, ["He went to school .", "It is fine !"], refs)
    assert (wrong.extra["tp"], wrong.extra["fp"], wrong.extra["fn"]) == (0, 2, 1)
    assert wrong.name == "errant_f05" and "errant:3" in (wrong.signature or "")

"""The sets and helpers that ``bench_search.py`` and ``calibrate_search.py`` share.

Sets by short name: JFLEG dev and MLQE-PE dev (as ``benchmark.py`` defines them), WMT21
ru-en reference A (human English: the search should leave it alone), the WMT21 system
with the lowest chrF against reference A (Online-Y, 59.98; the others 63.06-66.76, sacrebleu
CHRF() over the 1000 lines) scored by TER against reference A, and the WMT16 ru-en DA
sample (2016 MT, a fresh human reference, a DA z-score per line).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmark import RESULTS, benchmark_sets
from common import read_lines

from mtfix.read import read_line
from mtfix.score.evaluate import plain_lines

PAIRS = ("ru", "et", "ro", "ne", "si")
SET_NAMES = ("jfleg", *(f"{p}-en" for p in PAIRS), "wmt21-ref", "wmt21-online-y", "wmt16",
             *(f"{p}-en-train" for p in PAIRS))
REF_A = "wmt21-ru-en/txt/references/newstest2021.ru-en.ref.A.en"
WEAKEST = "wmt21-ru-en/txt/system-outputs/newstest2021.ru-en.hyp.Online-Y.en"
WMT16 = "old-mt-ru-en/wmt16-da/DAseg-newstest2016.{}.ru-en"


def search_sets(data: Path) -> dict[str, dict]:
    """Each set: ``mt`` (the input), ``refs`` (reference files), ``tok`` (Moses-tokenized)
    and for WMT16 ``da`` (the DA z-scores)."""
    bench = benchmark_sets(data)
    sets = {"jfleg": bench["jfleg dev"]}
    sets |= {f"{p}-en": bench[f"mlqe-pe {p}-en dev"] for p in PAIRS}
    for p in PAIRS:  # the acceptance model's training data (eval/train_accept.py)
        train = data / f"mlqe-pe/train/{p}-en"
        sets[f"{p}-en-train"] = {"mt": train / "train.mt", "refs": [train / "train.pe"],
                                 "tok": True}  # fmt: skip
    sets["wmt21-ref"] = {"mt": data / REF_A, "refs": [], "tok": False}
    sets["wmt21-online-y"] = {"mt": data / WEAKEST, "refs": [data / REF_A], "tok": False}
    sets["wmt16"] = {
        "mt": data / WMT16.format("mt-system"),
        "refs": [data / WMT16.format("reference")],
        "da": data / WMT16.format("human"),
        "tok": False,
    }
    return sets


def chosen(data: Path, names: str) -> dict[str, dict]:
    """The sets named in ``names`` (comma-separated), in that order."""
    sets = search_sets(data)
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in sets]
    if unknown:
        raise SystemExit(f"unknown sets {unknown}; choose from {', '.join(SET_NAMES)}")
    return {n: sets[n] for n in wanted}


def load_set(spec: dict, limit: int | None) -> dict[str, list]:
    """The set's lines (``mt``, as in the file), the pipeline's input (``plain``, Moses-
    detokenized where tokenized), the reference streams and DA scores, ``limit`` lines."""
    mt = read_lines(spec["mt"], limit)
    refs = [read_lines(r, limit) for r in spec["refs"]]
    da = [float(x) for x in read_lines(spec["da"], limit)] if "da" in spec else []
    return {"mt": mt, "plain": plain_lines(mt, spec["tok"]), "refs": refs, "da": da}


def one_line_articles(lines: list[str]) -> list:
    """One article per line, as ``mtfix eval`` reads a line-aligned corpus."""
    return [read_line(x) for x in lines]


def kind_of(source: str) -> str:
    """A step's kind for counting: ``lm:<kind>``, ``rules`` for every rule, else the source
    (the checker's name, a model's)."""
    return "rules" if source.startswith("rules:") else source


def results_stem(out: str) -> Path:
    """Where ``--out`` writes: the stem as given, a bare name under ``eval/results/``."""
    path = Path(out)
    return path if len(path.parts) > 1 else RESULTS / path


def write_results(stem: Path, data: dict, markdown: str) -> None:
    """``<stem>.json`` and ``<stem>.md`` (a dot in the stem is kept)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    (stem.parent / f"{stem.name}.json").write_text(json.dumps(data, indent=2) + "\n")
    (stem.parent / f"{stem.name}.md").write_text(markdown)

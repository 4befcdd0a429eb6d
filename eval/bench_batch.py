"""Batch speed: ``mtfix batch`` on a feed built from WMT21 ru-en, beside a naive loop.

    python eval/bench_batch.py [-n 200] [--model ID_OR_DIR] [--naive 40] [--batch-size 32]
                               [--checker offline] [--fluency] [--write]

The feed: one article per WMT21 document and MT system (title = the first segment, one
paragraph per segment), the systems taken from the weakest by human z-score up, until
there are N articles. Three runs, each in a fresh process (peak memory is its own):
``mtfix batch --no-rewrite``, ``mtfix batch`` with the model, and a naive loop that
repairs one article at a time with one sentence per model call (on the first ``--naive``
articles). Each prints articles/s, sentences/s and peak RSS; the speed-up is the full
batch rate over the naive rate. Model: ``--model``, else the shipped one, else a tiny
random T5 (tests/conftest.py). ``--write`` saves eval/results/batch-<date>.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, data_dir

NAMES = {"Nemo": "NVIDIA-NeMo"}


def systems_by_score(data: Path) -> list[str]:
    """WMT21 ru-en MT systems, weakest first by human z-score."""
    path = data / "wmt21-ru-en/humaneval/newstest2021-toen/ad-sys-scores-ru-en.csv"
    with path.open() as f:
        rows = [r for r in csv.DictReader(f, delimiter=" ") if not r["SYS"].startswith("HUMAN")]
    rows.sort(key=lambda r: float(r["Z.SCR"]))
    return [NAMES.get(r["SYS"].split(".")[0], r["SYS"].split(".")[0]) for r in rows]


def build_feed(n: int, path: Path) -> int:
    """Write N articles to ``path`` as JSONL; the number of segments in them."""
    data = data_dir()
    docs = ET.parse(data / "wmt21-ru-en/xml/newstest2021.ru-en.all.xml").getroot().findall("doc")
    written = segments = 0
    with path.open("w", encoding="utf-8") as out:
        for system in systems_by_score(data):
            for doc in docs:
                hyp = doc.find(f"hyp[@system='{system}']")
                segs = [s.text or "" for s in hyp.iter("seg")] if hyp is not None else []
                if len(segs) < 2 or written == n:
                    continue
                record = {
                    "id": f"{doc.get('id')}:{system}",
                    "system": system,
                    "title": segs[0],
                    "body": "\n\n".join(segs[1:]),
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written, segments = written + 1, segments + len(segs)
    return segments


def peak_mb() -> float:
    """This process's peak resident memory in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_batch(args: argparse.Namespace, rewrite: bool) -> dict:
    """One ``mtfix batch`` run in this process; rates from its records."""
    from mtfix.cli import main

    out = Path(tempfile.mkdtemp()) / "out.jsonl"
    argv = ["batch", args.feed, "-o", str(out), "-q", "--checker", args.checker]
    argv += ["--batch-size", str(args.batch_size)]
    argv += (["--model", args.model] if rewrite else ["--no-rewrite"]) + (
        [] if args.fluency else ["--no-fluency"]
    )
    start = time.perf_counter()
    main(argv)
    seconds = time.perf_counter() - start
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    sentences = sum(r["summary"]["sentences"] for r in records if "summary" in r)
    edits = sum(sum(r["summary"]["edits"].values()) for r in records if "summary" in r)
    return {"articles": len(records), "sentences": sentences, "seconds": seconds, "edits": edits}


def run_naive(args: argparse.Namespace) -> dict:
    """Articles one at a time, one sentence per model call, the pipeline loaded once."""
    from mtfix.batch.sources import read_source
    from mtfix.pipeline import Options, Pipeline
    from mtfix.read import read_bytes

    start = time.perf_counter()
    items = read_source(args.feed)[: args.naive]
    pipeline = Pipeline(Options(model=args.model, checker=args.checker, fluency=args.fluency))
    pipeline.stages.rewriter.batch_size = 1  # type: ignore[union-attr]
    sentences = edits = 0
    for item in items:
        report = pipeline.fix(read_bytes(item.data, name=item.key, fmt=item.fmt))
        sentences += len(report.article.sentences())
        edits += len(report.edits)
    seconds = time.perf_counter() - start
    return {"articles": len(items), "sentences": sentences, "seconds": seconds, "edits": edits}


def one(args: argparse.Namespace) -> None:
    """Run one mode and print its figures as JSON (in a fresh process)."""
    from mtfix.cli import quiet_libraries

    quiet_libraries()
    result = run_naive(args) if args.one == "naive" else run_batch(args, args.one == "full")
    result |= {"peak_mb": round(peak_mb()), "mode": args.one}
    result["articles_s"] = result["articles"] / result["seconds"]
    result["sentences_s"] = result["sentences"] / result["seconds"]
    print(json.dumps(result))


def default_model(args: argparse.Namespace) -> str:
    """``--model``, the shipped model, or a tiny random T5 built in a temporary folder."""
    from mtfix.rewrite.shipped import shipped_model_dir

    if args.model:
        return args.model
    if shipped := shipped_model_dir():
        return str(shipped)
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import build_tiny_t5

    return str(build_tiny_t5(Path(tempfile.mkdtemp())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="articles in the feed (default 200)")
    parser.add_argument("--model", help="rewrite model (default: shipped, else a tiny T5)")
    parser.add_argument("--naive", type=int, default=40, help="articles for the naive loop")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--checker", default="offline")
    parser.add_argument("--fluency", action="store_true", help="with the LM fluency score")
    parser.add_argument("--write", action="store_true", help="save eval/results/batch-<date>.md")
    parser.add_argument("--one", choices=("plain", "full", "naive"), help=argparse.SUPPRESS)
    parser.add_argument("--feed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return one(args)
    args.model = default_model(args)
    feed = Path(tempfile.mkdtemp()) / "feed.jsonl"
    segments = build_feed(args.n, feed)
    print(
        f"feed: {args.n} articles, {segments} segments; model {args.model}; "
        f"checker {args.checker}; fluency {'on' if args.fluency else 'off'}",
        flush=True,
    )
    rows = {}
    for mode in ("plain", "full", "naive"):
        cmd = [sys.executable, __file__, "--one", mode, "--feed", str(feed), "--model", args.model]
        cmd += ["--naive", str(args.naive), "--batch-size", str(args.batch_size)]
        cmd += ["--checker", args.checker] + (["--fluency"] if args.fluency else [])
        rows[mode] = json.loads(
            subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1]
        )
        print(line(rows[mode]), flush=True)
    speedup = rows["full"]["articles_s"] / rows["naive"]["articles_s"]
    print(f"speed-up of the full batch path over the naive loop: {speedup:.1f}x")
    if args.write:
        write_results(args, segments, rows, speedup)


LABELS = {"plain": "batch --no-rewrite", "full": "batch (full)", "naive": "naive loop"}


def line(r: dict) -> str:
    """One run's figures."""
    return (
        f"{LABELS[r['mode']]:<20} {r['articles']:>4} articles {r['seconds']:7.1f}s  "
        f"{r['articles_s']:6.2f} articles/s  {r['sentences_s']:7.1f} sentences/s  "
        f"{r['edits']:>5} candidates  peak {r['peak_mb']} MiB"
    )


def write_results(args: argparse.Namespace, segments: int, rows: dict, speedup: float) -> None:
    """A dated Markdown table in eval/results/."""
    path = ROOT / "eval" / "results" / f"batch-{dt.date.today().isoformat()}.md"
    table = [
        "| run | articles | seconds | articles/s | sentences/s | candidates | peak MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows.values():
        table.append(
            f"| {LABELS[r['mode']]} | {r['articles']} | {r['seconds']:.1f} | "
            f"{r['articles_s']:.2f} | {r['sentences_s']:.1f} | {r['edits']} | "
            f"{r['peak_mb']} |"
        )
    notes = [
        f"# mtfix batch benchmark, {dt.date.today().isoformat()}",
        "",
        f"`python eval/bench_batch.py {' '.join(sys.argv[1:])}`",
        "",
        f"Feed: {args.n} WMT21 ru-en articles ({segments} segments), weakest systems "
        f"first. Model: `{args.model}`. Checker: {args.checker}. Fluency: "
        f"{'on' if args.fluency else 'off'}. Batch size {args.batch_size}; naive loop "
        f"on the first {args.naive} articles. Times include loading.",
        "",
        *table,
        "",
        f"Speed-up of the full batch path over the naive loop: **{speedup:.1f}x**.",
        "",
    ]
    path.write_text("\n".join(notes), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

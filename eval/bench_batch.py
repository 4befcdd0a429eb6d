"""Batch speed: ``mtfix batch`` on a feed built from WMT21 ru-en, beside naive loops.

    python eval/bench_batch.py [-n 200] [--naive 40] [--procs 0] [--model ID_OR_DIR]
        [--batch-size 32] [--checker offline] [--no-fluency] [--threads 2] [--label L]
        [--write]

The feed (``wmt_feed.py``): N articles, one per WMT21 document and MT system, weakest
systems first. Each run is a fresh process, so its peak RSS is its own: ``mtfix batch
--no-model`` (rules and checker only) and ``mtfix batch`` as it runs by default (the LM
search; with ``--model``, a rewriting model's rewrites among its proposals) on the whole
feed with the local engine, the naive loop (``--naive`` articles spread over the feed,
one ``fix`` call each, the pipeline loaded once) and, with ``--procs``, a new ``mtfix
fix`` process per article. Rates leave loading out (shown apart), except for the process
loop, where loading is the point. Speed-ups compare sentences/s, as articles differ in
length. The LM's engine is the process's (``MTFIX_ENGINE``). ``--write`` saves
eval/results/batch-<date>[-label].md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT
from wmt_feed import build_feed


def peak_mb() -> float:
    """This process's peak resident memory in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(records: list[dict], load: float, seconds: float) -> dict:
    """Articles, sentences and candidates of a run's records, with its times."""
    done = [r["summary"] for r in records if "summary" in r]
    return {
        "articles": len(records),
        "sentences": sum(r["sentences"] for r in done),
        "edits": sum(sum(r["edits"].values()) for r in done),
        "load": load,
        "seconds": seconds,
    }


def run_batch(args: argparse.Namespace, rewrite: bool) -> dict:
    """The local engine of ``mtfix batch`` over the whole feed, as the command runs it."""
    from mtfix.batch.engine import make_engine
    from mtfix.batch.sink import JsonlSink
    from mtfix.batch.sources import read_source
    from mtfix.pipeline import Options

    options = Options(model=args.model, use_model=rewrite, checker=args.checker,
                      fluency=args.fluency)  # fmt: skip
    start = time.perf_counter()
    engine = make_engine("local", options, batch_size=args.batch_size)
    engine.start()
    load = time.perf_counter() - start
    records: list[dict] = []
    with JsonlSink(str(Path(tempfile.mkdtemp()) / "out.jsonl")) as sink:
        engine.run(read_source(args.feed), lambda rs: (sink.write(rs), records.extend(rs)))
    return figures(records, load, time.perf_counter() - start - load)


def run_naive(args: argparse.Namespace) -> dict:
    """Articles one at a time, the pipeline loaded once."""
    from mtfix.batch.engine import ok_record
    from mtfix.batch.sources import read_source
    from mtfix.pipeline import Options, Pipeline
    from mtfix.read import read_bytes

    items = read_source(args.feed)
    items = items[:: max(1, len(items) // args.naive)][: args.naive]  # spread over the feed
    start = time.perf_counter()
    pipeline = Pipeline(Options(model=args.model, checker=args.checker, fluency=args.fluency))
    load = time.perf_counter() - start
    records = []
    for item in items:
        report = pipeline.fix(read_bytes(item.data, name=item.key, fmt=item.fmt))
        records.append(ok_record(item, report))
    return figures(records, load, time.perf_counter() - start - load)


def run_procs(args: argparse.Namespace) -> dict:
    """``mtfix fix --json`` in a new process per article: everything loaded every time."""
    from mtfix.batch.sources import read_source

    items = read_source(args.feed)
    items = items[:: max(1, len(items) // args.procs)][: args.procs]
    folder, records = Path(tempfile.mkdtemp()), []
    opts = ["--json", "-q", "--checker", args.checker]
    opts += ["--model", args.model] if args.model else []
    opts += [] if args.fluency else ["--no-fluency"]
    env = os.environ | ({"OMP_NUM_THREADS": str(args.threads)} if args.threads else {})
    start = time.perf_counter()
    for k, item in enumerate(items):
        (folder / f"{k}.{item.fmt}").write_bytes(item.data)
        cmd = [sys.executable, "-m", "mtfix.cli", "fix", str(folder / f"{k}.{item.fmt}"), *opts]
        report = json.loads(subprocess.run(cmd, capture_output=True, env=env, check=True).stdout)
        edits = Counter("accepted" if e["accepted"] else "rejected" for e in report["edits"])
        records.append(
            {"summary": {"sentences": len(report["grammar"]["sentences"]), "edits": edits}}
        )
    return figures(records, 0.0, time.perf_counter() - start)


def one(args: argparse.Namespace) -> None:
    """Run one mode and print its figures as JSON (in a fresh process)."""
    from mtfix.cli import quiet_libraries

    quiet_libraries()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    if args.one in ("naive", "procs"):
        result = run_naive(args) if args.one == "naive" else run_procs(args)
    else:
        result = run_batch(args, args.one == "full")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result |= {"peak_mb": round(max(peak_mb(), children)), "mode": args.one}
    result["articles_s"] = result["articles"] / result["seconds"]  # loading left out
    result["sentences_s"] = result["sentences"] / result["seconds"]
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="articles in the feed (default 200)")
    parser.add_argument("--model", help="a rewriting model for the search (default: none)")
    parser.add_argument("--naive", type=int, default=40, help="articles for the naive loop")
    parser.add_argument("--procs", type=int, default=0, help="articles for a process each")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--checker", default="offline")
    parser.add_argument("--no-fluency", dest="fluency", action="store_false",
                        help="without the LM fluency score")  # fmt: skip
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2)")
    parser.add_argument("--label", help="names the results file (batch-<date>-<label>.md)")
    parser.add_argument("--write", action="store_true", help="save eval/results/batch-<date>.md")
    parser.add_argument("--one", choices=tuple(LABELS), help=argparse.SUPPRESS)
    parser.add_argument("--feed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return one(args)
    feed = Path(tempfile.mkdtemp()) / "feed.jsonl"
    segments = build_feed(args.n, feed)
    print(
        f"feed: {args.n} articles, {segments} segments; model {args.model or 'none'}; "
        f"checker {args.checker}; fluency {'on' if args.fluency else 'off'}",
        flush=True,
    )
    rows = {}
    for mode in [*LABELS][: 4 if args.procs else 3]:
        cmd = [sys.executable, __file__, "--one", mode, "--feed", str(feed)]
        cmd += ["--model", args.model] if args.model else []
        for name in ("naive", "procs", "batch_size", "checker", "threads"):
            cmd += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
        cmd += [] if args.fluency else ["--no-fluency"]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        rows[mode] = json.loads(done.stdout.splitlines()[-1])
        print(line(rows[mode]), flush=True)
    full = rows["full"]["sentences_s"]  # articles differ in length: compare sentences/s
    speedups = {m: full / rows[m]["sentences_s"] for m in rows if m in BASES}
    for mode, speedup in speedups.items():
        print(f"speed-up of the default batch path over the {LABELS[mode]}: {speedup:.1f}x")
    if args.write:
        write_results(args, segments, rows, speedups)


LABELS = {
    "plain": "batch --no-model",
    "full": "batch (default)",
    "naive": "naive loop",
    "procs": "process per article",
}
BASES = ("naive", "procs")


def line(r: dict) -> str:
    """One run's figures."""
    return (
        f"{LABELS[r['mode']]:<20} {r['articles']:>4} articles  load {r['load']:5.1f}s  "
        f"run {r['seconds']:7.1f}s  {r['articles_s']:6.2f} articles/s  "
        f"{r['sentences_s']:7.1f} sentences/s  {r['edits']:>5} candidates  "
        f"peak {r['peak_mb']} MiB"
    )


def mtfix_file() -> str:
    """Where the ``mtfix`` this run measures lives (a checkout on PYTHONPATH, or here)."""
    import mtfix

    return mtfix.__file__


def write_results(args: argparse.Namespace, segments: int, rows: dict, speedups: dict) -> None:
    """A dated Markdown table in eval/results/."""
    day = dt.date.today().isoformat()
    path = ROOT / "eval" / "results" / f"batch-{day}{'-' + args.label if args.label else ''}.md"
    table = [
        "| run | articles | load s | run s | articles/s | sentences/s | candidates | peak MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows.values():
        table.append(
            f"| {LABELS[r['mode']]} | {r['articles']} | {r['load']:.1f} | {r['seconds']:.1f} | "
            f"{r['articles_s']:.2f} | {r['sentences_s']:.1f} | {r['edits']} | "
            f"{r['peak_mb']} |"
        )
    text = [
        f"# mtfix batch benchmark, {day}",
        "",
        f"`python eval/bench_batch.py {' '.join(sys.argv[1:])}`",
        "",
        f"Feed: {args.n} WMT21 ru-en articles ({segments} segments), weakest systems first. "
        f"Model: `{args.model or 'none'}`. LM engine: {os.environ.get('MTFIX_ENGINE', 'auto')}. "
        f"mtfix: `{Path(mtfix_file()).parent}`. Checker: {args.checker}. Fluency: "
        f"{'on' if args.fluency else 'off'}. Batch size {args.batch_size}. Torch threads: "
        f"{args.threads or 'default'}. Rates leave loading out (the load column).",
        "",
        *table,
        "",
    ]
    text += [
        f"Speed-up of the default batch path over the {LABELS[m]}: **{x:.1f}x**."
        for m, x in speedups.items()
    ]
    path.write_text("\n".join([*text, ""]), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

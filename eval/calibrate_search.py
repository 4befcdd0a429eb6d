"""Calibrate the search's margin: one run at a low margin, replayed at every margin of a grid.

    python eval/calibrate_search.py [--sets jfleg,ru-en,...] [--limit N]
                                    [--set-limit jfleg=754,wmt16=200] [--low NATS]
                                    [--grid 0.5,1,...] [--all] [--batch N] [--fresh]
                                    [--cache DIR] [--out STEM]

The pipeline runs once per set as ``mtfix eval`` runs it (one-line articles, no document
detector and no article pass, the offline checker) with ``Options(margin=LOW)``, and each
line's accepted edits with their steps (source, start, end, before, after, gain) go to a
cache (``--cache``; ``~/.cache/mtfix/calibrate/<set>-low<LOW>.jsonl``), a line at a time:
a rerun reads it, an interrupted run resumes (``--fresh`` starts over). Then for each
margin M of the grid each line's steps are replayed in order up to the first one whose
gain is under M (a rule's or a checker's fix, source ``rules:*``, ``languagetool`` or
``harper``, needs a gain of 0 only, as in the search), and the replayed outputs are
scored: JFLEG dev GLEU (4 references, as ``mtfix eval``), MLQE-PE dev TER against the
post-edit (in the data's tokenization) and the share of lines whose post-edit equals the
MT left alone, WMT21 ru-en reference A (human English) the share changed, each change
listed, WMT16 DA TER against the reference and the share changed per DA quartile (Q1: the
worst MT).

The replay is the search at M (each round's options are the same, best first, the margin
only cuts them), except where a round's best edit falls under M while a sure fix of the
same round gains between 0 and M: the search at M takes the fix and goes on, the replay
stops. Replaying every step must give the run's own output; the script checks it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

# torch's OpenMP threads spin while they wait: while anything else runs on the 2 cores a
# 2-thread forward took 10x longer (7.4 s, not 0.8). Waiting passively costs nothing
# measurable on an idle machine; OMP_WAIT_POLICY=ACTIVE lets them spin.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, data_dir
from margin_replay import calibrate_set
from search_sets import chosen, load_set, one_line_articles, results_stem, write_results

GRID = (0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
LOW = 0.5
CACHE = Path.home() / ".cache" / "mtfix" / "calibrate"
BATCH = 16  # lines repaired together, then written to the cache


# --- the cache: one run at the low margin ------------------------------------------------


def code_version() -> dict:
    """The commit of the code that made a cache, and a hash of mtfix/'s local changes (None:
    none), so a cache made by other code says so."""

    def git(*args: str) -> str:
        run = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return run.stdout

    local = git("diff", "HEAD", "--", "mtfix") + git("status", "--porcelain", "mtfix")
    digest = hashlib.sha1(local.encode()).hexdigest()[:10] if local.strip() else None
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "local_changes": digest}


def cache_path(name: str, low: float, search_all: bool, folder: Path = CACHE) -> Path:
    return folder / f"{name}-low{low:g}{'-all' if search_all else ''}.jsonl"


def read_cache(path: Path) -> tuple[dict, dict[int, dict]]:
    """The cache's header and its records by line index (a torn last line is dropped)."""
    header: dict = {}
    records: dict[int, dict] = {}
    if not path.exists():
        return header, records
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if "header" in item:
            header = item["header"]
        else:
            records[item["i"]] = item
    return header, records


def record(i: int, line: str, report, considered: list | None = None) -> dict:
    """What the replay needs of one line's report, and the candidates the search weighed
    in it (for ``train_accept.py``)."""
    edits = [
        {"start": e.start, "end": e.end, "before": e.before, "after": e.after,
         "steps": [[s.source, s.start, s.end, s.before, s.after, s.gain, s.features]
                   for s in e.steps]}
        for e in report.edits if e.accepted
    ]  # fmt: skip
    removed = [asdict(r) for r in report.removed]
    weighed = [
        {"sentence": sentence, "text": text,
         "steps": [[s.source, s.start, s.end, s.before, s.after, s.gain, s.features]
                   for s in steps]}
        for sentence, text, steps in considered or [] if sentence in report.article.text
    ]  # fmt: skip
    return {"i": i, "line": line, "text": report.article.text, "output": report.output,
            "removed": removed, "edits": edits, "considered": weighed}  # fmt: skip


class Runner:
    """The pipeline at the low margin, loaded on first use (a cached rerun loads nothing)."""

    def __init__(self, low: float, search_all: bool, batch: int, threads: int = 2,
                 profile: str = "news") -> None:  # fmt: skip
        self.low, self.search_all, self.batch, self.threads = low, search_all, batch, threads
        self.profile = profile
        self.pipeline = None
        self.notices: list[str] = []
        self.made_by: dict[str, dict] = {}  # per set, the code version of its cache

    def fill(self, name: str, plain: list[str], path: Path, fresh: bool) -> dict[int, dict]:
        """Every line's record, the missing ones computed and appended to the cache."""
        header, records = ({}, {}) if fresh else read_cache(path)
        records = {i: r for i, r in records.items() if i < len(plain) and r["line"] == plain[i]}
        todo = [i for i in range(len(plain)) if i not in records]
        now = code_version()
        self.made_by[name] = header.get("version", now)
        if self.made_by[name] != now:
            self.notices.append(f"{name}: cache made by code {self.made_by[name]}, code now "
                                f"{now} (--fresh recomputes)")  # fmt: skip
        if not todo:
            return records
        if fresh or not path.exists():
            write_header(path, self.low, self.search_all)
        self._compute(name, plain, todo, path, records)
        return records

    def _compute(self, name: str, plain: list[str], todo: list[int], path: Path,
                 records: dict[int, dict]) -> None:  # fmt: skip
        pipeline, start = self._pipeline(), time.perf_counter()
        _end_line(path)
        with path.open("a", encoding="utf-8") as out:
            for k in range(0, len(todo), self.batch):
                chunk = todo[k : k + self.batch]
                search = pipeline.repairer().search
                search.considered = []
                reports = pipeline.fix_many(one_line_articles([plain[i] for i in chunk]))
                for i, report in zip(chunk, reports, strict=True):
                    mine = [c for c in search.considered if c[0] in report.article.text]
                    records[i] = record(i, plain[i], report, mine)
                    out.write(json.dumps(records[i], ensure_ascii=False) + "\n")
                out.flush()
                done, spent = k + len(chunk), time.perf_counter() - start
                print(f"  {name}: {done}/{len(todo)} lines repaired, {done / spent:.2f} lines/s",
                      file=sys.stderr, flush=True)  # fmt: skip

    def _pipeline(self):
        if self.pipeline is None:
            import torch

            from mtfix.pipeline import Options, Pipeline

            torch.set_num_threads(self.threads)
            options = Options(checker="offline", document=False, style=False, margin=self.low,
                              search_all=self.search_all, profile=self.profile)  # fmt: skip
            self.pipeline = Pipeline(options)
            self.notices += self.pipeline.notices()
        return self.pipeline


def _end_line(path: Path) -> None:
    """After a run killed mid-write, start the next record on a line of its own."""
    if path.exists() and path.stat().st_size:
        with path.open("rb+") as f:
            f.seek(-1, 2)
            if f.read(1) != b"\n":
                f.write(b"\n")


def write_header(path: Path, low: float, search_all: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"low": low, "search_all": search_all, "version": code_version()}
    path.write_text(json.dumps({"header": header}) + "\n", encoding="utf-8")


# --- the tables ----------------------------------------------------------------------------


def table(results: dict, grid: list[float]) -> list[list[str]]:
    """Rows ``set metric`` by columns ``unchanged`` and each margin."""
    cols = ["unchanged", *(f"{m:g}" for m in grid)]
    rows = [["set", "metric", *cols]]
    for name, res in results.items():
        for metric in res["margins"]["unchanged"]:
            rows.append([name, metric, *(fmt(res["margins"][c][metric], metric) for c in cols)])
    return rows


def kinds_table(results: dict, grid: list[float]) -> list[list[str]]:
    """Steps kept per kind (all sets) at each margin."""
    cols = [f"{m:g}" for m in grid]
    totals = {c: Counter() for c in cols}
    for res in results.values():
        for c in cols:
            totals[c].update(res["kinds"][c])
    kinds = sorted(totals[cols[0]], key=lambda k: -totals[cols[0]][k])
    return [["kind", *cols], *([k, *(str(totals[c][k]) for c in cols)] for k in kinds)]


def fmt(value: float, metric: str) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.1%}" if metric.startswith(("changed", "untouched")) else f"{value:.2f}"


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def md_table(rows: list[list[str]], labels: int = 1) -> str:
    """A Markdown table: the first ``labels`` columns text, the others numbers."""
    head = "| " + " | ".join(rows[0]) + " |"
    rule = "|" + "|".join("---" if k < labels else "---:" for k in range(len(rows[0]))) + "|"
    return "\n".join([head, rule, *("| " + " | ".join(r) + " |" for r in rows[1:])])


def changes_text(results: dict) -> list[str]:
    rows = results.get("wmt21-ref", {}).get("changed_lines", [])
    return [f"{r['line']}: up to margin {r['up_to_margin']:g} [{', '.join(r['sources'])}] "
            f"{r['diff']}" for r in rows]  # fmt: skip


def markdown(results: dict, grid: list[float], notices: list[str]) -> str:
    parts = [
        "# Search margin calibration",
        "",
        md_table(table(results, grid), labels=2),
        "",
        "Steps kept per kind (all sets):",
        "",
        md_table(kinds_table(results, grid)),
    ]
    changes = changes_text(results)
    if changes:
        parts += ["", "WMT21 ref A lines changed (diff at the lowest margin):", ""]
        parts += [f"- {c}" for c in changes]
    parts += ["", "Run notes:", *(f"- {n}" for n in notices)]
    return "\n".join(parts) + "\n"


# --- the run -------------------------------------------------------------------------------


def set_limits(args: argparse.Namespace, names: list[str]) -> dict[str, int | None]:
    """Lines per set: ``--limit`` for all, ``--set-limit name=N`` for some."""
    limits: dict[str, int | None] = dict.fromkeys(names, args.limit)
    for part in filter(None, (args.set_limit or "").split(",")):
        name, _, n = part.partition("=")
        limits[name.strip()] = int(n)
    return limits


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="jfleg,ru-en", help="comma-separated set names")
    parser.add_argument("--limit", type=int, help="only the first N lines of each set")
    parser.add_argument("--set-limit", help="per set, e.g. jfleg=754,wmt16=200")
    parser.add_argument("--low", type=float, default=LOW, help="the margin of the run (nats)")
    parser.add_argument("--grid", default=",".join(f"{m:g}" for m in GRID))
    parser.add_argument("--all", action="store_true", help="search every sentence")
    parser.add_argument("--batch", type=int, default=BATCH, help="lines per fix_many call")
    parser.add_argument("--fresh", action="store_true", help="ignore and rewrite the cache")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2)")
    parser.add_argument("--profile", default="news", help="news (default) or learner: "
                        "which proposers run (the margin is --low's)")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"cache folder ({CACHE})")
    parser.add_argument("--out", help="write <stem>.json and <stem>.md")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    grid = sorted(float(m) for m in args.grid.split(","))
    if grid[0] < args.low:
        sys.exit(f"the grid starts under the run's margin {args.low}: nothing to replay there")
    sets = chosen(data_dir(), args.sets)
    limits = set_limits(args, list(sets))
    runner, results = Runner(args.low, args.all, args.batch, args.threads, args.profile), {}
    for name, spec in sets.items():
        data = load_set(spec, limits[name])
        path = cache_path(name, args.low, args.all, args.cache)
        print(f"{name}: {len(data['mt'])} lines, cache {path}", file=sys.stderr, flush=True)
        records = runner.fill(name, data["plain"], path, args.fresh)
        results[name] = calibrate_set(name, data, records, spec["tok"], grid)
        results[name] |= {"cache": str(path), "code": runner.made_by[name]}
        if args.out:  # after every set: a long run keeps what it measured
            save(args.out, results, grid, run_notes(results, runner, args, limits))
    show(results, grid, run_notes(results, runner, args, limits))


def save(out: str, results: dict, grid: list[float], notes: list[str]) -> None:
    """``<stem>.json`` and ``<stem>.md``."""
    stem = results_stem(out)
    write_results(stem, {"notices": notes, "grid": grid, "sets": results},
                  markdown(results, grid, notes))  # fmt: skip
    print(f"wrote {stem}.json and {stem}.md", file=sys.stderr, flush=True)


def show(results: dict, grid: list[float], notes: list[str]) -> None:
    """Print the tables, the changed lines of human English and the notes."""
    print(text_table(table(results, grid)))
    print("\nsteps kept per kind (all sets):")
    print(text_table(kinds_table(results, grid)))
    if "wmt21-ref" in results:
        print("\n".join(["", "WMT21 ref A lines changed:", *changes_text(results)]))
    print("\n".join(["", *notes]))


def replay_notes(results: dict) -> list[str]:
    """The replay's check: at the lowest margin every step is kept, so the outputs must be
    the run's own."""
    return [
        f"{name}: replaying every step gives the run's output on all {r['lines']} lines"
        if not r["replay_mismatches"]
        else f"{name}: replaying every step differs from the run's output on "
        f"{r['replay_mismatches']} of {r['lines']} lines"
        for name, r in results.items()
    ]


def run_notes(results: dict, runner: Runner, args: argparse.Namespace, limits: dict) -> list:
    """The run's notes: the stages', the replay check, the settings, each cache's code."""
    search = "every sentence" if args.all else "flagged sentences"
    options = (f"Options(checker='offline', document=False, style=False, margin={args.low}, "
               f"profile={args.profile!r})")
    return [*dict.fromkeys(runner.notices), *replay_notes(results), f"the run: {options}",
            f"limits {limits}", f"search {search}",
            *(f"{n}: cache made by code {r['code']}" for n, r in results.items())]  # fmt: skip


if __name__ == "__main__":
    main()

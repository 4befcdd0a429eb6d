"""``mtfix batch INPUT -o OUTPUT.jsonl``: repair every article of a feed into JSONL records.

Exit status: 0 when every record is a repaired article, 1 when any is an error record
(this run's or, with ``--resume``, an earlier run's), 2 for an error that stops the run
before any work (unreadable input, duplicate ids, an output that exists).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from mtfix.batch.engine import ENGINES, make_engine
from mtfix.batch.sink import JsonlSink
from mtfix.batch.sources import KINDS, read_source
from mtfix.pipeline import Options

PLAIN_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``mtfix batch`` (the repair options are added by the caller)."""
    parser.add_argument(
        "input",
        help="a JSONL file (id, title, body, other fields passed through), an RSS or Atom "
        "feed, a directory of article files (id = relative path), or - for JSONL on stdin",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUTPUT.jsonl",
        help="the records, one JSON line per input article, in input order",
    )
    parser.add_argument(
        "--input-kind",
        default="auto",
        choices=KINDS,
        help="what INPUT is (default: by extension, else sniffed)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted run: keep the records in OUTPUT, repair the rest",
    )
    parser.add_argument(
        "--engine",
        default="local",
        choices=ENGINES,
        help="local (this process) or ray (Ray Data; pip install 'mtfix[ray]')",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="model-holding Ray actors (ray engine only; default 1)",
    )
    parser.add_argument(
        "--address",
        metavar="ADDR",
        help="an existing Ray cluster (default: a local Ray for the run)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=32,
        metavar="N",
        help="articles repaired together, their sentences batched (default 32)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="add the whole report of mtfix fix --json to each record",
    )


@dataclass
class Tally:
    """Records written by this run, and progress shown as they come."""

    total: int
    skipped: int
    quiet: bool = False
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    ok: int = 0
    failed: int = 0
    bar: Any = None
    started: float = field(default_factory=time.monotonic)
    last_line: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if not self.quiet and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, initial=self.skipped, unit="article",
                            file=self.stream, dynamic_ncols=True)  # fmt: skip

    def add(self, records: list[dict[str, Any]]) -> None:
        failed = sum(1 for r in records if r.get("error"))
        self.failed += failed
        self.ok += len(records) - failed
        if self.bar is not None:
            self.bar.update(len(records))
        elif not self.quiet and time.monotonic() - self.last_line >= PLAIN_EVERY:
            self.last_line = time.monotonic()
            print(f"mtfix: {self.line()}", file=self.stream, flush=True)

    def line(self) -> str:
        """Articles done, rate and time left."""
        done = self.ok + self.failed
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = done / elapsed
        left = self.total - self.skipped - done
        eta = f"{left / rate:.0f}s" if rate > 0 else "?"
        return f"{self.skipped + done}/{self.total} articles, {rate:.2f} articles/s, ETA {eta}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(args: argparse.Namespace, options: Options) -> int:
    """Read the input, skip what OUTPUT has (``--resume``), repair the rest, summarise."""
    items = read_source(args.input, args.input_kind)  # ids checked before any work
    engine = make_engine(args.engine, options, batch_size=args.batch_size,
                         workers=args.workers, full=args.full, address=args.address)  # fmt: skip
    with JsonlSink(args.output, resume=args.resume) as sink:
        keys = {item.key for item in items}
        todo = [item for item in items if item.key not in sink.done]
        earlier = sum(1 for key, bad in sink.done.items() if bad and key in keys)
        _notify(args, _resume_notes(sink, keys))
        tally = Tally(len(items), len(items) - len(todo), quiet=args.quiet)

        def write(records: list[dict[str, Any]]) -> None:
            sink.write(records)
            tally.add(records)

        try:
            if todo:
                notices = engine.start()
                if getattr(args, "no_rewrite", False):
                    notices.append("rewrite skipped: --no-rewrite given")
                _notify(args, notices)
                engine.run(todo, write)
                _notify(args, [n for n in engine.notices() if n not in notices])
        finally:
            engine.close()
            tally.close()
    more = f" ({earlier} of them failed in an earlier run)" if earlier else ""
    elapsed = time.monotonic() - tally.started
    print(f"mtfix: {tally.ok} ok, {tally.failed} failed, {tally.skipped} skipped{more} "
          f"in {elapsed:.1f}s", file=sys.stderr)  # fmt: skip
    return 1 if tally.failed or earlier else 0


def _resume_notes(sink: JsonlSink, keys: set[str]) -> list[str]:
    notes = []
    if sink.torn:
        notes.append(f"{sink.path}: cut off a torn last line ({sink.torn} bytes); redoing it")
    stray = sum(1 for key in sink.done if key not in keys)
    if stray:
        notes.append(f"{sink.path}: {stray} record(s) have ids that are not in the input")
    return notes


def _notify(args: argparse.Namespace, notices: list[str]) -> None:
    if not args.quiet:
        for notice in notices:
            print(f"mtfix: {notice}", file=sys.stderr)

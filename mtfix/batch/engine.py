"""Repairing batches of items into output records, in-process (``local``) or on Ray (``ray``).

``repair_batch`` is the one function every engine runs: it reads each item with
``read_bytes`` (so every input check of ``mtfix fix`` applies), repairs the readable
articles together with ``Fixer.fix_many`` (their flagged sentences go to the model in
one length-sorted batch), and turns each into a record; an item that cannot be read or
repaired becomes an error record with its original text. Records come out in item order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from mtfix.api import Fixer
from mtfix.article import Article, Report
from mtfix.batch.sources import Item
from mtfix.errors import ConfigError, MtfixError
from mtfix.output.compose import compose
from mtfix.output.report import report_dict
from mtfix.pipeline import Options
from mtfix.read import read_bytes

ENGINES = ("local", "ray")
Write = Callable[[list[dict[str, Any]]], None]


def split_output(report: Report) -> tuple[str | None, str]:
    """The repaired title (None without one) and the repaired body."""
    title = report.article.title
    if title is None:
        return None, report.output.strip()
    text = report.article.text
    removed = [r for r in report.removed if r.end <= title.end]
    edits = [e for e in report.edits if e.end <= title.end]
    head = compose(text[: title.end], removed, edits)
    if not report.output.startswith(head):  # never expected: a change across the headline
        head, _, _ = report.output.partition("\n\n")
    return head.strip() or None, report.output[len(head) :].strip()


def summary(report: Report, data: dict[str, Any]) -> dict[str, Any]:
    """Findings by category, edits accepted and rejected, grammar issues before and after."""
    edits = Counter("accepted" if e.accepted else "rejected" for e in report.edits)
    grammar = data["grammar"]
    return {
        "sentences": len(report.article.sentences()),
        "findings": dict(Counter(f.category for f in report.findings)),
        "edits": {"accepted": edits["accepted"], "rejected": edits["rejected"]},
        "removed": len(report.removed),
        "grammar": {
            "checker": grammar["checker"],
            "before": grammar["before"]["count"],
            "after": grammar["after"]["count"],
        },
    }


def ok_record(item: Item, report: Report, full: bool = False) -> dict[str, Any]:
    """The output record of a repaired article."""
    data = report_dict(report)
    title, body = split_output(report)
    record = {"id": item.id, **item.fields, "title": title, "body": body}
    record["summary"] = summary(report, data)
    if full:
        record["report"] = data
    return record


def error_record(item: Item, error: str) -> dict[str, Any]:
    """The output record of an article that failed: its original text and why."""
    return {"id": item.id, **item.fields, "title": item.title, "body": item.body, "error": error}


def repair_batch(items: Sequence[Item], fixer: Fixer, full: bool = False) -> list[dict]:
    """One output record per item, in order; failures become error records."""
    errors: dict[int, str] = {}
    articles: dict[int, Article] = {}
    for i, item in enumerate(items):
        if item.error:
            errors[i] = item.error
            continue
        try:
            articles[i] = read_bytes(item.data, name=item.key, fmt=item.fmt)
        except MtfixError as exc:
            errors[i] = str(exc)
            continue
        if not articles[i].paragraphs:
            del articles[i]
            errors[i] = f"{item.key}: no body text (a title alone, or only markup)"
    reports = _fix(fixer, articles, items, errors)
    return [
        error_record(item, errors[i]) if i in errors else ok_record(item, reports[i], full)
        for i, item in enumerate(items)
    ]


def _fix(
    fixer: Fixer, articles: dict[int, Article], items: Sequence[Item], errors: dict[int, str]
) -> dict[int, Report]:
    """Reports of the articles, together; one by one if that fails, to find the culprit."""
    if not articles:
        return {}
    try:
        return dict(zip(articles, fixer.fix_many(list(articles.values())), strict=True))
    except Exception as exc:
        if len(articles) == 1:
            i = next(iter(articles))
            errors[i] = f"{items[i].key}: internal error: {type(exc).__name__}: {exc}"
            return {}
    reports: dict[int, Report] = {}
    for i, article in articles.items():
        reports |= _fix(fixer, {i: article}, items, errors)
    return reports


def chunks(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    """``items`` in consecutive slices of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Engine(Protocol):
    """Runs ``repair_batch`` over items and hands the records to ``write`` in input order."""

    def start(self) -> list[str]:
        """Load what the engine needs; notices to show."""
        ...

    def run(self, items: Sequence[Item], write: Write) -> None:
        """Repair every item; ``write`` gets every record exactly once, in input order."""
        ...

    def notices(self) -> list[str]:
        """Notices of the run so far (a checker that failed mid-run)."""
        ...

    def close(self) -> None:
        """Release what ``start`` took."""
        ...


class LocalEngine:
    """One fixer in this process; the next batch is repaired while the last is written."""

    def __init__(self, options: Options, batch_size: int = 32, full: bool = False) -> None:
        self.options, self.batch_size, self.full = options, batch_size, full
        self.fixer: Fixer | None = None

    def start(self) -> list[str]:
        self.fixer = Fixer(self.options)
        return self.fixer.notices()

    def run(self, items: Sequence[Item], write: Write) -> None:
        assert self.fixer is not None, "start() first"
        with ThreadPoolExecutor(1, thread_name_prefix="mtfix-write") as writer:
            pending: Future | None = None
            for batch in chunks(items, self.batch_size):
                records = repair_batch(batch, self.fixer, self.full)
                if pending is not None:
                    pending.result()
                pending = writer.submit(write, records)
            if pending is not None:
                pending.result()

    def notices(self) -> list[str]:
        return self.fixer.notices() if self.fixer is not None else []

    def close(self) -> None:
        if self.fixer is not None:
            self.fixer.close()


def make_engine(
    name: str, options: Options, *, batch_size: int = 32, workers: int = 1, full: bool = False,
    address: str | None = None,
) -> Engine:  # fmt: skip
    """The engine called ``name``."""
    if batch_size < 1 or workers < 1:
        raise ConfigError("--batch-size and --workers must be at least 1")
    if name == "local":
        if workers > 1 or address:
            raise ConfigError("--workers and --address need --engine ray")
        return LocalEngine(options, batch_size, full)
    if name == "ray":
        from mtfix.batch.ray_engine import RayEngine

        return RayEngine(options, batch_size, full, workers, address)
    raise ConfigError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")

"""One pipeline behind a bounded queue: requests wait their turn, or are told to come back.

The pipeline (its models are not safe to share between threads) runs in one worker
thread (``mtfix serve`` gives it a ``ProcessPipeline``: the pipeline in a child process).
Articles that arrive while it is busy wait in a queue of at most ``max_waiting`` and are
repaired together (``Pipeline.fix_many`` batches the model's work); a request that finds
the queue full gets ``Busy`` with a retry estimate, never an unbounded wait. When a batch
fails, each of its articles is repaired alone, once, so one bad article fails only its
own request (an article alone, or a pipeline that is ``Unavailable``, is not retried).
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

from mtfix.article import Article, Report
from mtfix.serve.process import Unavailable


class Busy(Exception):
    """The queue is full; ``retry_after`` is a guess, in whole seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy: retry after {retry_after} s")
        self.retry_after = retry_after


class Worker:
    """Repairs articles one batch at a time, in arrival order."""

    def __init__(self, pipeline: Any, max_waiting: int = 16, max_batch: int = 8) -> None:
        self.pipeline, self.max_waiting, self.max_batch = pipeline, max_waiting, max_batch
        self.queue: asyncio.Queue | None = None
        self.task: asyncio.Task | None = None
        self.seconds_per_article = 5.0  # updated from every batch repaired

    async def start(self) -> None:
        self.queue = asyncio.Queue(self.max_waiting)
        self.task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()

    @property
    def waiting(self) -> int:
        return self.queue.qsize() if self.queue else 0

    async def fix(self, article: Article) -> Report:
        """The report of ``article``; raises ``Busy`` when the queue is full."""
        assert self.queue is not None, "Worker.start() was not awaited"
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        try:
            self.queue.put_nowait((article, done))
        except asyncio.QueueFull:
            waited = (self.waiting + self.max_batch) * self.seconds_per_article
            raise Busy(max(1, math.ceil(waited / self.max_batch))) from None
        return await done

    async def _run(self) -> None:
        assert self.queue is not None
        while True:
            batch = [await self.queue.get()]
            while len(batch) < self.max_batch and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            live = [(a, f) for a, f in batch if not f.done()]  # the client may have gone
            if live:
                await self._repair(live)

    async def _repair(self, batch: list[tuple[Article, asyncio.Future]]) -> None:
        start = time.perf_counter()
        try:
            reports = await asyncio.to_thread(self.pipeline.fix_many, [a for a, _ in batch])
        except Exception as exc:  # one bad article must not fail the others
            reports = await self._each_alone([a for a, _ in batch], exc)
        self.seconds_per_article = (time.perf_counter() - start) / len(batch)
        for (_, done), report in zip(batch, reports, strict=True):
            if done.done():
                continue
            if isinstance(report, Exception):
                done.set_exception(report)
            else:
                done.set_result(report)

    async def _each_alone(
        self, articles: list[Article], failure: Exception
    ) -> list[Report | Exception]:
        """After ``failure`` of the batch ``articles``: each article's report (or error)
        repaired alone; the batch's error where it had one article or no pipeline."""
        if len(articles) == 1 or isinstance(failure, Unavailable):
            return [failure] * len(articles)
        reports: list[Report | Exception] = []
        for article in articles:  # once the pipeline is unavailable, the rest fail as it did
            last = reports[-1] if reports else None
            reports.append(last if isinstance(last, Unavailable) else await self._alone(article))
        return reports

    async def _alone(self, article: Article) -> Report | Exception:
        try:
            return await asyncio.to_thread(self.pipeline.fix, article)
        except Exception as exc:
            return exc

"""The Ray engine: ``repair_batch`` on Ray Data, in actors that each hold one pipeline.

Needs the ``ray`` extra (``pip install 'mtfix[ray]'``). Without ``--address`` it starts
a Ray instance on this machine for the run and stops it after; with one it joins that
cluster (``auto``, or ``ray://host:10001``), whose nodes need mtfix and its models
installed. Items travel pickled, records come back as JSON lines with their input
index; the driver writes them in input order, as the local engine does.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import pickle
from collections.abc import Sequence
from typing import Any

from mtfix.api import Fixer
from mtfix.batch.engine import Write, repair_batch
from mtfix.batch.sources import Item
from mtfix.errors import ConfigError
from mtfix.pipeline import Options


class RepairActor:
    """A Ray Data callable class: loads a fixer once, repairs one batch per call."""

    def __init__(self, options: Options, full: bool) -> None:
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        self.fixer = Fixer(options)
        self.full = full

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        items = [pickle.loads(blob) for blob in batch["item"]]
        records = repair_batch(items, self.fixer, self.full)
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        return {"index": np.asarray(batch["index"]), "line": np.array(lines, dtype=object)}


class RayEngine:
    """Repairs items with ``workers`` model-holding actors on a local or remote Ray."""

    def __init__(
        self, options: Options, batch_size: int = 32, full: bool = False, workers: int = 1,
        address: str | None = None,
    ) -> None:  # fmt: skip
        self.options, self.batch_size, self.full = options, batch_size, full
        self.workers, self.address = workers, address
        self.started = False

    def start(self) -> list[str]:
        try:
            import ray
        except ImportError:
            raise ConfigError("--engine ray needs Ray: pip install 'mtfix[ray]'") from None
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            kwargs["logging_level"] = logging.WARNING
            if self.address:
                ray.init(address=self.address, **kwargs)
            else:  # room for the actors and for the tasks that feed them
                ray.init(num_cpus=max(os.cpu_count() or 1, self.workers + 1), **kwargs)
            self.started = True
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        where = self.address or "a local Ray instance"
        return [f"ray engine: {self.workers} worker(s) on {where}"]

    def run(self, items: Sequence[Item], write: Write) -> None:
        import ray

        rows = [{"index": i, "item": pickle.dumps(item)} for i, item in enumerate(items)]
        if not rows:
            return
        dataset = ray.data.from_items(rows).map_batches(
            RepairActor,
            fn_constructor_kwargs={"options": self.options, "full": self.full},
            compute=ray.data.ActorPoolStrategy(size=self.workers),
            batch_size=self.batch_size,
            batch_format="numpy",
        )
        waiting: list[tuple[int, str]] = []  # a heap of records that came early
        next_index = 0
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            for index, line in zip(batch["index"], batch["line"], strict=True):
                heapq.heappush(waiting, (int(index), str(line)))
            ready = []
            while waiting and waiting[0][0] == next_index:
                ready.append(json.loads(heapq.heappop(waiting)[1]))
                next_index += 1
            write(ready)
        if next_index != len(items):  # never expected: Ray lost or repeated a row
            raise RuntimeError(f"ray engine returned {next_index} of {len(items)} records")

    def notices(self) -> list[str]:
        return []  # the actors' notices are in each record's report (--full)

    def close(self) -> None:
        if self.started:
            import ray

            ray.shutdown()

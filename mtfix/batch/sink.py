"""The batch output: a JSONL file that records are appended to, one whole line at a time.

Each flush is one ``os.write`` of whole lines on an ``O_APPEND`` descriptor, then an
``fsync``, so a reader sees complete lines; a ``kill -9`` in the middle of a write can
leave a torn last line at most, which ``--resume`` cuts off before it reads the ids
already written. An exclusive ``flock`` keeps two runs from appending to one file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from typing import Any

from mtfix.batch.sources import DUPLICATE, duplicate_key
from mtfix.errors import ConfigError

# Testing only: write each flush in two halves this many seconds apart, so that a test
# can kill a run in the middle of a line (tests/test_batch_kill.py).
SPLIT_ENV = "MTFIX_BATCH_SPLIT_WRITE"


def record_key(record: dict[str, Any]) -> str:
    """The key of an output record, as its item's (``Item.key``)."""
    key = str(record["id"])
    return duplicate_key(key, record[DUPLICATE]) if DUPLICATE in record else key


def encode(records: list[dict[str, Any]]) -> bytes:
    """Records as JSONL bytes, one line each."""
    lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return "".join(lines).encode("utf-8", "replace")


class JsonlSink:
    """Appends records to ``path``; with ``resume``, ``done`` holds the ids already there."""

    def __init__(self, path: str, resume: bool = False) -> None:
        self.path = path
        self.done: dict[str, bool] = {}  # id -> the record is an error record
        self.torn = 0  # bytes of a torn last line cut off on resume
        if os.path.isdir(path):
            raise ConfigError(f"{path}: is a directory; give a file name to write to")
        if not resume and os.path.exists(path) and os.path.getsize(path) > 0:
            raise ConfigError(f"{path}: exists; pass --resume to finish that run, or remove it")
        try:
            self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise ConfigError(f"{path}: another mtfix batch is writing it") from None
        if resume:
            self._recover()

    def _recover(self) -> None:
        """Cut a torn last line off, and read the id (and error flag) of every record."""
        good = 0
        with open(self.path, "rb") as handle:
            for n, line in enumerate(handle, 1):
                if not line.endswith(b"\n"):
                    break  # torn by a kill: written again below
                good += len(line)
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    key = record_key(record)
                except (ValueError, KeyError, TypeError):
                    self.close()
                    raise ConfigError(
                        f"{self.path}: line {n} is not a record of mtfix batch; cannot resume"
                    ) from None
                self.done[key] = bool(record.get("error"))
        size = os.fstat(self.fd).st_size
        if size > good:
            os.ftruncate(self.fd, good)
            self.torn = size - good

    def write(self, records: list[dict[str, Any]]) -> None:
        """Append the records as whole lines and flush them to disk."""
        if not records:
            return
        data = encode(records)
        delay = float(os.environ.get(SPLIT_ENV) or 0)
        if delay:
            self._write_all(data[: len(data) // 2])
            time.sleep(delay)
            data = data[len(data) // 2 :]
        self._write_all(data)
        os.fsync(self.fd)

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # a regular file takes it all in one write but for a signal or a full disk
            try:
                view = view[os.write(self.fd, view) :]
            except OSError as exc:
                raise ConfigError(f"{self.path}: cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        """Release the lock and the descriptor."""
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

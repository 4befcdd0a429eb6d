"""The pipeline in a child process that the server restarts: no request takes the server down.

``ProcessPipeline`` has the ``fix`` / ``fix_many`` of an in-process pipeline, so the
``Worker`` calls it the same way. It starts one child with multiprocessing's "spawn"
context, which builds the pipeline (``mtfix.api.Fixer(options)``, or a test's factory),
repairs one sentence to load every model, and then repairs the batches sent over a pipe.
The parent bounds every call: the child is killed (with whatever it started, such as a
local LanguageTool) and started again when it dies (killed, segfault, out of memory),
runs past the call's deadline or goes over the memory cap (its own resident memory,
polled while a call or a start is waited for). A supervisor thread starts a new child as
soon as the old one is gone, between calls too, so ``/health`` says ``restarting`` while
one loads and ``ok`` once it is ready, with the count of restarts.

What a request the pipeline could not finish gets (``PipelineError``: one line):

- 500 (``ChildLost``): the child died, ran past the deadline or over the memory cap on it.
  The ``Worker`` has already retried each article of a failed batch alone, so this is the
  article's own doing, and sending it again would fail again: an error, not "come back".
- 503 with ``Retry-After`` (``Unavailable``): no child could be started (its loading
  failed, died or timed out) or the server is stopping; the same request may work later.

After each batch the child runs the garbage collector and hands freed memory back to the
OS (glibc's ``malloc_trim``, where there is one). The child is ended by ``close`` (the
app's lifespan shutdown, with ``atexit`` as a backstop) and ends itself if its parent goes.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import gc
import importlib
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, NoReturn

import psutil

from mtfix.article import Article, Report

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from mtfix.pipeline import Options

WARM_UP = "Visit de Mistura in Moscow will continue the efforts of the Minister of foreign Affairs."
FIXER = "mtfix.api:Fixer"  # the factory: called with the options, returns the pipeline
POLL = 0.1  # seconds between looks at a child that is working or loading
GRACE = 5.0  # seconds a closing child has to end before it is killed


class PipelineError(Exception):
    """The pipeline could not repair an article: the HTTP status and a one-line reason."""

    status = 500
    retry_after: int | None = None


class ChildLost(PipelineError):
    """The child died, or was killed past the deadline or the memory cap, during a call."""


class Unavailable(PipelineError):
    """No child could be started (or the pipeline is closed): try again later."""

    status = 503

    def __init__(self, reason: str, retry_after: int = 10) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


SECONDS_PER_KB = 3.0  # added to the deadline per 1,000 characters: the work grows with the
# text (the LM's budget is 0.35 tokens a character; at float32 on a 2-core EPYC it reads
# about 200 tokens a second, 1.75 s per 1,000 characters, and the search comes on top)


def batch_deadline(timeout: float, articles: Sequence[Article]) -> float:
    """Seconds a batch may take: the whole timeout for the first article, half of it for
    each other (they share the LM's work; an article over its share is retried alone),
    plus ``SECONDS_PER_KB`` per 1,000 characters of text."""
    chars = sum(len(a.text) for a in articles)
    return timeout * (1 + (max(len(articles), 1) - 1) / 2) + SECONDS_PER_KB * chars / 1000


def one_line(exc: BaseException) -> str:
    """``exc`` as its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (an ``MtfixError`` does), else a ``RuntimeError``
    saying what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(one_line(exc))


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except (OSError, TypeError):  # no C library to open (Windows takes no None)
        return None


def release_memory() -> None:
    """Collect garbage and give the freed heap back to the OS (glibc only; else a no-op)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def load_factory(path: str) -> Callable[..., Any]:
    """``"package.module:name"`` -> that object."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _leave_with_parent(parent: int) -> None:
    """End this process (as SIGTERM does: local LanguageTool servers close) once the parent
    that started it is gone."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def child_main(conn: Connection, options: Options | None, factory: str, parent: int) -> None:
    """The child: build and warm the pipeline, then repair each batch the parent sends."""
    from mtfix.read import read_line

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_leave_with_parent, args=(parent,), daemon=True).start()
    try:
        pipeline = load_factory(factory)(options)
        pipeline.fix(read_line(WARM_UP))
    except BaseException as exc:
        conn.send(("failed", portable(exc)))
        return
    release_memory()
    conn.send(("ready", None))
    serve_batches(conn, pipeline)
    with contextlib.suppress(Exception):
        getattr(pipeline, "close", lambda: None)()


def serve_batches(conn: Connection, pipeline: Any) -> None:
    """Answer ``("fix", articles)`` with ``("done", reports)`` or ``("error", exc)`` until
    ``("close", None)`` or the parent's end of the pipe closes."""
    while True:
        try:
            kind, articles = conn.recv()
        except (EOFError, OSError):
            return
        if kind != "fix":
            return
        try:
            answer: tuple[str, Any] = ("done", pipeline.fix_many(articles))
        except Exception as exc:
            answer = ("error", portable(exc))
        del articles
        conn.send(answer)
        del answer
        release_memory()


class Child:
    """One child process and the parent's end of its pipe."""

    def __init__(self, options: Options | None, factory: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=child_main, args=(theirs, options, factory, os.getpid()), name="mtfix-pipeline"
        )
        self.process.start()
        theirs.close()
        self.handle = psutil.Process(self.process.pid)
        self.started: list[psutil.Process] = []  # what the child started, once it is ready
        self.ready = False

    def alive(self) -> bool:
        return self.process.is_alive()

    def rss(self) -> int:
        try:
            return self.handle.memory_info().rss
        except psutil.Error:
            return 0

    def death(self) -> str:
        """How the child ended, in words."""
        self.process.join(1.0)
        code = self.process.exitcode
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return f"was killed by {signal.Signals(-code).name}"
        return f"exited with status {code}" if code is not None else "closed its pipe"

    def receive(self, seconds: float, max_bytes: int) -> tuple[str, Any]:
        """The child's next message within ``seconds``; ``ChildLost`` (the child killed) if
        it dies, runs past them or goes over ``max_bytes`` of resident memory first."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.conn.poll(POLL):
                    return self.conn.recv()
            except (EOFError, OSError):  # the child is gone (or was killed by ``close``)
                self.lost(f"the pipeline's process {self.death()}")
            if not self.alive():
                self.lost(f"the pipeline's process {self.death()}")
            if self.rss() > max_bytes:
                self.lost(f"the pipeline went over {max_bytes / 2**30:.1f} GB of memory")
            if time.monotonic() > deadline:
                self.lost(f"the pipeline ran past {seconds:.0f} s")

    def send(self, message: tuple[str, Any]) -> None:
        try:
            self.conn.send(message)
        except OSError:
            self.lost(f"the pipeline's process {self.death()}")

    def lost(self, reason: str) -> NoReturn:
        self.kill()
        raise ChildLost(f"{reason}; it was restarted")

    def kill(self) -> None:
        """SIGKILL the child and everything it started; reap it."""
        with contextlib.suppress(psutil.Error):
            self.started += self.handle.children(recursive=True)
        for process in [self.handle, *self.started]:
            with contextlib.suppress(psutil.Error):
                process.kill()
        self.process.join(GRACE)
        self.conn.close()

    def close(self) -> None:
        """Ask the child to end (closing what it started), and kill it if it does not."""
        with contextlib.suppress(OSError):
            self.conn.send(("close", None))
        self.process.join(GRACE)
        self.kill()


class ProcessPipeline:
    """``fix`` / ``fix_many`` done by a pipeline in a child process, restarted when lost.

    ``factory``: ``"module:name"`` of what builds the pipeline from ``options`` (tests
    give a fake); ``timeout``: seconds one article may take (a batch: ``batch_deadline``);
    ``max_memory_gb``: the child's resident memory cap; ``start_timeout``: seconds a
    child may take to load. Starts the first child and waits for it (its failure raises).
    """

    def __init__(
        self,
        options: Options | None = None,
        *,
        factory: str = FIXER,
        timeout: float = 120.0,
        max_memory_gb: float = 8.0,
        start_timeout: float = 600.0,
    ) -> None:
        self.options, self.factory = options, factory
        self.timeout, self.start_timeout = timeout, start_timeout
        self.max_bytes = int(max_memory_gb * 2**30)
        self.restarts = 0
        self.child: Child | None = None
        self.closed = False
        self.lock = threading.Lock()  # whoever holds it owns ``child`` and its pipe
        atexit.register(self.close)
        with self.lock:
            self._ready(first=True)
        self.supervisor = threading.Thread(target=self._supervise, daemon=True)
        self.supervisor.start()

    def fix(self, article: Article) -> Report:
        return self.fix_many([article])[0]

    def fix_many(self, articles: Sequence[Article]) -> list[Report]:
        """The reports of ``articles``, in order; ``PipelineError`` if the child fails on
        them (an error the pipeline raised is raised as it is)."""
        with self.lock:
            child = self._ready()
            child.send(("fix", list(articles)))
            deadline = batch_deadline(self.timeout, articles)
            kind, answer = child.receive(deadline, self.max_bytes)
        if kind == "error":
            raise answer
        return answer

    def health(self) -> dict[str, Any]:
        """``status``: ``ok``, ``restarting`` (a child loads, or is gone and about to) or
        ``closed``; ``restarts``: children started after the first."""
        child = self.child
        ready = child is not None and child.ready and child.alive()
        status = "closed" if self.closed else "ok" if ready else "restarting"
        return {"status": status, "restarts": self.restarts}

    @property
    def pid(self) -> int | None:
        """The child's process id (None between children)."""
        return self.child.process.pid if self.child else None

    def close(self) -> None:
        """End the child (killed if a call still runs after ``GRACE``); later calls raise
        ``Unavailable``."""
        self.closed = True
        idle = self.lock.acquire(timeout=GRACE)
        try:
            if self.child is not None and idle:
                self.child.close()
            elif self.child is not None:
                self.child.kill()
        finally:
            if idle:
                self.lock.release()

    def _ready(self, first: bool = False) -> Child:
        """The loaded child, started (and waited for) first where there is none alive."""
        if self.closed:
            raise Unavailable("the server is stopping")
        if self.child is not None and self.child.alive():
            return self.child
        if self.child is not None:
            self.child.kill()
        self.restarts += 0 if first else 1
        self.child = Child(self.options, self.factory)
        try:
            kind, answer = self.child.receive(self.start_timeout, self.max_bytes)
        except ChildLost as exc:
            self.child = None
            raise Unavailable(f"the pipeline could not start: {exc}") from None
        if kind == "failed":
            self.child.kill()
            self.child = None
            if first:
                raise answer
            raise Unavailable(f"the pipeline could not start: {one_line(answer)}")
        self.child.ready = True
        with contextlib.suppress(psutil.Error):
            self.child.started = self.child.handle.children(recursive=True)
        if self.closed:  # closed while it loaded
            self.child.close()
            raise Unavailable("the server is stopping")
        return self.child

    def _supervise(self) -> None:
        """Start a new child as soon as the last one is gone (a failing start is tried
        again after ``backoff``)."""
        backoff = 1.0
        while not self.closed:
            time.sleep(backoff)
            if self.child is not None and self.child.alive():
                continue
            if not self.lock.acquire(timeout=POLL):  # a call is running: it will restart
                continue
            try:
                self._ready()
                backoff = 1.0
            except PipelineError:
                backoff = min(backoff * 2, 60.0)
            finally:
                self.lock.release()

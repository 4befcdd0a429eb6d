"""The server's pipeline in a child process: killed, stalled or bloated, it is restarted
and only the request that did it fails."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

pytest.importorskip("starlette")

from mtfix.errors import InputError
from mtfix.read import read_line
from mtfix.serve.process import ChildLost, ProcessPipeline, Unavailable, batch_deadline


def wait_for(pipeline: ProcessPipeline, status: str, seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while pipeline.health()["status"] != status:
        assert time.monotonic() < end, f"still {pipeline.health()} after {seconds} s"
        time.sleep(0.1)


@pytest.fixture
def echo():
    pipeline = ProcessPipeline(factory="fake_pipelines:Echo", timeout=3.0, max_memory_gb=0.6)
    yield pipeline
    pipeline.close()


def test_a_killed_child_is_restarted_and_health_says_so(echo: ProcessPipeline) -> None:
    assert echo.fix(read_line("one")) == "ONE"
    first = echo.pid
    os.kill(first, signal.SIGKILL)
    seen = set()
    end = time.monotonic() + 60
    while echo.health() != {"status": "ok", "restarts": 1}:
        seen.add(echo.health()["status"])
        assert time.monotonic() < end, echo.health()
        time.sleep(0.02)
    assert "restarting" in seen
    assert echo.pid != first and echo.fix(read_line("two")) == "TWO"


@pytest.mark.parametrize(
    ("trigger", "says"),
    [("CRASH-NOW", "exited with status 139"), ("SLEEP-NOW", "ran past 3 s"),
     ("HOG-NOW", "over 0.6 GB of memory")],
)  # fmt: skip
def test_an_article_that_kills_stalls_or_bloats_fails_alone(echo, trigger, says) -> None:
    start = time.monotonic()
    with pytest.raises(ChildLost) as caught:
        echo.fix(read_line(f"an article with {trigger} in it"))
    assert says in str(caught.value) and "\n" not in str(caught.value)
    assert time.monotonic() - start < 30
    assert echo.fix(read_line("next")) == "NEXT"  # a new child answers the next call
    assert echo.health() == {"status": "ok", "restarts": 1}


def test_the_pipelines_own_errors_pass_through_and_keep_the_child(echo) -> None:
    pid = echo.pid
    with pytest.raises(InputError, match="refused"):
        echo.fix(read_line("REFUSE-NOW"))
    with pytest.raises(RuntimeError, match="Unpicklable: holds a lock"):
        echo.fix(read_line("ODD-NOW"))
    assert echo.pid == pid and echo.fix(read_line("still here")) == "STILL HERE"


def test_a_pipeline_that_cannot_be_built_fails_the_start() -> None:
    with pytest.raises(RuntimeError, match="no model here"):
        ProcessPipeline(factory="fake_pipelines:failing")


def test_a_closed_pipeline_is_unavailable() -> None:
    pipeline = ProcessPipeline(factory="fake_pipelines:Echo")
    child = pipeline.child.process
    pipeline.close()
    child.join(10)
    assert not child.is_alive() and pipeline.health()["status"] == "closed"
    with pytest.raises(Unavailable):
        pipeline.fix(read_line("late"))


def test_a_batch_shares_one_deadline_that_grows_with_it() -> None:
    short, long = read_line("x" * 10), read_line("x" * 10_000)
    assert batch_deadline(10, [short]) == pytest.approx(10.03)
    assert batch_deadline(10, [short] * 3) == pytest.approx(20.09)
    assert batch_deadline(10, [long]) == pytest.approx(40)


def test_one_killer_article_in_a_batch_fails_only_its_request() -> None:
    import httpx

    from mtfix.serve.app import create_app

    pipeline = ProcessPipeline(factory="fake_pipelines:Local", timeout=60.0)
    app = create_app(pipeline, max_waiting=8, max_batch=4, close=True)
    texts = ["He go to a office yesterday.", "Visit de CRASH-NOW in Moscow.",
             "She have two cat.", "The talks continues today."]  # fmt: skip

    async def together() -> tuple[list[httpx.Response], httpx.Response]:
        await app.state.worker.start()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mtfix") as http:
            answers = await asyncio.gather(*[http.post("/api/fix", json={"text": t},
                                                       timeout=120) for t in texts])  # fmt: skip
            health = await http.get("/health")
        await app.state.worker.stop()
        return answers, health

    try:
        answers, health = asyncio.run(together())
    finally:
        pipeline.close()
    codes = [r.status_code for r in answers]
    assert codes == [200, 500, 200, 200]
    reason = answers[1].json()["error"]
    assert "exited with status 139" in reason and "\n" not in reason
    assert answers[0].json()["output"] != texts[0]  # the others were repaired
    assert health.status_code == 200 and health.json()["status"] in {"ok", "restarting"}


def eval_dir() -> None:
    """``eval/`` importable: its input makers and its loopback server are shared."""
    import sys
    from pathlib import Path

    path = str(Path(__file__).parent.parent / "eval")
    if path not in sys.path:
        sys.path.insert(0, path)


def hostile_requests() -> list[tuple[str, str]]:
    """Twenty texts of 30-500 KB of the shapes that took the server down (issue 35), with
    the format each is sent as."""
    eval_dir()
    import hostile_kinds as kinds

    makers = [(kinds.long_token, "text"), (kinds.brackets, "markdown"),
              (kinds.backticks, "markdown"), (kinds.nested, "json"),
              (kinds.surrogate, "json")]  # fmt: skip
    sizes = [30_000, 100_000, 250_000, 499_000]
    return [(make(size)[1].decode(), fmt) for size in sizes for make, fmt in makers]


def test_twenty_hostile_requests_leave_the_server_up_and_its_memory_back() -> None:
    import httpx

    eval_dir()
    from serve_loopback import mtfix_serve

    options = ["--no-model", "--no-fluency", "--checker", "offline", "--request-timeout", "60"]
    with mtfix_serve(options) as (url, memory):
        httpx.post(f"{url}/api/fix", json={"text": "He go to a office."}, timeout=60)
        before = memory()
        requests = hostile_requests()
        assert len(requests) == 20
        start = time.monotonic()
        for text, fmt in requests:
            answer = httpx.post(f"{url}/api/fix", json={"text": text, "format": fmt}, timeout=120)
            assert answer.status_code in {200, 400, 413}, (fmt, len(text), answer.text[:200])
            if answer.status_code != 200:
                reason = answer.json()["error"]
                assert reason and "\n" not in reason and "Traceback" not in reason
            health = httpx.get(f"{url}/health", timeout=5)
            assert health.status_code == 200 and health.json()["status"] == "ok"
        assert time.monotonic() - start < 600
        assert memory() <= 1.2 * before

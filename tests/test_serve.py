"""mtfix serve: LanguageTool's API with the real client, /api/fix, bad requests, the queue."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from starlette.testclient import TestClient

from mtfix.pipeline import Pipeline
from mtfix.read import MAX_INPUT_BYTES
from mtfix.serve.app import create_app
from mtfix.serve.languagetool import Offsets

SEED = Path(__file__).parent.parent / "samples" / "lavrov-de-mistura.mt.txt"
GERMAN = (
    "Der Außenminister wird morgen in Moskau mit dem Gesandten der Vereinten Nationen "
    "über die Lage in Syrien sprechen."
)


@pytest.fixture(scope="module")
def client(local_pipeline):
    with TestClient(create_app(local_pipeline)) as c:
        yield c


def test_language_tool_python_gets_every_finding_and_the_repairs(serve_url: str, client) -> None:
    import language_tool_python
    from language_tool_python.utils import correct

    text = SEED.read_text(encoding="utf-8")
    report = client.post("/api/fix", json={"text": text}).json()
    tool = language_tool_python.LanguageTool("en-US", remote_server=serve_url)
    matches = tool.check(text)
    spans = [(m.offset, m.offset + m.error_length) for m in matches]
    for finding in report["findings"]:  # every finding is, or is part of, a match
        assert any(s < finding["end"] and finding["start"] < e for s, e in spans), finding
    assert {m.rule_id for m in matches} >= {"MTFIX_REMOVE", "MTFIX_REPAIR_SEARCH"}
    assert correct(text, matches) == report["output"]  # the replacements are mtfix's repair
    assert "Minister of Foreign Affairs" in report["output"]


def test_offsets_are_utf16_units_of_what_the_client_sent() -> None:
    sent = "Emoji 😀 here.\r\nVisit de Mistura."
    read = sent.replace("\r\n", "\n")  # the text mtfix works on
    offsets = Offsets.of(sent, sent)
    at = read.index("Visit")
    assert offsets(at) == sent.index("Visit") + 1  # one surrogate pair before it, CRLF kept
    assert Offsets.of("plain", "plain")(3) == 3


def test_annotated_data_maps_back_into_the_markup(client) -> None:
    data = (
        '{"annotation": [{"markup": "<p>"}, {"text": "Visit de Mistura in Moscow will '
        'continue the efforts of the Minister of foreign Affairs."}, {"markup": "</p>"}]}'
    )
    body = client.post("/v2/check", data={"data": data, "language": "en-US"}).json()
    fixes = [m for m in body["matches"] if m["replacements"]]
    assert fixes, body["matches"]
    sentence = (
        "Visit de Mistura in Moscow will continue the efforts of the Minister of foreign Affairs."
    )
    document = f"<p>{sentence}</p>"
    for m in fixes:
        assert document[m["offset"] : m["offset"] + m["length"]] in m["context"]["text"]


def test_api_fix_returns_the_report_and_health_answers(client) -> None:
    text = SEED.read_text(encoding="utf-8")
    report = client.post("/api/fix", json={"text": text}).json()
    assert report["schema_version"] and report["output"].count("Lavrov will discuss") == 1
    assert client.get("/health").json()["status"] == "ok"
    langs = {x["longCode"] for x in client.get("/v2/languages").json()}
    assert {"en-US", "en-GB"} <= langs


@pytest.mark.parametrize(
    ("path", "kwargs", "status", "says"),
    [
        ("/v2/check", {"data": {"text": "x" * (MAX_INPUT_BYTES + 1), "language": "en-US"}},
         413, "over the limit"),
        ("/v2/check", {"content": b"text=%FF%FE&language=en-US",
                       "headers": {"content-type": "application/x-www-form-urlencoded"}},
         400, "UTF-8"),
        ("/v2/check", {"json": {"text": "Hello there.", "language": "en-US"}}, 415, "content type"),
        ("/v2/check", {"data": {"language": "en-US"}}, 400, "missing 'text'"),
        ("/v2/check", {"data": {"text": GERMAN, "language": "en-US"}}, 400, "not English"),
        ("/v2/check", {"data": {"text": "Hello there.", "language": "de-DE"}}, 400, "English"),
        ("/api/fix", {"content": b"{not json", "headers": {"content-type": "application/json"}},
         400, "not valid JSON"),
        ("/api/fix", {"content": b'{"text": "\xff"}',
                      "headers": {"content-type": "application/json"}}, 400, "UTF-8"),
        ("/api/fix", {"json": {"body": "Hello"}}, 400, "missing 'text'"),
        ("/api/fix", {"data": {"text": "Hello"}}, 415, "content type"),
    ],
)  # fmt: skip
def test_bad_requests_get_a_status_and_one_line(client, path, kwargs, status, says) -> None:
    response = client.post(path, **kwargs)
    assert response.status_code == status
    reason = response.json()["error"]
    assert says in reason and "\n" not in reason and "Traceback" not in reason


def test_a_body_over_the_limit_is_refused_before_it_is_read(client) -> None:
    from mtfix.serve.inputs import MAX_BODY

    big = b"text=" + b"a" * (MAX_BODY + 10)
    response = client.post(
        "/v2/check", content=big, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_the_text_is_not_logged(client, caplog) -> None:
    secret = "The Minister of foreign Affairs met Zyxwvut Qqqplorf in Moscow yesterday."
    with caplog.at_level(logging.DEBUG):
        client.post("/v2/check", data={"text": secret, "language": "en-US"})
        client.post("/api/fix", json={"text": secret})
    assert "Qqqplorf" not in caplog.text


class SlowPipeline:
    """Takes a while per batch, so requests pile up."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.inner, self.batches = pipeline, []

    def fix(self, article):
        return self.fix_many([article])[0]

    def fix_many(self, articles):
        time.sleep(0.5)
        self.batches.append(len(articles))
        return self.inner.fix_many(articles)


def test_a_full_queue_answers_503_with_retry_after(local_pipeline: Pipeline) -> None:
    import httpx

    slow = SlowPipeline(local_pipeline)
    app = create_app(slow, max_waiting=2, max_batch=2)

    async def flood() -> list[httpx.Response]:
        await app.state.worker.start()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mtfix") as http:
            sends = [http.post("/api/fix", json={"text": f"He go to a office number {i}."})
                     for i in range(8)]  # fmt: skip
            return await asyncio.gather(*sends)

    answers = asyncio.run(flood())
    codes = [r.status_code for r in answers]
    assert set(codes) == {200, 503} and codes.count(200) >= 2
    busy = [r for r in answers if r.status_code == 503]
    assert all(int(r.headers["Retry-After"]) >= 1 and r.json()["error"] for r in busy)
    assert max(slow.batches) == 2  # waiting articles are repaired together

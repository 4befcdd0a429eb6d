"""``mtfix batch``: sources, records, error records, resume, exit status and summary."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from batchfeeds import SENTENCES, article, records, write_jsonl

from mtfix.batch.engine import repair_batch, split_output
from mtfix.batch.sink import JsonlSink
from mtfix.batch.sources import Item, article_bytes, read_source
from mtfix.cli import main
from mtfix.errors import ConfigError
from mtfix.pipeline import Options, Pipeline

FAST = ["--no-rewrite", "--no-fluency", "--checker", "offline", "-q"]


def batch(*argv: str) -> int:
    return main(["batch", *argv, *FAST])


def test_feed_of_200_with_5_broken(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    ids = write_jsonl(feed, 195, bad_every=39)
    assert batch(str(feed), "-o", str(out)) == 1
    got = records(out)
    assert len(got) == 200 and [r["id"] for r in got] == ids
    failed = {r["id"]: r for r in got if "error" in r}
    assert sorted(failed) == sorted(["bad-empty", "bad-russian", "bad-big", "bad-bytes", ids[-1]])
    assert "not English" in failed["bad-russian"]["error"]
    assert "not valid UTF-8" in failed["bad-bytes"]["error"]
    assert "size limit" in failed["bad-big"]["error"]
    assert failed["bad-big"]["body"].startswith("The talks went on.")  # the original text
    assert "195 ok, 5 failed, 0 skipped" in capsys.readouterr().err


def test_records_pass_fields_through(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    write_jsonl(feed, 3)
    assert batch(str(feed), "-o", str(out), "--full") == 0
    first = records(out)[0]
    assert first["source"] == "test" and first["n"] == 0
    assert first["title"] == article(0)["title"]
    assert first["body"].startswith(SENTENCES[0][:20])
    summary = first["summary"]
    assert set(summary) >= {"findings", "edits", "grammar", "sentences"}
    assert summary["grammar"]["checker"] == "offline"
    assert first["report"]["input"].startswith(article(0)["title"])
    assert "3 ok, 0 failed, 0 skipped" in capsys.readouterr().err


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><guid>rss-1</guid><title>Talks in Geneva</title><link>https://example.org/1</link>
<description>&lt;p&gt;{}&lt;/p&gt;&lt;p&gt;{} &lt;a href="/x"&gt;more&lt;/a&gt;
&lt;/p&gt;</description></item><item><guid>rss-2</guid><title>Empty</title><description>
</description></item></channel></rss>""".format(*SENTENCES[:2])
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>News</title><id>urn:feed</id><updated>2024-01-01T00:00:00Z</updated>
<entry><id>urn:a1</id><title>Talks</title><updated>2024-01-01T00:00:00Z</updated>
<link href="https://example.org/a1"/>
<content type="html">&lt;p&gt;{}&lt;/p&gt;&lt;p&gt;{}&lt;/p&gt;</content>
</entry></feed>""".format(*SENTENCES[2:4])


def test_rss_feed(tmp_path: Path) -> None:
    (tmp_path / "news.rss").write_text(RSS, encoding="utf-8")
    assert batch(str(tmp_path / "news.rss"), "-o", str(tmp_path / "out.jsonl")) == 1
    ok, empty = records(tmp_path / "out.jsonl")
    assert ok["id"] == "rss-1" and ok["link"] == "https://example.org/1"
    assert ok["title"] == "Talks in Geneva" and "<" not in ok["body"]
    assert SENTENCES[1][:30] in ok["body"]
    assert empty["id"] == "rss-2" and "error" in empty


def test_atom_feed(tmp_path: Path) -> None:
    (tmp_path / "news.xml").write_text(ATOM, encoding="utf-8")
    assert batch(str(tmp_path / "news.xml"), "-o", str(tmp_path / "out.jsonl")) == 0
    (rec,) = records(tmp_path / "out.jsonl")
    assert rec["id"] == "urn:a1" and rec["link"] == "https://example.org/a1"
    assert SENTENCES[2][:30] in rec["body"] and "<p>" not in rec["body"]


def test_directory(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(f"Talks\n\n{SENTENCES[0]} {SENTENCES[1]}\n", encoding="utf-8")
    (root / "sub" / "b.md").write_text(f"# Talks\n\n{SENTENCES[2]}\n", encoding="utf-8")
    (root / "sub" / "latin.txt").write_bytes(f"Caf\xe9\n\n{SENTENCES[3]}".encode("latin-1"))
    (root / ".hidden").write_text("skipped", encoding="utf-8")
    assert batch(str(root), "-o", str(tmp_path / "out.jsonl")) == 1
    got = records(tmp_path / "out.jsonl")
    assert [r["id"] for r in got] == ["a.txt", "sub/b.md", "sub/latin.txt"]
    assert "not valid UTF-8" in got[2]["error"] and SENTENCES[3] in got[2]["body"]


def test_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps(article(i)) for i in range(2)]
    stdin = io.TextIOWrapper(io.BytesIO("\n".join(lines).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert batch("-", "-o", str(tmp_path / "out.jsonl")) == 0
    assert [r["id"] for r in records(tmp_path / "out.jsonl")] == ["art-000", "art-001"]


def test_duplicate_ids_become_error_records(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    feed.write_text("\n".join(json.dumps(article(i % 2)) for i in range(3)), encoding="utf-8")
    assert batch(str(feed), "-o", str(out)) == 1
    first, second, third = records(out)
    assert "error" not in first and "error" not in second
    assert third["id"] == "art-000" and third["duplicate_at"] == "line 3"
    assert third["error"] == "art-000: duplicate id (first at line 1); ids must be unique"
    assert third["body"] == article(0)["body"]  # nothing lost
    assert batch(str(feed), "-o", str(out), "--resume") == 1  # the earlier error is kept
    assert len(records(out)) == 3
    keys = [i.key for i in read_source(str(feed))]
    assert len(set(keys)) == 3


def test_resume_cuts_torn_line_and_skips_done(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    ids = write_jsonl(feed, 6)
    assert batch(str(feed), "-o", str(out)) == 0
    done = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(done[:2]) + done[2][:40], encoding="utf-8")  # killed mid-line
    assert batch(str(feed), "-o", str(out)) == 2  # exists: needs --resume
    assert batch(str(feed), "-o", str(out), "--resume") == 0
    assert [r["id"] for r in records(out)] == ids
    assert "4 ok, 0 failed, 2 skipped" in capsys.readouterr().err


def test_sink_lock_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with JsonlSink(str(path)) as sink:
        sink.write([{"id": 1, "body": "x"}, {"id": "b", "error": "e"}])
        with pytest.raises(ConfigError, match="another mtfix batch"):
            JsonlSink(str(path), resume=True)
    with JsonlSink(str(path), resume=True) as sink:
        assert sink.done == {"1": False, "b": True}
    path.write_text('{"id": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        JsonlSink(str(path), resume=True)


class Exploding(Pipeline):
    """A pipeline whose repair fails on any article that mentions a ceasefire."""

    def fix_many(self, articles: list) -> list:
        if any("ceasefire" in a.text for a in articles):
            raise RuntimeError("boom")
        return super().fix_many(articles)


def test_internal_error_is_a_record(tmp_path: Path) -> None:
    pipeline = Exploding(Options(rewrite=False, fluency=False, checker="offline"))
    items = []
    for i in (0, 4, 2):  # article 4 mentions the ceasefire
        a = article(i) | {"title": "Talks"}
        data, fmt = article_bytes(a["title"], a["body"])
        items.append(Item(a["id"], a["id"], "test", data, fmt, a["title"], a["body"]))
    got = repair_batch(items, pipeline)
    assert [r["id"] for r in got] == ["art-000", "art-004", "art-002"]
    assert [("error" in r) for r in got] == [False, True, False]
    assert "internal error: RuntimeError: boom" in got[1]["error"]


def test_split_output_keeps_title_apart(spacy_nlp: object) -> None:
    pipeline = Pipeline(Options(rewrite=False, fluency=False, checker="none"))
    data, fmt = article_bytes("Talks in Geneva", f"Talks in Geneva\n\n{SENTENCES[0]}")
    from mtfix.read import read_bytes

    report = pipeline.fix(read_bytes(data, fmt=fmt))
    assert report.removed  # the repeated headline paragraph
    assert split_output(report) == ("Talks in Geneva", SENTENCES[0])


def test_rewrite_with_a_model(tmp_path: Path, tiny_t5_dir: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    write_jsonl(feed, 4)
    argv = ["batch", str(feed), "-o", str(out), "--model", str(tiny_t5_dir), "--no-fluency"]
    assert main([*argv, "--checker", "offline", "-q", "--batch-size", "3"]) == 0
    got = records(out)
    assert len(got) == 4 and all("summary" in r for r in got)
    assert sum(sum(r["summary"]["edits"].values()) for r in got) > 0  # candidates were judged


def test_workers_need_ray_engine(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "feed.jsonl", 1)
    argv = [str(tmp_path / "feed.jsonl"), "-o", str(tmp_path / "o.jsonl"), "--workers", "2"]
    assert batch(*argv) == 2


def test_progress_lines_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from mtfix.batch import command

    monkeypatch.setattr(command, "PLAIN_EVERY", 0.0)
    stream = io.StringIO()
    tally = command.Tally(total=4, skipped=1, stream=stream)
    assert tally.bar is None  # not a terminal: plain lines
    tally.add([{"id": "a"}, {"id": "b", "error": "x"}])
    assert (tally.ok, tally.failed) == (1, 1)
    assert "mtfix: 3/4 articles," in stream.getvalue() and "ETA" in stream.getvalue()

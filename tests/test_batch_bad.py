"""Every kind of bad record a real feed carries becomes an error record, nothing lost."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from batchfeeds import RUSSIAN, SENTENCES, article, records

from mtfix.cli import main

FAST = ["--no-rewrite", "--no-fluency", "--checker", "offline", "-q"]
CONTROL = "\u0000\u0001\u0002 binary \ufffd\ufffd \u007f" * 50
MOJIBAKE = "The caf\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd " * 20
GOOD = f"{SENTENCES[0]} {SENTENCES[1]}"

# (id, the record's fields, a piece of the error message)
BAD_RECORDS = [
    ("control", {"title": "Talks", "body": CONTROL}, "control characters"),
    ("mojibake", {"title": "Talks", "body": MOJIBAKE}, "replacement characters"),
    ("no-body", {"title": "Talks in Geneva"}, 'no "body"'),
    ("markup", {"title": "Talks", "body": "<p></p><div><br/></div>"}, "no body text"),
    ("number", {"title": "Talks", "body": 12345}, "must be strings"),
    ("list-title", {"title": ["a"], "body": GOOD}, "must be strings"),
    ("empty", {"title": "Empty", "body": ""}, "empty"),
    ("big", {"title": "Big", "body": "The talks went on. " * 30_000}, "size limit"),
    ("russian", {"body": RUSSIAN * 3}, "not English"),
]


def batch(*argv: str) -> int:
    return main(["batch", *argv, *FAST])


@pytest.mark.parametrize(("rid", "fields", "message"), BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
def test_each_bad_jsonl_record_is_an_error_with_its_values(
    tmp_path: Path, rid: str, fields: dict, message: str
) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    rows = [article(0), {"id": rid, **fields, "extra": 1}, article(1)]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert batch(str(feed), "-o", str(out)) == 1
    good, bad, good2 = records(out)
    assert "error" not in good and "error" not in good2
    assert message in bad["error"] and "\n" not in bad["error"]
    assert bad["id"] == rid and bad["extra"] == 1
    for key in ("title", "body"):
        assert bad[key] == fields.get(key)  # the original value, whatever its type


def test_a_line_that_is_not_json_keeps_its_text(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    feed.write_text(json.dumps(article(0)) + '\n{"id": "cut", "body": "The talks\n', "utf-8")
    assert batch(str(feed), "-o", str(out)) == 1
    _, bad = records(out)
    assert "not valid JSON" in bad["error"] and bad["body"] == '{"id": "cut", "body": "The talks'


def test_the_200_feed_with_5_broken_records(tmp_path: Path, capsys) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    broken = {b[0]: b[1] for b in BAD_RECORDS if b[0] in {"empty", "big", "russian", "number",
                                                          "control"}}  # fmt: skip
    rows = [article(i) for i in range(195)]
    for k, (rid, fields) in enumerate(broken.items()):
        rows.insert(20 + 40 * k, {"id": f"bad-{rid}", **fields})
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert batch(str(feed), "-o", str(out)) == 1
    got = records(out)
    assert [r["id"] for r in got] == [r["id"] for r in rows]
    failed = [r for r in got if "error" in r]
    assert len(failed) == 5
    for r in failed:
        assert r["body"] == broken[r["id"][4:]]["body"]
    assert "195 ok, 5 failed, 0 skipped" in capsys.readouterr().err


def test_stdin_records_are_checked_alike(tmp_path: Path, monkeypatch) -> None:
    lines = [json.dumps(article(0)), json.dumps({"id": "control", "body": CONTROL})]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    assert batch("-", "-o", str(tmp_path / "out.jsonl")) == 1
    _, bad = records(tmp_path / "out.jsonl")
    assert "control characters" in bad["error"] and bad["body"] == CONTROL


def test_feed_entries_are_checked_alike(tmp_path: Path) -> None:
    entries = [("ok", f"&lt;p&gt;{GOOD}&lt;/p&gt;"), ("markup", "&lt;p&gt;&lt;/p&gt;&lt;br/&gt;"),
               ("mojibake", MOJIBAKE)]  # fmt: skip
    items = "".join(f"<item><guid>{g}</guid><title>Talks</title><description>{d}</description>"
                    "</item>" for g, d in entries)  # fmt: skip
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>{items}'
    rss += "</channel></rss>"
    (tmp_path / "news.rss").write_text(rss, encoding="utf-8")
    assert batch(str(tmp_path / "news.rss"), "-o", str(tmp_path / "out.jsonl")) == 1
    ok, markup, mojibake = records(tmp_path / "out.jsonl")
    assert "error" not in ok
    assert "no body text" in markup["error"] and markup["body"].startswith("<p></p><br")
    assert "replacement characters" in mojibake["error"]
    assert mojibake["body"] == MOJIBAKE.strip()  # as the feed parser gives it


def test_directory_files_are_checked_alike(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "a.txt").write_text(f"Talks\n\n{GOOD}\n", encoding="utf-8")
    (root / "b.txt").write_text(f"Talks\n\n{MOJIBAKE}\n", encoding="utf-8")
    (root / "c.bin").write_bytes(b"\x00\x01\x02 binary " * 40)
    assert batch(str(root), "-o", str(tmp_path / "out.jsonl")) == 1
    a, b, c = records(tmp_path / "out.jsonl")
    assert "error" not in a
    assert "replacement characters" in b["error"] and MOJIBAKE.strip() in b["body"]
    assert "binary" in c["error"]


def hostile_lines() -> list[tuple[str, bytes, bool]]:
    """Feed lines of the shapes that stalled or crashed a run (issue 35): (id, line, whether
    it must become an error record)."""
    word = "abcdefghij" * 3_000
    nested = b'{"id": "bad-nested", "body": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    return [
        ("long-word", json.dumps({"id": "long-word", "body": f"{GOOD} {word}."}).encode(), False),
        ("brackets", json.dumps({"id": "brackets", "body": "[" * 25_000}).encode(), False),
        ("bad-surrogate", b'{"id": "bad-surrogate", "body": "Talks \\ud800 in Geneva."}', True),
        ("<line 8>", nested, True),
    ]


def test_hostile_records_between_good_ones_and_an_exact_resume(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    lines, expected = [], []
    for k, (rid, line, bad) in enumerate(hostile_lines()):
        lines += [json.dumps(article(k)).encode(), line]
        expected += [(f"art-{k:03d}", False), (rid, bad)]
    feed.write_bytes(b"\n".join(lines) + b"\n")
    assert batch(str(feed), "-o", str(out)) == 1
    got = records(out)
    assert [(r["id"], "error" in r) for r in got] == expected
    for r in got:
        assert "\n" not in r.get("error", "")
    assert "surrogate" in got[5]["error"] and "nested too deeply" in got[7]["error"]
    assert got[1]["body"].endswith("abcdefghij.")  # the long word left as it is
    good = [r for r in got if r["id"].startswith("art-")]
    alone = tmp_path / "alone.jsonl"
    alone.write_text("\n".join(json.dumps(article(k)) for k in range(4)) + "\n", "utf-8")
    assert batch(str(alone), "-o", str(tmp_path / "alone.out.jsonl")) == 0
    assert [r["body"] for r in good] == [r["body"] for r in records(tmp_path / "alone.out.jsonl")]
    cut = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(cut[:3]))  # a run that stopped after three records
    assert batch(str(feed), "-o", str(out), "--resume") == 1
    assert records(out) == got

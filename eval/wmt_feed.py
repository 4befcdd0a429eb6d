"""The benchmark feed of ``mtfix batch``: WMT21 ru-en MT output as JSONL articles.

    python eval/wmt_feed.py [-n 200] OUT.jsonl

One article per WMT21 document and MT system (id ``<doc>:<system>``, title = the first
segment, one paragraph per further segment), systems from the weakest by human z-score
up, until there are N. Read from ../shared/data (or $MTFIX_DATA); written outside the repo.
"""

from __future__ import annotations

import argparse
import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from common import data_dir

NAMES = {"Nemo": "NVIDIA-NeMo"}


def systems_by_score(data: Path) -> list[str]:
    """WMT21 ru-en MT systems, weakest first by human z-score."""
    path = data / "wmt21-ru-en/humaneval/newstest2021-toen/ad-sys-scores-ru-en.csv"
    with path.open() as f:
        rows = [r for r in csv.DictReader(f, delimiter=" ") if not r["SYS"].startswith("HUMAN")]
    rows.sort(key=lambda r: float(r["Z.SCR"]))
    return [NAMES.get(r["SYS"].split(".")[0], r["SYS"].split(".")[0]) for r in rows]


def build_feed(n: int, path: Path) -> int:
    """Write N articles to ``path`` as JSONL; the number of segments in them."""
    data = data_dir()
    docs = ET.parse(data / "wmt21-ru-en/xml/newstest2021.ru-en.all.xml").getroot().findall("doc")
    written = segments = 0
    with path.open("w", encoding="utf-8") as out:
        for system in systems_by_score(data):
            for doc in docs:
                hyp = doc.find(f"hyp[@system='{system}']")
                segs = [s.text or "" for s in hyp.iter("seg")] if hyp is not None else []
                if len(segs) < 2 or written == n:
                    continue
                record = {
                    "id": f"{doc.get('id')}:{system}",
                    "system": system,
                    "title": segs[0],
                    "body": "\n\n".join(segs[1:]),
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written, segments = written + 1, segments + len(segs)
    return segments


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="articles (default 200)")
    parser.add_argument("out", type=Path, help="the JSONL file to write")
    args = parser.parse_args()
    print(f"{args.n} articles, {build_feed(args.n, args.out)} segments: {args.out}")

"""The article as the LM's context, against none: WMT21 ru-en documents.

    python eval/context_gain.py [--docs N] [--contexts 0,1,2] [--system Online-Y] [--out STEM]

Each of the first N documents of ``wmt21-ru-en/xml`` is one article (its first segment
the headline, each other segment a paragraph) and is repaired as ``mtfix fix`` would
(the news profile, the offline checker, no document clean-up so segments stay aligned),
once per context size (sentences read before each searched one, after the headline). For
the MT of one system it prints TER against reference A and the changed segments that move
toward reference A and away (word edit distance); for reference A itself (human news),
the share of segments changed. Each changed segment is listed in ``<stem>.md``.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir, read_lines
from search_sets import results_stem, write_results
from verdicts import verdict

from mtfix.output.diff import plain_diff, word_diff
from mtfix.pipeline import Options, Pipeline
from mtfix.read.plain import assemble

WMT = "wmt21-ru-en"


def documents(data: Path, docs: int) -> list[tuple[int, int]]:
    """(first line, end line) of each of the first ``docs`` documents."""
    root = ET.parse(data / WMT / "xml" / "newstest2021.ru-en.all.xml").getroot()
    spans, line = [], 0
    for doc in root.iter("doc"):
        n = len(doc.find("src").findall(".//seg"))
        spans.append((line, line + n))
        line += n
    return spans[:docs]


def repaired(pipeline: Pipeline, lines: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """Every segment of the documents, repaired with its document as the article."""
    articles = [assemble(lines[a], lines[a + 1 : b], "json") for a, b in spans]
    out: list[str] = []
    for article, report in zip(articles, pipeline.fix_many(articles), strict=True):
        parts = report.output.split("\n\n")
        if len(parts) != len(article.blocks()):
            parts = [b.text for b in article.blocks()]  # not aligned: count it unchanged
        out += parts
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--contexts", default="0,1,2")
    parser.add_argument("--system", default="Online-Y")
    parser.add_argument("--out", default="context-gain")
    args = parser.parse_args()
    data = data_dir()
    spans = documents(data, args.docs)
    txt = data / WMT / "txt"
    ref = read_lines(txt / "references" / "newstest2021.ru-en.ref.A.en")
    mt = read_lines(txt / "system-outputs" / f"newstest2021.ru-en.hyp.{args.system}.en")
    keep = [i for a, b in spans for i in range(a, b)]
    ref_lines, mt_lines = [ref[i] for i in keep], [mt[i] for i in keep]
    results, listing = {}, []
    for context in (int(c) for c in args.contexts.split(",")):
        pipeline = Pipeline(Options(checker="offline", document=False, context=context))
        got_mt = repaired(pipeline, mt, spans)
        got_ref = repaired(pipeline, ref, spans)
        results[context] = summary(mt_lines, got_mt, ref_lines, got_ref)
        print(f"context {context}: {results[context]}", flush=True)
        listing += [f"## context {context}", "", *changes(mt_lines, got_mt, ref_lines)]
        listing += ["", "Reference A changed:", "", *changes(ref_lines, got_ref, None), ""]
    head = [f"# Context against none: first {args.docs} WMT21 ru-en documents "
            f"({len(keep)} segments), {args.system} and reference A", "",
            "| context | TER vs ref A | toward | away | ref A changed |",
            "|---:|---:|---:|---:|---:|"]  # fmt: skip
    head += [f"| {c} | {r['ter']:.2f} (MT {r['ter_mt']:.2f}) | {r['toward']} | {r['away']} | "
             f"{r['ref_changed']} of {len(keep)} |" for c, r in results.items()]  # fmt: skip
    write_results(results_stem(args.out), {"docs": args.docs, "results": results},
                  "\n".join([*head, "", *listing]) + "\n")  # fmt: skip


def summary(mt: list[str], got: list[str], ref: list[str], got_ref: list[str]) -> dict:
    from sacrebleu.metrics import TER

    said = [verdict(m, g, [r]) for m, g, r in zip(mt, got, ref, strict=True) if m != g]
    return {
        "ter_mt": round(TER().corpus_score(mt, [ref]).score, 2),
        "ter": round(TER().corpus_score(got, [ref]).score, 2),
        "changed": len(said), "toward": said.count("toward"), "away": said.count("away"),
        "ref_changed": sum(a != b for a, b in zip(ref, got_ref, strict=True)),
    }  # fmt: skip


def changes(before: list[str], after: list[str], ref: list[str] | None) -> list[str]:
    rows = []
    for k, (b, a) in enumerate(zip(before, after, strict=True)):
        if a != b:
            said = f"**{verdict(b, a, [ref[k]])}** " if ref else ""
            rows.append(f"- {said}{plain_diff(word_diff(b, a))}")
    return rows


if __name__ == "__main__":
    main()

"""The article pass on real documents: WMT21 ru-en, every system's output and a reference.

    python eval/style_wmt21.py [--systems A,B] [--docs N] [--reference A|B] [--out STEM]

Reads ``wmt21-ru-en/xml/newstest2021.ru-en.all.xml`` (116 documents; 10 systems, two human
references) and builds each document's style sheet (``mtfix.style``) as ``mtfix fix``
does, from spaCy's parses. Per system:
- name clusters written more than one way in a document (``multi``), and how many of
  them the pass unifies (every other mention gets a fix to the canonical form);
- where the reference (A unless ``--reference B``) writes the name one way and that form
  is among the MT's: how often the canonical form is the reference's;
- clusters that the reference itself writes two ways: how many the pass unifies (it
  should not);
- date fixes proposed;
- term variants (reported only) by how the reference writes them.
For the reference as a document set: the share of its sentences with a fix (human news
should need almost none).

``--search`` also runs the repair on every document with a fix (the chosen sentences
only, as ``mtfix fix`` searches them: the LM ranks every proposal, the article pass's
among them, and the guard checks them) and counts a cluster unified only where the
repaired document writes it one way; the sentences the repair changed in the reference are
counted the same way.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir
from search_sets import results_stem, write_results

from mtfix.article import NameCluster, StyleSheet
from mtfix.detect import Analysis
from mtfix.nlp import load_spacy
from mtfix.read.plain import parse_text
from mtfix.segment import segment
from mtfix.style import build_style_sheet
from mtfix.style.names import same_name

XML = "wmt21-ru-en/xml/newstest2021.ru-en.all.xml"


def documents(path: Path) -> dict[str, dict[str, list[str]]]:
    """Per document id: the references' and every system's segments."""
    out: dict[str, dict[str, list[str]]] = {}
    for doc in ET.parse(path).getroot().iter("doc"):
        versions: dict[str, list[str]] = {}
        for ref in doc.findall("ref"):
            versions[f"ref-{ref.get('translator')}"] = [s.text or "" for s in ref.iter("seg")]
        for hyp in doc.findall("hyp"):
            versions[str(hyp.get("system"))] = [s.text or "" for s in hyp.iter("seg")]
        out[str(doc.get("id"))] = versions
    return out


def analysed(nlp, segments: list[str]) -> Analysis:
    """A document (its segments as paragraphs) segmented and parsed, with its style sheet."""
    article = segment(parse_text("\n\n".join(s.strip() for s in segments if s.strip())), nlp)
    analysis = Analysis(article)
    sentences = article.sentences()
    for s, doc in zip(sentences, nlp.pipe(s.text for s in sentences), strict=True):
        analysis.docs[s.start] = doc
    analysis.style = build_style_sheet(analysis)
    return analysis


@dataclass(frozen=True)
class Repaired:
    """The repaired document's style sheet (None: not repaired) and its edits kept."""

    sheet: StyleSheet | None
    changed: int


def sheet_of(nlp, segments: list[str], repair=None) -> tuple[StyleSheet, int, Repaired]:
    """A document's style sheet, its sentence count, and (with ``repair``, a pipeline)
    what the repair made of it."""
    analysis = analysed(nlp, segments)
    sheet = analysis.style
    assert sheet is not None
    count = len(analysis.article.sentences())
    if repair is None:
        return sheet, count, Repaired(None, 0)
    if not sheet.findings:
        return sheet, count, Repaired(sheet, 0)
    (report,) = repair.repair([analysis], [sheet.findings], {})
    changed = sum(e.accepted for e in report.edits)
    after = analysed(nlp, report.output.split("\n\n")).style if changed else sheet
    return sheet, count, Repaired(after, changed)


def _words(cluster: NameCluster) -> list[str]:
    return [form.split()[-1].split("-")[-1] for form in cluster.forms]


def _matching(cluster: NameCluster, others: list[NameCluster]) -> NameCluster | None:
    """The reference's cluster of the same name, if any."""
    return next((o for o in others if o.role == cluster.role and any(
        same_name(a, b) for a in _words(cluster) for b in _words(o))), None)  # fmt: skip


def compare(sheet: StyleSheet, ref: StyleSheet, stats: Counter, after: Repaired) -> list[dict]:
    """Count one document's clusters into ``stats``; the multi-form clusters, listed.
    Unified: written one way after the repair (without one: every other form has a fix)."""
    listed = []
    fixed = {f.text for f in sheet.findings if f.rule == "name"}
    for c in (c for c in sheet.names if len(c.forms) > 1):
        theirs = _matching(c, ref.names)
        if after.sheet is not None:
            now = _matching(c, after.sheet.names)
            unified = now is not None and len(now.forms) == 1
        else:
            unified = all(form == c.canonical or form.split()[-1] in fixed or form in fixed
                          for form in c.forms)  # fmt: skip
        stats["multi"] += 1
        stats["unified"] += unified
        row = {"forms": c.forms, "canonical": c.canonical, "unified": unified,
               "reference": theirs.forms if theirs else None}  # fmt: skip
        if theirs is not None and len(theirs.forms) == 1:
            (form,) = theirs.forms
            if form in c.forms:
                stats["ref_one_form"] += 1
                stats["ref_chosen"] += c.canonical == form
        if theirs is not None and len(theirs.forms) > 1:
            stats["ref_two_forms"] += 1
            stats["ref_two_forms_unified"] += unified
        listed.append(row)
    stats["date_fixes"] += sum(f.rule == "date" for f in sheet.findings)
    stats["punctuation_fixes"] += sum(f.rule == "punctuation" for f in sheet.findings)
    return listed


def count_terms(sheet: StyleSheet, reference: str, stats: Counter) -> None:
    """Count the document's term variants by how the reference writes them: both forms,
    one (the MT's more frequent, where one is, or the other), or neither. Unifying helps
    only where the reference writes one form."""
    text = reference.lower()
    for term in sheet.terms:
        (a, na), (b, nb) = sorted(term.forms.items(), key=lambda kv: -kv[1])
        has_a, has_b = (re.search(rf"(?<!\w){re.escape(f.lower())}(?!\w)", text) for f in (a, b))
        kind = "both" if has_a and has_b else "neither" if not (has_a or has_b) else "one"
        stats[f"terms_{kind}"] += 1
        stats["terms_majority"] += bool(kind == "one" and has_a and na > nb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", help="comma-separated (default: all)")
    parser.add_argument("--docs", type=int, help="only the first N documents")
    parser.add_argument("--search", action="store_true", help="repair, count what is kept")
    parser.add_argument("--reference", choices=("A", "B"), default="A", help="translator")
    parser.add_argument("--out", default="style-wmt21")
    args = parser.parse_args()
    docs = documents(data_dir() / XML)
    ids = list(docs)[: args.docs] if args.docs else list(docs)
    nlp = load_spacy()
    repair = _pipeline() if args.search else None
    ref = f"ref-{args.reference}"
    ids = [i for i in ids if ref in docs[i]]  # B translated 107 of the 116 documents
    refs = {i: sheet_of(nlp, docs[i][ref]) for i in ids}
    human = Counter()
    for i in ids:
        sheet, n, _ = refs[i]
        human["sentences"] += n
        human["proposed"] += len({f.start for f in sheet.findings})  # at most one per sentence
        if repair is not None:
            human["changed"] += sheet_of(nlp, docs[i][ref], repair)[2].changed
    systems = args.systems.split(",") if args.systems else sorted(
        {s for d in docs.values() for s in d if not s.startswith("ref-")})  # fmt: skip
    results: dict = {"reference": args.reference, "documents": len(ids), "human": dict(human),
                     "systems": {}}  # fmt: skip
    for system in systems:
        stats: Counter = Counter()
        rows = []
        for i in ids:
            if system in docs[i]:
                sheet, _, after = sheet_of(nlp, docs[i][system], repair)
                rows += compare(sheet, refs[i][0], stats, after)
                count_terms(sheet, " ".join(docs[i][ref]), stats)
        results["systems"][system] = {"stats": dict(stats), "clusters": rows}
        print(system, dict(stats), flush=True)
    results["search"] = bool(repair)
    write_results(results_stem(args.out), results, markdown(results))
    print(markdown(results))


def _pipeline():
    """The default pipeline (offline checker), whose repair stage runs on given findings."""
    from mtfix.pipeline import Options, Pipeline

    return Pipeline(Options(checker="offline", fluency=False))


def _share(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "0/0"


def markdown(results: dict) -> str:
    """The table: per system, clusters unified and chosen as the reference writes them."""
    lines = ["# The article pass on WMT21 ru-en (eval/style_wmt21.py)", "",
             f"Reference: {results['reference']}, {results.get('documents')} documents "
             "(those it translated).", "",
             "| system | multi-form name clusters | unified | canonical = reference's | "
             "reference writes two forms: unified | date fixes | hyphen fixes |",
             "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    total: Counter = Counter()
    for system, data in results["systems"].items():
        s = Counter(data["stats"])
        total += s
        lines.append(f"| {system} | {s['multi']} | {_share(s['unified'], s['multi'])} | "
                     f"{_share(s['ref_chosen'], s['ref_one_form'])} | "
                     f"{_share(s['ref_two_forms_unified'], s['ref_two_forms'])} | "
                     f"{s['date_fixes']} | {s['punctuation_fixes']} |")  # fmt: skip
    lines.append(f"| all | {total['multi']} | {_share(total['unified'], total['multi'])} | "
                 f"{_share(total['ref_chosen'], total['ref_one_form'])} | "
                 f"{_share(total['ref_two_forms_unified'], total['ref_two_forms'])} | "
                 f"{total['date_fixes']} | {total['punctuation_fixes']} |")  # fmt: skip
    terms = {k: total[f"terms_{k}"] for k in ("both", "one", "neither")}
    lines += ["", f"Term variants (reported, not changed): {sum(terms.values())} pairs; "
              f"the reference writes both forms in {terms['both']}, one in {terms['one']} "
              f"(the MT's more frequent in {total['terms_majority']}), neither in "
              f"{terms['neither']}."]  # fmt: skip
    h, name = results["human"], f"Reference {results['reference']}"
    kept = "kept by the search and the guard" if results.get("search") else "proposed"
    lines += ["", f"Unified: every other form of the cluster {kept}.", "",
              f"{name} (human news): {_share(h['proposed'], h['sentences'])} sentences "
              "with a fix proposed by the article pass"]  # fmt: skip
    if results.get("search"):
        lines[-1] += f"; {_share(h.get('changed', 0), h['sentences'])} changed by the repair"
    lines[-1] += "."
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

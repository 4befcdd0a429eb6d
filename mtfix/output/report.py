"""The JSON report of a run: a plain dict that follows ``mtfix/schema/report.schema.json``."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any

from mtfix.article import Edit, Finding, Match, Report, SentenceGrammar, StyleSheet
from mtfix.check import real_issues

SCHEMA_VERSION = "5"  # 2: edits carry kind, fixes, choice; 3: the search's steps; 4: style;
# 5: suggestions (and an edit's base)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The report's JSON Schema, shipped in the package."""
    return json.loads(resources.files("mtfix.schema").joinpath("report.schema.json").read_text())


def _grammar_side(matches: list[Match], text: str) -> dict[str, Any]:
    issues = real_issues(matches, text)
    return {
        "count": len(issues),
        "all_matches": len(matches),
        "rules": dict(Counter(m.rule_id for m in issues)),
        "categories": dict(Counter(m.category for m in issues)),
        "matches": [{**asdict(m), "replacements": list(m.replacements)} for m in matches],
    }


def _issues(matches: list[Match] | None) -> dict[str, Any] | None:
    if matches is None:
        return None
    keys = ("rule_id", "category", "offset", "length")
    return {"count": len(matches), "issues": [{k: getattr(m, k) for k in keys} for m in matches]}


def _sentences(rows: list[SentenceGrammar]) -> list[dict[str, Any]]:
    """Per input sentence: its issues before, and after (null when removed)."""
    return [
        {"start": r.start, "end": r.end, "output_start": r.output_start,
         "output_end": r.output_end, "before": _issues(r.before), "after": _issues(r.after)}
        for r in rows
    ]  # fmt: skip


def findings_dict(findings: list[Finding]) -> list[dict[str, Any]]:
    """Findings as JSON objects."""
    return [asdict(f) for f in findings]


def report_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    article = report.article
    return {
        "schema_version": SCHEMA_VERSION,
        "format": article.format,
        "title": article.title.text if article.title else None,
        "input": article.text,
        "output": report.output,
        "findings": findings_dict(report.findings),
        "edits": [_edit(e) for e in report.edits],
        "suggestions": [_edit(e) for e in report.suggestions],
        "removed": [asdict(r) for r in report.removed],
        "grammar": {
            "checker": report.grammar.checker,
            "before": _grammar_side(report.grammar.before, article.text),
            "after": _grammar_side(report.grammar.after, report.output),
            "sentences": _sentences(report.grammar.sentences),
        },
        "notices": report.notices,
        "timings": report.timings,
        "versions": report.versions,
        "settings": report.settings,
        "style": style_dict(report.style),
    }


def style_dict(sheet: StyleSheet | None) -> dict[str, Any] | None:
    """The article's style sheet as JSON (its findings are among the report's)."""
    if sheet is None:
        return None
    return {
        "names": [asdict(c) for c in sheet.names],
        "dates": asdict(sheet.dates),
        "terms": [asdict(t) for t in sheet.terms],
    }


def _edit(edit: Edit) -> dict[str, Any]:
    return asdict(edit) | {
        "fixes": [asdict(f) for f in edit.fixes],
        "steps": [asdict(s) for s in edit.steps],
    }

"""The JSON report of a run: a plain dict that follows ``mtfix/schema/report.schema.json``."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any

from mtfix.article import Finding, Match, Report
from mtfix.check import real_issues

SCHEMA_VERSION = "1"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The report's JSON Schema, shipped in the package."""
    return json.loads(resources.files("mtfix.schema").joinpath("report.schema.json").read_text())


def _grammar_side(matches: list[Match], text: str) -> dict[str, Any]:
    issues = real_issues(matches, text)
    return {
        "count": len(issues),
        "all_matches": len(matches),
        "matches": [{**asdict(m), "replacements": list(m.replacements)} for m in matches],
    }


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
        "edits": [asdict(e) for e in report.edits],
        "removed": [asdict(r) for r in report.removed],
        "grammar": {
            "checker": report.grammar.checker,
            "before": _grammar_side(report.grammar.before, article.text),
            "after": _grammar_side(report.grammar.after, report.output),
        },
        "notices": report.notices,
        "timings": report.timings,
        "versions": report.versions,
    }

"""Train the search's acceptance model on what its edits did to real post-edited MT.

    python eval/train_accept.py [--train ru-en-train,...] [--dev ru-en,...,jfleg]
                                [--learner-dev jfleg] [--c 0.3] [--out STEM] [--write]

Reads the caches of ``eval/calibrate_search.py`` (run it first on the sets named here: the
searched lines at a low margin, every step with its features). Each step the LM scored is
labelled by what it did to its line (``verdicts.py``): *toward* the post-edit (good) or
*away* from it (bad); neutral steps are left out. MLQE-PE train is the training data (CC0;
JFLEG may not train a shipped model, so it is only a target). A logistic regression
(scikit-learn) over the standardised features is fitted, and every dev set is replayed
under it at a grid of (least gain, threshold) next to the margin alone. Per profile a
threshold is chosen on dev: ``news`` the lowest that keeps every MLQE-PE pair's TER no
worse than the MT with more changed lines moving toward their post-edit than away, and
changes at most 1% of human news; ``learner`` the best JFLEG GLEU searching every sentence.
``--write`` stores the weights and thresholds in ``mtfix/repair/accept.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_search import CACHE, LOW, cache_path, md_table, read_cache
from common import ROOT, data_dir
from margin_replay import metrics, replayed
from search_sets import load_set, results_stem, write_results
from verdicts import judged_candidates, judged_steps

from mtfix.repair.accept import MODEL_FILE, AcceptModel, feature_value
from mtfix.score.evaluate import plain_lines

TRAIN = "ru-en-train,ro-en-train,et-en-train,si-en-train,ne-en-train"
DEV = "ru-en,ro-en,et-en,si-en,ne-en,wmt21-ref,wmt16,jfleg"
FLOORS = (0.5, 1.0, 2.0)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MARGINS = (2.0, 3.0, 4.0, 6.0)
SURE = ("rules:", "languagetool", "harper")


def loaded(name: str, search_all: bool, folder: Path) -> tuple[dict, dict[int, dict]]:
    """A set's data and its cached records (the lines the cache holds)."""
    from search_sets import search_sets

    spec = search_sets(data_dir())[name]
    _, records = read_cache(cache_path(name, LOW, search_all, folder))
    if not records:
        sys.exit(f"no cache for {name}: run eval/calibrate_search.py --sets {name} first")
    n = max(records) + 1
    data = load_set(spec, n)
    data["plain_refs"] = [plain_lines(r, spec["tok"]) for r in data["refs"]]
    data["tok"] = spec["tok"]
    return data, {i: r for i, r in records.items() if i < n}


def examples(data: dict, records: dict[int, dict]) -> list[tuple[dict, int, str]]:
    """(features, label, verdict) of every scored candidate (the search's steps where the
    cache has no ``considered``) that moved its line."""
    out = []
    for i, rec in sorted(records.items()):
        refs = [r[i] for r in data["plain_refs"]]
        judge = judged_candidates if "considered" in rec else judged_steps
        for judged in judge(rec, refs):
            feats = judged.step[6] if len(judged.step) > 6 else None
            if feats and not judged.step[0].startswith(SURE) and judged.verdict != "neutral":
                out.append((feats, int(judged.verdict == "toward"), judged.verdict))
    return out


def fit(rows: list[tuple[dict, int, str]], c: float) -> AcceptModel:
    """Logistic regression over standardised features (scikit-learn)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    base = sorted({k for feats, _, _ in rows for k in feats})
    names = base + [f"gain*{k}" for k in base if k.startswith("kind_")]
    x = np.array([[feature_value(f, n) for n in names] for f, _, _ in rows])
    y = np.array([label for _, label, _ in rows])
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(scaler.transform(x), y)
    scale = [float(s) if s > 0 else 1.0 for s in scaler.scale_]
    version = f"lr-{len(rows)}ex-c{c:g}"
    return AcceptModel(tuple(names), tuple(map(float, scaler.mean_)), tuple(scale),
                       tuple(map(float, model.coef_[0])), float(model.intercept_[0]), version)


def learned_rule(model: AcceptModel, floor: float, threshold: float):
    """The replay's test of a step under the learned acceptance."""

    def keep(step: list) -> bool:
        source, gain = step[0], step[5]
        if gain is None:
            return True
        if source.startswith(SURE):
            return gain >= 0.0
        feats = step[6] if len(step) > 6 else None
        return gain >= floor and feats is not None and model.probability(feats) >= threshold

    return keep


def direction(data: dict, outputs: list[str]) -> dict[str, int]:
    """Changed lines that moved toward the references and away (word edit distance)."""
    from verdicts import nearest

    toward = away = 0
    if not data["refs"]:
        return {}
    for i, (out, mt) in enumerate(zip(outputs, data["mt"], strict=True)):
        if out != mt:
            refs = [r[i] for r in data["refs"]]
            delta = nearest(out, refs) - nearest(mt, refs)
            toward, away = toward + (delta < 0), away + (delta > 0)
    return {"toward": toward, "away": away}


def evaluate(name: str, data: dict, records: dict, rule) -> dict:
    outputs, _ = replayed(data, records, data["tok"], rule)
    return metrics(name, data, outputs) | direction(data, outputs)


def grid(model: AcceptModel, dev: dict[str, tuple[dict, dict]]) -> dict[str, dict]:
    """Every dev set under the margin alone and under the model, by setting."""
    settings = {f"margin {m:g}": m for m in MARGINS}
    settings |= {f"learned {f:g}/{t:g}": learned_rule(model, f, t)
                 for f in FLOORS for t in THRESHOLDS}  # fmt: skip
    return {
        label: {name: evaluate(name, data, recs, rule) for name, (data, recs) in dev.items()}
        for label, rule in settings.items()
    }


def news_ok(result: dict[str, dict], unchanged: dict[str, dict]) -> bool:
    """The news profile's targets on dev."""
    for name, res in result.items():
        if name.endswith("-en") and name != "jfleg":
            if res["ter"] > unchanged[name]["ter"] or res.get("toward", 0) <= res.get("away", 0):
                return False
            if name == "ru-en" and res.get("untouched_when_pe_eq_mt", 1.0) < 0.98:
                return False
        if name == "wmt21-ref" and res["changed"] > 0.01:
            return False
    return True


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", default=TRAIN)
    parser.add_argument("--dev", default=DEV, help="sets searched flagged-only (news)")
    parser.add_argument("--learner-dev", default="jfleg", help="sets searched in full")
    parser.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--out", default="train-accept")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.name}")
    parser.add_argument("--news", help="the news setting to ship where none meets every "
                        "target, e.g. 'learned 2/0.8' (read off the frontier table)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    rows = []
    for name in filter(None, args.train.split(",")):
        data, recs = loaded(name, False, args.cache)
        found = examples(data, recs)
        print(f"{name}: {len(recs)} lines, {len(found)} steps "
              f"({sum(r[1] for r in found)} toward)", file=sys.stderr)  # fmt: skip
        rows += found
    model = fit(rows, args.c)
    dev = {n: loaded(n, False, args.cache) for n in filter(None, args.dev.split(","))}
    unchanged = {n: evaluate(n, d, r, lambda step: False) for n, (d, r) in dev.items()}
    news = grid(model, dev)
    learner_dev = {n: loaded(n, True, args.cache) for n in filter(None, args.learner_dev.split(","))
                   if cache_path(n, LOW, True, args.cache).exists()}  # fmt: skip
    learner = grid(model, learner_dev) if learner_dev else {}
    chosen = choose(news, unchanged, learner, args.news)
    report = {"model": model.to_json(), "examples": len(rows), "unchanged": unchanged,
              "news": news, "learner": learner, "chosen": chosen}  # fmt: skip
    write_results(results_stem(args.out), report, markdown(report))
    print(markdown(report))
    if "news" in chosen:
        floor, threshold = chosen["floors"]["news"], chosen["thresholds"]["news"]
        listing = edits_listing(dev, learned_rule(model, floor, threshold))
        path = results_stem(args.out).with_name(results_stem(args.out).name + "-edits.md")
        path.write_text(f"# Edits kept by the news profile ({chosen['news']}), with their "
                        "verdicts\n\n" + listing, encoding="utf-8")  # fmt: skip
        print(f"wrote {path}", file=sys.stderr)
    if args.write:
        MODEL_FILE.write_text(json.dumps(model.to_json() | {"thresholds": chosen["thresholds"],
                              "floors": chosen["floors"]}, indent=1) + "\n")  # fmt: skip
        print(f"wrote {MODEL_FILE.relative_to(ROOT)}", file=sys.stderr)


def edits_listing(dev: dict[str, tuple[dict, dict]], rule) -> str:
    """Every line a dev set's replay changes: its verdict against the references (toward,
    away, neutral: word edit distance), the diff and the steps kept."""
    from margin_replay import kept
    from verdicts import verdict

    from mtfix.output.diff import plain_diff, word_diff

    parts = []
    for name, (data, records) in dev.items():
        outputs, _ = replayed(data, records, data["tok"], rule)
        rows, counts = [], {"toward": 0, "away": 0, "neutral": 0}
        for i, (out, mt) in enumerate(zip(outputs, data["mt"], strict=True)):
            if out == mt:
                continue
            refs = [r[i] for r in data["refs"]]
            said = verdict(mt, out, refs) if refs else "changed"
            counts[said] = counts.get(said, 0) + 1
            steps = []
            for edit in records[i]["edits"]:
                for step in edit["steps"]:
                    if not kept(step, rule):
                        break
                    steps.append(f"{step[0]} {step[5]:+.1f}" if step[5] is not None else step[0])
            rows.append(f"- {i + 1} **{said}** {plain_diff(word_diff(mt, out))} "
                        f"[{', '.join(steps)}]")  # fmt: skip
        summary = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        parts += [f"## {name}: {len(rows)} lines changed ({summary})", "", *rows, ""]
    return "\n".join(parts)


def frontier(news: dict, unchanged: dict) -> list[list[str]]:
    """Each news setting against each target of the news profile (the issue's list)."""
    pairs = [n for n in unchanged if n.endswith("-en") and n != "jfleg"]
    rows = [["setting", "TER <= MT (pairs)", "toward > away (pairs)", "ru-en good lines kept",
             "WMT21 ref A changed", "WMT16 TER (MT)", "WMT16 Q1 > Q4 changed", "JFLEG GLEU"]]
    for label, res in news.items():
        ter_ok = sum(res[n]["ter"] <= unchanged[n]["ter"] for n in pairs)
        toward = sum(res[n].get("toward", 0) > res[n].get("away", 0) for n in pairs)
        w16 = res.get("wmt16", {})
        rows.append([
            label, f"{ter_ok}/{len(pairs)}", f"{toward}/{len(pairs)}",
            _cell(res.get("ru-en", {}).get("untouched_when_pe_eq_mt")),
            _cell(res.get("wmt21-ref", {}).get("changed")),
            f"{_cell(w16.get('ter'))} ({_cell(unchanged.get('wmt16', {}).get('ter'))})",
            str(w16.get("changed_q1", 0) > w16.get("changed_q4", 0)),
            _cell(res.get("jfleg", {}).get("gleu")),
        ])  # fmt: skip
    return rows


def choose(news: dict, unchanged: dict, learner: dict, fixed: str | None = None) -> dict:
    """Per profile the setting the targets pick (see the module's docstring); ``fixed``
    names the news setting where no setting meets every target (chosen from the frontier)."""
    ok = [label for label, res in news.items() if label.startswith("learned") and
          news_ok(res, unchanged)]  # fmt: skip
    toward = {label: sum(r.get("toward", 0) - r.get("away", 0) for r in news[label].values())
              for label in ok}  # fmt: skip
    out: dict = {"thresholds": {}, "floors": {}, "news_ok": ok}
    if toward or fixed:
        best = max(ok, key=lambda label: (toward[label], label)) if toward else fixed
        out["news"] = best
        out["news_from_frontier"] = not toward
        floor, threshold = best.split()[1].split("/")
        out["floors"]["news"], out["thresholds"]["news"] = float(floor), float(threshold)
    gleu = {label: res["jfleg"]["gleu"] for label, res in learner.items()
            if label.startswith("learned") and "jfleg" in res}  # fmt: skip
    if gleu:
        best = max(gleu, key=lambda label: (gleu[label], label))
        out["learner"] = best
        floor, threshold = best.split()[1].split("/")
        out["floors"]["learner"], out["thresholds"]["learner"] = float(floor), float(threshold)
    return out


def markdown(report: dict) -> str:
    parts = ["# The acceptance model: margin alone against learned", "",
             f"Trained on {report['examples']} steps ({report['model']['version']}).", ""]
    for profile in ("news", "learner"):
        if report[profile]:
            parts += [f"## {profile}", "", md_table(_rows(report, profile)), ""]
        if profile == "news" and report["news"]:
            parts += ["### The news targets, setting by setting", "",
                      md_table(frontier(report["news"], report["unchanged"])), ""]
    parts += ["Chosen: " + json.dumps(report["chosen"]), ""]
    weights = sorted(report["model"]["features"], key=lambda r: -abs(r["weight"]))
    parts += ["Weights (standardised features):", "",
              *(f"- {r['name']}: {r['weight']:+.3f}" for r in weights)]
    return "\n".join(parts) + "\n"


def _rows(report: dict, profile: str) -> list[list[str]]:
    """Settings by (set, metric) columns; the first row after the head is the input."""
    table = report[profile]
    first = next(iter(table.values()))
    cols = [(n, m) for n, res in first.items() for m in res if not m.startswith("changed_q")]
    rows = [["setting", *(f"{n} {m}" for n, m in cols)]]
    rows.append(["unchanged", *(_cell(report["unchanged"].get(n, {}).get(m)) for n, m in cols)])
    rows += [[label, *(_cell(res[n].get(m)) for n, m in cols)] for label, res in table.items()]
    return rows


def _cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()

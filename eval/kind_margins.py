"""Per-kind margins, replayed from the calibration's cached low-margin runs.

    python eval/kind_margins.py [--sets jfleg,ru-en,...] [--set-limit ru-en=400,...]
                                [--all] [--configs "8; 8,inflection=3; 6"] [--out STEM]

Each config is a default margin and ``kind=margin`` overrides (kinds without ``lm:``).
For each, every set's cached steps (``eval/calibrate_search.py``'s cache, made at margin
0.5) are replayed as ``margin_replay`` does, and the figures printed: JFLEG dev GLEU,
and for MLQE-PE, WMT16 and WMT21 ref A the TER against the reference minus the MT's
(negative: better) or the share of lines changed. It answers whether any per-kind margin
gets JFLEG's gain without MLQE-PE's loss. Nothing is computed: a set without a cache
is skipped with a note.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_search import CACHE, LOW, cache_path, md_table, read_cache, set_limits
from common import data_dir
from margin_replay import Margin, metrics, replayed
from search_sets import chosen, load_set, results_stem

SETS = "jfleg,ru-en,ro-en,et-en,ne-en,si-en,wmt21-ref,wmt16"
LIMITS = "jfleg=754,ru-en=400,wmt21-ref=400,ro-en=300,et-en=300,ne-en=300,si-en=300,wmt16=300"
CONFIGS = (
    "4; 8; 6; 2; 8,spelling=2; 8,article=3; 8,preposition=3; 8,inflection=3; 8,word=3; "
    "8,auxiliary=2; 8,order=4; 4,inflection=8,preposition=8; 2,inflection=8,preposition=8"
)


def parse_config(text: str) -> Margin:
    """``"8,inflection=3"`` -> ``{"*": 8.0, "lm:inflection": 3.0}``; ``"4"`` -> 4.0."""
    default, *overrides = (p.strip() for p in text.split(","))
    if not overrides:
        return float(default)
    margin = {"*": float(default)}
    for part in overrides:
        kind, _, value = part.partition("=")
        margin[f"lm:{kind.strip()}"] = float(value)
    return margin


def figure(name: str, result: dict, unchanged: dict) -> str:
    """The set's one figure: GLEU, the TER change, or the share changed."""
    if "gleu" in result:
        return f"{result['gleu']:.2f}"
    if "ter" in result:
        return f"{result['ter'] - unchanged['ter']:+.2f}"
    return f"{result['changed']:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=SETS)
    parser.add_argument("--set-limit", default=LIMITS, help="lines per set, as the cache")
    parser.add_argument("--limit", type=int, help="lines of every set not in --set-limit")
    parser.add_argument("--all", action="store_true", help="the every-sentence caches")
    parser.add_argument("--configs", default=CONFIGS, help="';'-separated margins")
    parser.add_argument("--out", help="write <stem>.md")
    args = parser.parse_args()
    sets = chosen(data_dir(), args.sets)
    limits = set_limits(args, list(sets))
    loaded, notes = {}, []
    for name, spec in sets.items():
        path = cache_path(name, LOW, args.all, CACHE)
        data = load_set(spec, limits[name])
        _, records = read_cache(path)
        if any(i not in records for i in range(len(data["mt"]))):
            notes.append(f"{name}: skipped, {path} lacks lines (run calibrate_search.py)")
            continue
        loaded[name] = (data, records, spec["tok"], metrics(name, data, data["mt"]))
    head = ["margins", *(f"{n} {'GLEU' if n == 'jfleg' else 'dTER'}" for n in loaded)]
    rows = [[h.replace("wmt21-ref dTER", "wmt21-ref changed") for h in head]]
    for config in filter(None, (c.strip() for c in args.configs.split(";"))):
        margin = parse_config(config)
        row = [config]
        for name, (data, records, tok, unchanged) in loaded.items():
            outputs, _ = replayed(data, records, tok, margin)
            row.append(figure(name, metrics(name, data, outputs), unchanged))
        rows.append(row)
        print("  ".join(row), flush=True)
    text = "\n".join(["# Per-kind margins (replayed)", "", md_table(rows), "", *notes, ""])
    print("\n".join(notes))
    if args.out:
        stem = results_stem(args.out)
        (stem.parent / f"{stem.name}.md").write_text(text)
        print(f"wrote {stem}.md")


if __name__ == "__main__":
    main()

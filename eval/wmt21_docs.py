"""WMT21 ru-en as line-aligned files with document ids, for ``mtfix eval --docids``.

    python eval/wmt21_docs.py OUT_DIR [--system Online-Y] [--docs N]
    mtfix eval --mt OUT_DIR/mt.en --ref OUT_DIR/ref-A.en --docids OUT_DIR/docids \\
        --report OUT_DIR/report.html

Writes one system's segments (``mt.en``), reference A's (``ref-A.en``) and each segment's
document id (``docids``) from the XML in the shared data (the plain-text files there hold
the sentence-level test set, without documents). Files are written into OUT_DIR; the data
itself stays outside the repository.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import data_dir
from style_wmt21 import XML, documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--system", default="Online-Y", help="the MT system's name")
    parser.add_argument("--docs", type=int, help="the first N documents only")
    args = parser.parse_args()
    docs = documents(data_dir() / XML)
    streams: dict[str, list[str]] = {"mt.en": [], "ref-A.en": [], "docids": []}
    for doc, versions in list(docs.items())[: args.docs]:
        if args.system not in versions:
            sys.exit(f"no system {args.system!r}; choose from {', '.join(sorted(versions))}")
        mt, ref = versions[args.system], versions["ref-A"]
        if len(mt) != len(ref):
            sys.exit(f"document {doc}: {len(mt)} MT segments against {len(ref)} in reference A")
        streams["mt.en"] += mt
        streams["ref-A.en"] += ref
        streams["docids"] += [doc] * len(mt)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, lines in streams.items():
        (args.out / name).write_text("".join(" ".join(x.split()) + "\n" for x in lines),
                                     encoding="utf-8")  # fmt: skip
    print(f"{len(streams['docids'])} lines of {len(set(streams['docids']))} documents "
          f"({args.system}) in {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()

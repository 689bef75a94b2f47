"""What spaCy costs `positions`: `import positions` against `import pandas`, the first `pos.nlp`, the install size.

Usage::

    python benchmarks/bench_spacy.py [--runs 9] [--json benchmarks/results_spacy.json]

Each import is timed in a fresh interpreter (``python -c ...``), the two
interleaved run by run so that both see the same load; the figure is the
median, and the ratio is the median of the run-by-run ratios.  The install
size is the size on disk of the distributions spaCy needs that nothing else
`positions` installs needs (the dependency closure of ``spacy`` less that of
the other install requirements), read from each distribution's RECORD.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from importlib import metadata


def timed(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def closure(names: list[str]) -> set[str]:
    """Distributions installed to satisfy ``names``, recursively (extras left out)."""
    seen: set[str] = set()
    todo = [n.lower().replace("_", "-") for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        todo += [re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0].lower().replace("_", "-")
                 for r in requires if "extra ==" not in r]
    return seen


def size_mb(names: set[str]) -> float:
    total = 0
    for name in names:
        dist = metadata.distribution(name)
        for file in dist.files or []:
            path = dist.locate_file(file)
            if os.path.isfile(path):
                total += os.path.getsize(path)
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json")
    args = parser.parse_args()
    ours, theirs, ratios = [], [], []
    for _ in range(args.runs):
        a, b = timed("import positions"), timed("import pandas")
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b)
    first_nlp = [timed("import positions as pos; pos.nlp('en', model='rules')") for _ in range(3)]
    requires = [re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in metadata.requires("positions") or []
                if "extra ==" not in r]
    others = closure([r for r in requires if r.lower() != "spacy"])
    added = closure(["spacy"]) - others
    result = {
        "machine": {"nproc": os.cpu_count(), "load_before": os.getloadavg(), "python": platform.python_version()},
        "runs": args.runs,
        "import_positions_s": statistics.median(ours), "import_pandas_s": statistics.median(theirs),
        "ratio_median": statistics.median(ratios), "ratio_range": [min(ratios), max(ratios)],
        "import_and_first_nlp_s": statistics.median(first_nlp),
        "spacy_adds": sorted(added), "spacy_adds_mb": round(size_mb(added), 1),
        "spacy_loaded_by_import_positions": subprocess.run(
            [sys.executable, "-c", "import sys, positions; print('spacy' in sys.modules)"],
            capture_output=True, text=True, check=True).stdout.strip(),
    }
    print(json.dumps(result, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump(result, stream, indent=1)


if __name__ == "__main__":
    main()

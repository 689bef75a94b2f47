"""Hostile inputs stay linear (issue 8): the times, at a size and at twice that size.

Each case builds a hostile input that once took time growing with the square
of its size, and times the step it hits at ``n`` and ``2n``: a ratio near 2
is linear, near 4 quadratic.  Cases:

many-lines
    ``parse_layout`` on lines without paragraph numbers (100,000 lines).
unmatched-brackets
    ``split_sentences`` on unclosed 《 and unopened ） (20,000 of each).
list-semicolons
    ``split_sentences`` on a statement whose list intro (包括) is 400,000
    characters in, followed by 5,000 ；.
bad-bytes
    ``decode`` of 3 MB of text with a bad byte every 200 bytes.
one-line-5mb
    ``read_document`` and ``statements`` on a 5 MB file without a line break
    (mixed English and Chinese statements).

Each prints median and range over ``--runs`` runs, in this process, once
the machine is quiet::

    POSITIONS_PROGRESS=0 python benchmarks/bench_hostile.py --json benchmarks/results_hostile.json
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from bench_statements import emit, log, machine, summary, wait_for_quiet

import positions as pos
from positions.read.layout import parse_layout
from positions.read.encoding import decode

STATEMENTS = ("许多发言者认为不需要新的国际法律文书。", "一些发言者表示支持；", "Many speakers agreed.",
              "The delegation of France, on behalf of the European Union, said so.", "他们说：“我们支持。”")


def one_line_file(size: int, folder: Path) -> Path:
    rng, parts, total = random.Random(5), [], 0
    while total < size:
        parts.append(rng.choice(STATEMENTS))
        total += len(parts[-1].encode("utf-8")) + 1
    path = folder / f"one-line-{size}.txt"
    path.write_text(" ".join(parts), encoding="utf-8")
    return path


def bad_bytes(size: int) -> bytes:
    return ("Many speakers agreed \u2019".encode() + b"a" * 199 + b"\xff") * (size // 224)


def read_and_split(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pos.statements([pos.read_document(path)])


def cases(folder: Path) -> dict[str, Callable[[int], Callable[[], object]]]:
    """Each case: size factor (1 or 2) -> the work to time."""
    def decode_quietly(data: bytes) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            decode(data)

    return {
        "many-lines": lambda k: lambda: parse_layout("Many speakers agreed on the text\n" * (100_000 * k)),
        "unmatched-brackets": lambda k: lambda: pos.split_sentences("《" * 20_000 * k + "）" * 20_000 * k, lang="zh"),
        "list-semicolons": lambda k: lambda: pos.split_sentences("许多" * 200_000 * k + "包括" + "一些；" * 5_000 * k,
                                                                 lang="zh"),
        "bad-bytes": lambda k: (lambda data: lambda: decode_quietly(data))(bad_bytes(3_000_000 * k)),
        "one-line-5mb": lambda k: (lambda path: lambda: read_and_split(path))(one_line_file(5_000_000 * k, folder)),
    }


def timed(work: Callable[[], object], runs: int, quiet_wait: float) -> list[float]:
    seconds = []
    for _ in range(runs):
        wait_for_quiet(quiet_wait)
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quiet-wait", type=float, default=30.0, metavar="SECONDS")
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    pos.set_progress(False)
    results: dict = {"machine": machine(), "cases": {}}
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        for name, make in cases(Path(tmp)).items():
            single, double = timed(make(1), args.runs, args.quiet_wait), timed(make(2), args.runs, args.quiet_wait)
            ratio = statistics.median(double) / statistics.median(single)
            results["cases"][name] = {"n_s": summary(single), "2n_s": summary(double), "ratio_2n_n": round(ratio, 2)}
            log(f"{name}: n {statistics.median(single):.2f} s, 2n {statistics.median(double):.2f} s, ratio {ratio:.2f}")
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

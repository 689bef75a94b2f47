"""The library against the floor of merely reading the corpus, in the same run (issue 17; see benchmarks/README.md).

Measurements, alternating run by run after one warm-up read (so the files are
in the page cache for every run):

a. floor
    Read every ``.txt`` file of ``<corpus>/ungdc`` as UTF-8 and split it into
    sentences with one compiled regular expression, in plain Python.
b. library
    ``pos.position_table(pos.classify(pos.statements(files, workers=1), model=MODEL))``
    on the same folder, in one process (imports of positions included).
c. report
    ``positions report <corpus>/ungdc --out DIR --model MODEL`` as a
    subprocess (the command reads with one worker per core), wall time
    including interpreter start-up, peak RSS of the process tree.
d. report-2017 (``--report-runs``, default 5, after the alternating runs)
    ``positions report <corpus>/expert-group/2017-third-meeting.zh.txt --out DIR --model MODEL``
    with the default formats (the shipped model, named: a ``--commit`` export holds the package alone); alongside, ``python -c pass``,
    ``python -c "import positions.present.report"`` (the imports the
    command needs before it reads) and ``python -c "import pandas, skops.io"``
    (what any report that loads a skops model pays first: skops imports every
    scikit-learn estimator).  Then the same report as a notebook re-runs it:
    ``write_report`` on statements already read with a model already
    loaded, in one process, after one warm-up run.

(a) and (b) run each in a fresh interpreter that times its own work and
reports its peak RSS (``ru_maxrss``).  The figures are the ratios (b)/(a)
and (c)/(a), run by run, and their medians: the machine is shared, so
seconds alone mean little.  Every run records the load average and the CPUs
other processes kept busy.

Standard library plus the package::

    python benchmarks/bench_floor.py --label after --json benchmarks/results_floor.json --results-md
    python benchmarks/bench_floor.py --commit d0811b7 --label before --json benchmarks/results_floor_before.json --results-md
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_statements import (
    DEFAULT_CORPUS,
    ENV,
    REPO,
    REPORT,
    Meter,
    code_under_test,
    describe,
    log,
    machine,
    positions_command,
    run_timed,
    summary,
    timing_summary,
    use_commit,
)

MODEL = REPO / "models" / "stance-cybercrime.skops"  # named, since a --commit export holds the package alone
FLOOR_SPLIT = re.compile(r"[.!?]+\s+|[。！？]+\s*|\n+")  # stops, then space (none needed in Chinese); line breaks
TARGETS = {"library_over_floor": 4.0, "report_over_floor": 6.0, "peak_rss_gib": 2.0, "report_2017_s": 3.0}
RESULTS_MD = REPO / "benchmarks" / "RESULTS.md"
WARM_REPORT = """
import sys, tempfile, time
import positions as pos
from positions.present.report import write_report
document, model, runs = sys.argv[1], pos.load_model(sys.argv[2]), int(sys.argv[3])
statements = pos.statements([document])
seconds = []
for _ in range(runs + 1):  # the first pays jieba's dictionary and the explanations' spaCy import
    start = time.perf_counter()
    write_report(statements, tempfile.mkdtemp(), model=model)
    seconds.append(time.perf_counter() - start)
print(*seconds)
"""


def corpus_files(folder: Path) -> list[str]:
    """Every ``.txt`` file under ``folder``, sorted."""
    return sorted(os.path.join(root, name) for root, _, names in os.walk(folder, followlinks=True)
                  for name in names if name.endswith(".txt"))


def floor(folder: Path) -> dict:
    """(a): read every file as UTF-8 and split it into sentences with one compiled regular expression."""
    sentences = characters = 0
    for path in corpus_files(folder):
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        characters += len(text)
        sentences += sum(1 for s in FLOOR_SPLIT.split(text) if s)
    return {"sentences": sentences, "characters": characters}


def library(folder: Path) -> dict:
    """(b): statements -> classify -> positions in this process."""
    import positions as pos

    statements = pos.statements(folder, workers=1)
    classified = pos.classify(statements, model=MODEL)
    table = pos.position_table(classified)
    return {"statements": len(statements), "classified": len(classified), "positions": len(table)}


def child(kind: str, folder: Path) -> None:
    """Run (a) or (b) in this fresh interpreter; print its time, counts and peak RSS as JSON."""
    start = time.perf_counter()
    counts = floor(folder) if kind == "floor" else library(folder)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1024**3  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_rss_gib": peak, **counts}))


def run_child(kind: str, folder: Path) -> tuple[dict, dict]:
    """A fresh interpreter running :func:`child`: what it printed, and its timing as a whole."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--corpus", str(folder)]
    with Meter("children") as meter:
        done = subprocess.run(command, capture_output=True, text=True, cwd=tempfile.gettempdir(), env=ENV)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), {**vars(meter.timing), "load": os.getloadavg()[0]}


def bench(corpus: Path, runs: int, report_runs: int, tmp: Path) -> dict:
    ungdc = corpus / "ungdc"
    log("warm-up read")
    floor(ungdc)
    rows: list[dict] = []
    for i in range(runs):
        (a, a_time), (b, b_time) = run_child("floor", ungdc), run_child("library", ungdc)
        out = tmp / f"report-{i}"
        load = os.getloadavg()[0]
        timing, peak = run_timed([*positions_command(), "report", str(ungdc), "--out", str(out),
                                  "--model", str(MODEL)], sample_memory=True)
        rows.append({"floor": {**a, **a_time}, "library": {**b, **b_time},
                     "report": {"seconds": timing.wall_s, "cpu_s": timing.cpu_s, "others_cpus": timing.others_cpus,
                                "load": load, "peak_tree_rss_gib": peak.peak_bytes / 1024**3}})
        log(f"  run {i + 1}: floor {a['seconds']:.2f} s, library {b['seconds']:.2f} s "
            f"(peak {b['peak_rss_gib']:.2f} GiB), report {describe(timing)}; "
            f"ratios {b['seconds'] / a['seconds']:.2f}, {timing.wall_s / a['seconds']:.2f}")
    results = {
        "floor_s": summary([r["floor"]["seconds"] for r in rows]),
        "library_s": summary([r["library"]["seconds"] for r in rows]),
        "report_s": summary([r["report"]["seconds"] for r in rows]),
        "library_over_floor": summary([r["library"]["seconds"] / r["floor"]["seconds"] for r in rows], 2),
        "report_over_floor": summary([r["report"]["seconds"] / r["floor"]["seconds"] for r in rows], 2),
        "library_peak_rss_gib": summary([r["library"]["peak_rss_gib"] for r in rows], 2),
        "report_peak_tree_rss_gib": summary([r["report"]["peak_tree_rss_gib"] for r in rows], 2),
        "others_cpus": summary([r[k]["others_cpus"] for r in rows for k in ("floor", "library", "report")], 2),
        "load": summary([r[k]["load"] for r in rows for k in ("floor", "library", "report")], 2),
        "counts": {k: v for k, v in {**rows[0]["floor"], **rows[0]["library"]}.items()
                   if k in ("sentences", "characters", "statements", "classified", "positions")},
        "runs": rows,
    }
    log(json.dumps({k: v for k, v in results.items() if k != "runs"}))  # kept in the log if the 2017 runs fail
    if report_runs:
        results["report_2017"] = bench_report_2017(corpus, report_runs, tmp)
    return results


def bench_report_2017(corpus: Path, runs: int, tmp: Path) -> dict:
    """(d): the 2017 report with the default formats, and the interpreter and imports beside it."""
    log("d. the 2017 report")
    timings = {"report": [], "python": [], "imports": [], "dependencies": []}
    for i in range(runs):
        timings["report"].append(run_timed([*positions_command(), "report", str(corpus / REPORT),
                                            "--out", str(tmp / f"report-2017-{i}"), "--model", str(MODEL)])[0])
        timings["python"].append(run_timed([sys.executable, "-c", "pass"])[0])
        timings["imports"].append(run_timed([sys.executable, "-c", "import positions.present.report"])[0])
        timings["dependencies"].append(run_timed([sys.executable, "-c", "import pandas, skops.io"])[0])
        log(f"  run {i + 1}: {describe(timings['report'][-1])}")
    with tempfile.TemporaryFile() as out:
        done = subprocess.run([sys.executable, "-c", WARM_REPORT, str(corpus / REPORT), str(MODEL), str(runs)],
                              stdout=out, stderr=subprocess.PIPE, env=ENV, cwd=tempfile.gettempdir())
        if done.returncode:
            raise RuntimeError(done.stderr.decode(errors="replace")[-2000:])
        out.seek(0)
        first, *warm = (float(v) for v in out.read().decode().split())
    log(f"  write_report in one process: first {first:.2f} s, then {', '.join(f'{v:.2f}' for v in warm)} s")
    return {"command": "positions report <corpus>/expert-group/2017-third-meeting.zh.txt --out DIR --model MODEL",
            **{name: timing_summary(values) for name, values in timings.items()},
            "warm_write_report_s": {**summary(warm), "first_s": round(first, 3)}}


def markdown(results: dict, label: str) -> str:
    """The section of RESULTS.md for one run of this script."""
    r, m, code = results, results["machine"], results["code"]

    def fig(key: str, unit: str = " s") -> str:
        s = r[key]
        return f"{s['median']}{unit} ({s['min']}–{s['max']})"

    lines = [
        f"<!-- bench_floor:{label} -->",
        f"### Floor benchmark: {label} (commit `{code['commit']}`)",
        "",
        f"`{results['command']}` on {m['date']}: {m['nproc']} cores, {m['memory_gib']} GiB, Python {m['python']}; "
        f"load average during the runs {fig('load', '')}, other processes kept {fig('others_cpus', ' CPUs')} busy. "
        f"Medians of {len(r['runs'])} alternating runs (range in brackets), after one warm-up read; "
        f"{r['counts'].get('characters', 0):,} characters, {r['counts'].get('statements', 0):,} statements, "
        f"{r['counts'].get('classified', 0):,} classified rows.",
        "",
        "| measurement | median | target |",
        "| --- | --- | --- |",
        f"| (a) floor: read + one regular expression | {fig('floor_s')} | — |",
        f"| (b) statements → classify → positions, one process | {fig('library_s')} | — |",
        f"| (c) `positions report` on the whole corpus | {fig('report_s')} | — |",
        f"| **(b)/(a)** | **{fig('library_over_floor', '×')}** | ≤ {TARGETS['library_over_floor']}× |",
        f"| **(c)/(a)** | **{fig('report_over_floor', '×')}** | ≤ {TARGETS['report_over_floor']}× |",
        f"| peak RSS of (b) | {fig('library_peak_rss_gib', ' GiB')} | < {TARGETS['peak_rss_gib']} GB |",
        f"| peak RSS of (c), process tree | {fig('report_peak_tree_rss_gib', ' GiB')} | — |",
    ]
    if "report_2017" in r:
        d = r["report_2017"]
        runs = len(d["report"]["wall_s"]["runs"])
        lines += [
            f"| (d) the 2017 report, default formats, median of {runs} | {d['report']['wall_s']['median']} s "
            f"({d['report']['wall_s']['min']}–{d['report']['wall_s']['max']}) | ≤ {TARGETS['report_2017_s']} s |",
            f"| of which interpreter start (`python -c pass`) | {d['python']['wall_s']['median']} s | — |",
            f"| interpreter + `import positions.present.report` | {d['imports']['wall_s']['median']} s | — |",
        ]
        if "dependencies" in d:
            w = d["warm_write_report_s"]
            lines += [
                f"| interpreter + `import pandas, skops.io` (the floor of any report loading a skops model) | "
                f"{d['dependencies']['wall_s']['median']} s | — |",
                f"| the same report re-run in one process (`write_report`, model loaded, statements read), median of "
                f"{len(w['runs'])} after a first run of {w['first_s']} s | {w['median']} s ({w['min']}–{w['max']}) | — |",
            ]
    lines += ["", f"<!-- /bench_floor:{label} -->"]
    return "\n".join(lines)


def write_section(path: Path, label: str, section: str) -> None:
    """Put ``section`` into ``path``, replacing the one of the same label."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"<!-- bench_floor:{re.escape(label)} -->.*?<!-- /bench_floor:{re.escape(label)} -->",
                         re.DOTALL)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder holding ungdc/ and expert-group/ (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs of (a), (b), (c) (default 3)")
    parser.add_argument("--report-runs", type=int, default=5, help="runs of the 2017 report (default 5; 0: none)")
    parser.add_argument("--quiet-wait", type=float, default=5.0, metavar="SECONDS",
                        help="before each run, wait up to SECONDS for the machine to be idle (default 5)")
    parser.add_argument("--commit", metavar="REV", help="measure positions as of git revision REV (git archive)")
    parser.add_argument("--label", default="latest", help="names the section of RESULTS.md (e.g. before, after)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results to FILE")
    parser.add_argument("--results-md", action="store_true", help=f"write the section into {RESULTS_MD.name}")
    parser.add_argument("--child", choices=("floor", "library"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child(args.child, args.corpus)
        return 0
    corpus = args.corpus.resolve()
    Meter.quiet_wait = args.quiet_wait
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        exported = Path(tmp) / "code"
        commit = use_commit(args.commit, exported) if args.commit else None
        results = {"machine": machine(), "code": code_under_test(commit, exported), "corpus": str(corpus),
                   "command": "python benchmarks/bench_floor.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                   **bench(corpus, args.runs, args.report_runs, Path(tmp))}
    section = markdown(results, args.label)
    print(section)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.results_md:
        write_section(RESULTS_MD, args.label, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks of the statements table (speed and memory; see benchmarks/README.md).

Three measurements, each repeated (median and every run are reported):

ungdc
    ``positions statements <corpus>/ungdc --out statements.parquet`` as a
    subprocess: wall time, speeches/s, rows, and the peak resident memory of
    the whole process tree (parent plus its spawned workers), sampled every
    ~50 ms from ``/proc``.
cold-start
    ``positions statements <corpus>/expert-group/2017-third-meeting.zh.txt
    --out r.csv`` as a subprocess: wall time including interpreter start-up.
attribution
    In process, one worker: the statements pipeline with speaker attribution
    versus the same pipeline with ``positions.parse.build.attributed`` replaced by
    a stand-in that splits sentences the same way and gives every sentence a
    constant attribution (same number of rows).  On the UNGDC speeches and on
    the 2017 Chinese report repeated ``--report-repeats`` times.

Every run also records its CPU time and how many CPUs the rest of the machine
kept busy meanwhile (``others_cpus``, from ``/proc/stat``): the machine may be
shared, and a run that competed for the 2 cores has an inflated wall time.
Before each run the script waits (up to ``--quiet-wait`` seconds) for the
machine to be idle.

Standard library only (Linux: memory and load are read from ``/proc``)::

    python benchmarks/bench_statements.py --json benchmarks/results.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
REPORT = Path("expert-group") / "2017-third-meeting.zh.txt"
UNGDC = Path("ungdc")
SAMPLE_INTERVAL = 0.05  # seconds between memory samples
QUIET_CPUS = 0.3  # the machine counts as idle below this many busy CPUs
ENV = dict(os.environ)  # for the subprocesses; --code puts a folder on PYTHONPATH
TARGETS = {
    "ungdc_wall_s": 60.0,
    "ungdc_peak_rss_gib": 4.0,
    "cold_start_wall_s": 1.0,
    "attribution_overhead_pct": 20.0,
}


# --------------------------------------------------------------------------
# Memory of a process tree, from /proc


def _rss_bytes(pid: int) -> int:
    """Resident set size of one process (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024  # reported in kB
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0  # gone, or a zombie (no VmRSS line)


def _children_by_parent() -> dict[int, list[int]]:
    """Every live process's children, keyed by parent pid."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()  # the name may hold spaces
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants."""
    children = _children_by_parent()
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def tree_rss_bytes(root: int) -> tuple[int, int]:
    """Summed RSS of a process tree, and the number of processes in it.

    Pages shared between processes (libraries, copy-on-write) count in each,
    so this is an upper bound on the memory the tree really uses.
    """
    pids = tree_pids(root)
    return sum(_rss_bytes(pid) for pid in pids), len(pids)


class PeakTreeRss:
    """Sample a process tree's summed RSS in a thread; keep the peak."""

    def __init__(self, root: int, interval: float = SAMPLE_INTERVAL) -> None:
        self.root, self.interval = root, interval
        self.peak_bytes = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            rss, processes = tree_rss_bytes(self.root)
            self.samples += 1
            if rss > self.peak_bytes:
                self.peak_bytes, self.peak_processes = rss, processes
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------
# Time, CPU time and what else the machine was doing


def machine_busy_s() -> float:
    """CPU-seconds the whole machine has spent busy since boot (all cores)."""
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> tuple[float, float]:
    """CPU-seconds of this process and of its waited-for descendants."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def others_cpus_now(seconds: float = 1.0) -> float:
    """CPUs kept busy by other processes over the next ``seconds``."""
    busy, (me, children) = machine_busy_s(), own_cpu_s()
    time.sleep(seconds)
    me2, children2 = own_cpu_s()
    return (machine_busy_s() - busy - (me2 - me) - (children2 - children)) / seconds


def wait_for_quiet(max_wait: float) -> None:
    """Wait until other processes use under :data:`QUIET_CPUS` CPUs, at most ``max_wait`` s."""
    deadline = time.monotonic() + max_wait
    while time.monotonic() < deadline:
        if others_cpus_now() < QUIET_CPUS:
            return
    log(f"  (machine still busy after {max_wait:.0f} s; measuring anyway)")


@dataclass
class Timing:
    """One run: wall time, CPU time of what was measured, others' load meanwhile."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    others_cpus: float = 0.0


class Meter:
    """Time a block: wall, CPU (this process or its children), and the machine's other load.

    ``what="children"`` for a subprocess waited for inside the block (its
    own workers included once it has reaped them), ``"self"`` for work done
    in this process.
    """

    quiet_wait = 60.0  # set from --quiet-wait

    def __init__(self, what: str) -> None:
        self.what = what
        self.timing = Timing()

    def __enter__(self) -> Self:
        wait_for_quiet(self.quiet_wait)
        self._cpu = own_cpu_s()
        self._busy = machine_busy_s()
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self._start
        me, children = (after - before for after, before in zip(own_cpu_s(), self._cpu))
        others = machine_busy_s() - self._busy - me - children
        self.timing = Timing(wall, children if self.what == "children" else me, max(0.0, others / wall))


# --------------------------------------------------------------------------
# Helpers


def summary(values: list[float], digits: int = 3) -> dict:
    """Median, min, max and every run, rounded."""
    return {"median": round(statistics.median(values), digits),
            "min": round(min(values), digits), "max": round(max(values), digits),
            "runs": [round(v, digits) for v in values]}


def timing_summary(timings: list[Timing]) -> dict:
    """Summaries of wall time, CPU time and others' load over runs."""
    return {"wall_s": summary([t.wall_s for t in timings]),
            "cpu_s": summary([t.cpu_s for t in timings]),
            "others_cpus": summary([t.others_cpus for t in timings], 2)}


def positions_command() -> list[str]:
    """The ``positions`` console script next to this interpreter (or ``python -m``)."""
    script = Path(sys.executable).parent / "positions"
    if script.exists():
        return [str(script)]
    found = shutil.which("positions")
    return [found] if found else [sys.executable, "-m", "positions.cli"]


def run_timed(command: list[str], sample_memory: bool = False) -> tuple[Timing, PeakTreeRss | None]:
    """Run a command to completion; its timing and (optionally) its peak tree RSS.

    It runs in the temporary directory (so ``python -c`` cannot import
    ``positions`` from the current directory) with :data:`ENV`.

    Raises
    ------
    RuntimeError
        The command failed; the message holds the end of its stderr.
    """
    peak = PeakTreeRss(0) if sample_memory else None
    with tempfile.TemporaryFile() as stderr:
        with Meter("children") as meter:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr,
                                       cwd=tempfile.gettempdir(), env=ENV)
            if peak:
                peak.root = process.pid
                with peak:
                    process.wait()
            else:
                process.wait()
        if process.returncode != 0:
            stderr.seek(0)
            tail = stderr.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return meter.timing, peak


def parquet_counts(path: Path) -> tuple[int, int]:
    """Rows and distinct ``doc_id`` of a Parquet file."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    doc_id = pq.read_table(path, columns=["doc_id"]).column("doc_id")
    return len(doc_id), len(pc.unique(doc_id))


def git(*args: str) -> str:
    """Output of a read-only git command in the repository."""
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.rstrip("\n")


def use_commit(revision: str, folder: Path) -> str:
    """Import ``positions`` as of ``revision`` (here and in the subprocesses); its short hash.

    ``git archive`` exports the package into ``folder``, so the figures
    belong to one commit while the working tree changes.  ``PYTHONPATH``
    comes before the editable install's finder (the console script's own
    folder is first on ``sys.path``, and subprocesses run outside the repo).
    """
    commit = git("rev-parse", "--short", f"{revision}^{{commit}}")
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit, "positions"], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    sys.path.insert(0, str(folder))
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), ENV.get("PYTHONPATH")]))
    return commit


def describe(t: Timing) -> str:
    return f"{t.wall_s:.2f} s wall, {t.cpu_s:.2f} s CPU, others {t.others_cpus:.2f} CPUs"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit(results: dict, path: Path | None) -> None:
    """Print the results as JSON, and write them to ``path`` when given."""
    print(json.dumps(results, indent=1))
    if path:
        path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------
# a. UNGDC to Parquet


def bench_ungdc(corpus: Path, runs: int, tmp: Path) -> dict:
    """Wall time, throughput, rows and peak tree RSS of the whole-corpus command."""
    out = tmp / "statements.parquet"
    command = [*positions_command(), "statements", str(corpus / UNGDC), "--out", str(out)]
    timings, peaks, processes, rows, speeches = [], [], [], 0, 0
    for i in range(runs):
        out.unlink(missing_ok=True)
        timing, peak = run_timed(command, sample_memory=True)
        rows, speeches = parquet_counts(out)
        timings.append(timing)
        peaks.append(peak.peak_bytes / 1024**3)
        processes.append(peak.peak_processes)
        log(f"  ungdc run {i + 1}/{runs}: {describe(timing)}; peak tree RSS {peaks[-1]:.2f} GiB "
            f"({peak.peak_processes} processes, {peak.samples} samples); {rows} rows, {speeches} speeches")
    wall = statistics.median(t.wall_s for t in timings)
    return {
        "command": "positions statements <corpus>/ungdc --out <tmp>/statements.parquet",
        "speeches": speeches, "rows": rows,
        **timing_summary(timings),
        "speeches_per_s": summary([speeches / t.wall_s for t in timings], 1),
        "peak_tree_rss_gib": summary(peaks),
        "processes_at_peak": processes,
        "target": f"wall < {TARGETS['ungdc_wall_s']:.0f} s, peak RSS < {TARGETS['ungdc_peak_rss_gib']:.0f} GiB",
        "met": wall < TARGETS["ungdc_wall_s"] and max(peaks) < TARGETS["ungdc_peak_rss_gib"],
    }


# --------------------------------------------------------------------------
# b. Cold start on the 2017 report


def bench_cold_start(corpus: Path, runs: int, tmp: Path) -> dict:
    """Wall time of one report to CSV, interpreter start-up included.

    Also times ``python -c pass`` and ``python -c "import positions.cli"``, to
    split the figure into interpreter, imports and work.
    """
    command = [*positions_command(), "statements", str(corpus / REPORT), "--out", str(tmp / "r.csv")]
    commands = {"statements": command,
                "python_startup": [sys.executable, "-c", "pass"],
                "import_positions_cli": [sys.executable, "-c", "import positions.cli"]}
    timings: dict[str, list[Timing]] = {name: [] for name in commands}
    for i in range(runs):
        for name, each in commands.items():
            timings[name].append(run_timed(each)[0])
        log(f"  cold start run {i + 1}/{runs}: {describe(timings['statements'][-1])}")
    result = {"command": f"positions statements <corpus>/{REPORT.as_posix()} --out <tmp>/r.csv",
              **timing_summary(timings["statements"])}
    for name in ("python_startup", "import_positions_cli"):
        result[name] = timing_summary(timings[name])
    result["target"] = f"wall < {TARGETS['cold_start_wall_s']:.0f} s"
    result["met"] = result["wall_s"]["median"] < TARGETS["cold_start_wall_s"]
    return result


# --------------------------------------------------------------------------
# c. Attribution overhead


def bare_attributed_factory(shapes: dict[str, list[int]]) -> Callable:
    """A stand-in for ``positions.parse.build.attributed`` that attributes nothing.

    It splits sentences exactly as ``attributed`` does and gives each one a
    constant attribution: one per sentence for a speech, and for a report as
    many as the real attribution gave (``shapes[doc_id]``, measured beforehand
    outside the timing), so both pipelines build the same rows.
    """
    from positions.base.config import DEFAULT_CONFIG
    from positions.parse.sentences import split_sentences
    from positions.parse.speakers import Attribution

    constant = Attribution("unattributed")
    one = [constant]
    meta = {"participants": None, "participants_source": "benchmark", "attendance": {}}

    def bare_attributed(doc, config=DEFAULT_CONFIG):
        sentences = [
            (paragraph, n, start, end)
            for paragraph in doc.paragraphs
            for n, (start, end) in enumerate(split_sentences(doc.text, paragraph.start, paragraph.end, doc.lang), 1)
        ]
        if doc.speaker:
            return [(*s, one) for s in sentences], meta
        counts = shapes[doc.doc_id]
        if len(counts) != len(sentences):
            raise AssertionError(f"{doc.doc_id}: {len(sentences)} sentences, expected {len(counts)}")
        return [(*s, [constant] * k) for s, k in zip(sentences, counts)], meta

    return bare_attributed


def attribution_shape(doc) -> list[int]:
    """Attributions per sentence that the real ``attributed`` gives a document."""
    from positions.parse.build import attributed

    rows, _ = attributed(doc)
    return [len(found) for *_, found in rows]


def count_rows(inputs, attributed: Callable) -> int:
    """Run the statements pipeline in this process with ``attributed``; the number of rows."""
    import positions
    from positions.parse import build as tables

    real = tables.attributed
    tables.attributed = attributed
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the corpus's Speakers_by_session.xlsx
            return sum(len(frame) for frame in positions.iter_statements(inputs, workers=1))
    finally:
        tables.attributed = real


def time_pair(inputs, bare: Callable, runs: int, label: str) -> dict:
    """Time the pipeline with and without attribution, alternating the order each run.

    The overhead is the ratio of the median CPU times (less disturbed than
    wall time when other processes compete for the cores), less one; the
    ratio of the fastest runs and of the median wall times are given too.
    """
    from positions.parse import build as tables

    variants = {"with": tables.attributed, "without": bare}
    count_rows(inputs[:1], tables.attributed)  # first-use costs (caches, lazy tables) out of the runs
    count_rows(inputs[:1], bare)
    timings: dict[str, list[Timing]] = {"with": [], "without": []}
    rows: set[int] = set()
    for i in range(runs):
        for variant in (("with", "without") if i % 2 == 0 else ("without", "with")):
            with Meter("self") as meter:
                rows.add(count_rows(inputs, variants[variant]))
            timings[variant].append(meter.timing)
            log(f"  {label} run {i + 1}/{runs} {variant} attribution: {describe(meter.timing)}")
    if len(rows) != 1:
        raise AssertionError(f"{label}: row counts differ between the variants: {rows}")

    def overhead(measure: str, pick: Callable = statistics.median) -> float:
        with_, without = ([getattr(t, measure) for t in timings[v]] for v in ("with", "without"))
        return round(100 * (pick(with_) / pick(without) - 1), 1)

    return {
        "rows": rows.pop(),
        "with_attribution": timing_summary(timings["with"]),
        "without_attribution": timing_summary(timings["without"]),
        "overhead_pct_cpu": overhead("cpu_s"),
        "overhead_pct_cpu_of_fastest": overhead("cpu_s", min),
        "overhead_pct_wall": overhead("wall_s"),
        "overhead_pct_cpu_runs": [round(100 * (w.cpu_s / wo.cpu_s - 1), 1)
                                  for w, wo in zip(timings["with"], timings["without"])],
        "target": f"overhead <= {TARGETS['attribution_overhead_pct']:.0f}%",
        "met": overhead("cpu_s") <= TARGETS["attribution_overhead_pct"],
    }


def ungdc_inputs(ungdc: Path, sessions: str | None) -> tuple[list[str], str]:
    """The UNGDC session folders (all, or sessions ``A-B``) and their description."""
    folders = sorted(ungdc.glob("Session * - *"))
    if not sessions:
        return [str(p) for p in folders], f"whole corpus ({len(folders)} session folders)"
    first, last = (int(s) for s in sessions.split("-"))
    chosen = [str(p) for p in folders if first <= int(p.name.split()[1]) <= last]
    return chosen, f"sessions {first}-{last} ({len(chosen)} session folders)"


def bench_attribution(corpus: Path, runs: int, sessions: str | None, repeats: int) -> dict:
    """Attribution overhead on UNGDC speeches and on the 2017 report repeated."""
    import positions

    report = positions.read_document(corpus / REPORT)
    bare = bare_attributed_factory({report.doc_id: attribution_shape(report)})
    speeches, described = ungdc_inputs(corpus / UNGDC, sessions)
    log(f"  attribution on UNGDC, {described}")
    on_speeches = time_pair(speeches, bare, runs, "ungdc")
    log(f"  attribution on the 2017 report x {repeats}")
    on_report = time_pair([report] * repeats, bare, runs, "report")
    return {
        "method": "in process, workers=1; 'without' replaces positions.parse.build.attributed with a "
                  "stand-in that splits sentences the same way and returns constant attributions; "
                  "overhead = median CPU time with / without - 1",
        "ungdc": {"inputs": described, **on_speeches},
        "report": {"inputs": f"{REPORT.as_posix()} read once, x {repeats}", **on_report},
    }


# --------------------------------------------------------------------------
# Command line


def machine() -> dict:
    """Where and on what the figures were measured."""
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        total_kib = int(meminfo.readline().split()[1])
    return {
        "date": datetime.date.today().isoformat(),
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(total_kib / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def code_under_test(commit: str | None, exported: Path) -> dict:
    """The commit measured, or HEAD and the package files that differ from it."""
    done = subprocess.run([sys.executable, "-c", "import positions; print(positions.__file__)"],
                          capture_output=True, text=True, cwd=tempfile.gettempdir(), env=ENV, check=True)
    package = str(Path(done.stdout.strip()).parent)
    if commit:
        if Path(package) != exported / "positions":
            raise RuntimeError(f"subprocesses import positions from {package}, not {exported}")
        return {"commit": commit, "package": f"git archive {commit} positions"}
    changed = git("status", "--porcelain", "--", "positions").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "package": package,
            "uncommitted_changes": [line[3:] for line in changed]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder holding ungdc/ and expert-group/ (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs of ungdc and attribution (default 3)")
    parser.add_argument("--cold-runs", type=int, default=7, help="runs of cold-start (default 7)")
    parser.add_argument("--sessions", metavar="A-B",
                        help="attribution on UNGDC sessions A-B only (default: the whole corpus)")
    parser.add_argument("--report-repeats", type=int, default=200,
                        help="copies of the 2017 report in the attribution benchmark (default 200)")
    parser.add_argument("--only", action="append", choices=("ungdc", "cold-start", "attribution"),
                        help="run only this measurement (repeatable)")
    parser.add_argument("--quiet-wait", type=float, default=60.0, metavar="SECONDS",
                        help="before each run, wait up to SECONDS for the machine to be idle (default 60)")
    parser.add_argument("--commit", metavar="REV",
                        help="measure positions as of git revision REV (e.g. HEAD), exported with "
                             "git archive, instead of the working tree")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results to FILE")
    return parser.parse_args(argv)


def report_lines(results: dict) -> Iterator[str]:
    """A human-readable summary of the results."""
    def flag(met: bool) -> str:
        return "met" if met else "MISSED"

    if "ungdc" in results:
        r = results["ungdc"]
        yield (f"ungdc: {r['wall_s']['median']} s median wall (runs {r['wall_s']['runs']}; CPU "
               f"{r['cpu_s']['median']} s; others {r['others_cpus']['runs']} CPUs), "
               f"{r['speeches_per_s']['median']} speeches/s, {r['rows']} rows, peak tree RSS "
               f"{r['peak_tree_rss_gib']['max']} GiB max (runs {r['peak_tree_rss_gib']['runs']}) "
               f"[{r['target']}: {flag(r['met'])}]")
    if "cold_start" in results:
        r = results["cold_start"]
        yield (f"cold start: {r['wall_s']['median']} s median wall (runs {r['wall_s']['runs']}); python "
               f"alone {r['python_startup']['wall_s']['median']} s, import positions.cli "
               f"{r['import_positions_cli']['wall_s']['median']} s [{r['target']}: {flag(r['met'])}]")
    if "attribution" in results:
        for part in ("ungdc", "report"):
            r = results["attribution"][part]
            yield (f"attribution, {part} ({r['inputs']}): CPU with {r['with_attribution']['cpu_s']['median']} s, "
                   f"without {r['without_attribution']['cpu_s']['median']} s, overhead {r['overhead_pct_cpu']}% "
                   f"(pairs {r['overhead_pct_cpu_runs']}; fastest runs {r['overhead_pct_cpu_of_fastest']}%; "
                   f"by wall time {r['overhead_pct_wall']}%) "
                   f"[{r['target']}: {flag(r['met'])}]")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = set(args.only or ("ungdc", "cold-start", "attribution"))
    corpus = args.corpus.resolve()
    Meter.quiet_wait = args.quiet_wait
    with tempfile.TemporaryDirectory(prefix="bench-positions-") as tmp:
        exported = Path(tmp) / "code"
        commit = use_commit(args.commit, exported) if args.commit else None
        results: dict = {"machine": machine(), "code": code_under_test(commit, exported),
                         "corpus": str(args.corpus)}
        if "ungdc" in only:
            log("a. UNGDC to Parquet")
            results["ungdc"] = bench_ungdc(corpus, args.runs, Path(tmp))
        if "cold-start" in only:
            log("b. 2017 report cold start")
            results["cold_start"] = bench_cold_start(corpus, args.cold_runs, Path(tmp))
        if "attribution" in only:
            log("c. attribution overhead")
            results["attribution"] = bench_attribution(corpus, args.runs, args.sessions, args.report_repeats)
    for line in report_lines(results):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

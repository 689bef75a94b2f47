"""Benchmarks past one machine (issue 7): figures written to benchmarks/RESULTS.md and results_scale.json.

import
    ``python -c "import positions"`` against ``python -c "pass"``, as
    subprocesses: the package's own import time.  Target: under 0.5 s.
report-2017
    ``positions report <corpus>/expert-group/2017-third-meeting.zh.txt``:
    statements, classify and the report, end to end, as a subprocess.
ungdc
    The whole UN General Debate Corpus, statements -> classify ->
    position_table, in one process (one worker) and with Dask on a local
    cluster of 2 worker processes, each run as its own subprocess, the two
    alternating.  The ratio one-process / Dask is taken run by run.
    Targets: under 3 min in one process; Dask at least 1.6x faster.
ceiling
    What two processes can gain on this machine at best: the one-process
    pipeline alone, then two of it started together on the same files, the
    two alternating.  ``2 x alone / together`` (the later of the pair) is
    the speedup any split of the work over two processes could reach,
    Dask's overhead aside.  Read the Dask speedup against it.
copies
    Ten copies of the corpus, each document under a new id, through Dask on
    2 workers: statements and classify, computing only the classified table.
    Peak resident memory of each worker is sampled every 0.5 s.
    Target: under 4 GB per worker.
fit-10k
    ``StanceClassifier().fit`` on 10,000 labelled statements (from
    ``bench_stance.py``).

Each measurement prints median and range over its runs::

    POSITIONS_PROGRESS=0 python benchmarks/bench_scale.py --commit HEAD --json benchmarks/results_scale.json
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_statements import (
    DEFAULT_CORPUS,
    ENV,
    REPO,
    Meter,
    code_under_test,
    describe,
    emit,
    log,
    machine,
    positions_command,
    run_timed,
    summary,
    timing_summary,
    use_commit,
)

TARGETS = {"import_s": 0.5, "ungdc_one_process_s": 180.0, "dask_speedup": 1.6, "worker_peak_gib": 4.0}
MODEL = REPO / "models" / "stance-cybercrime.skops"
REPORT_2017 = Path("expert-group") / "2017-third-meeting.zh.txt"

PIPELINE = """
import sys, time, warnings
warnings.simplefilter("ignore")
import psutil
import positions as pos
corpus, mode, model = sys.argv[1], sys.argv[2], sys.argv[3]
fitted = pos.load_model(model)


def cpu(process):
    times = process.cpu_times()
    return times.user + times.system


def pipeline(**how):
    start = time.perf_counter()
    classified = pos.classify(pos.statements(corpus, **how), model=fitted)
    positions = pos.position_table(classified)
    return time.perf_counter() - start, len(positions)


here = psutil.Process()
if mode == "pandas":
    before = cpu(here)
    seconds, rows = pipeline(workers=1)
    print(seconds, rows, cpu(here) - before)
else:
    import dask.dataframe  # imported, as the one-process run has imported pandas and scikit-learn
    from distributed import Client, LocalCluster
    # a running cluster, its workers started as the README says (the stance modules and dask.dataframe preloaded)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      preload=["positions.stance", "dask.dataframe"]) as cluster, Client(cluster):
        workers = here.children(recursive=True)
        before = [cpu(p) for p in (here, *workers)]
        seconds, rows = pipeline(backend="dask")
        after = [cpu(p) for p in (here, *workers)]
    # this process holds the client, the scheduler and the nannies; its children are the workers
    print(seconds, rows, after[0] - before[0], sum(after[1:]) - sum(before[1:]))
"""

COPIES = """
import sys, threading, time, warnings
warnings.simplefilter("ignore")
import dask.dataframe as dd
import psutil
from distributed import Client, LocalCluster
import positions as pos
from positions.parse.table import _Batch, _partition
from positions.parse.build import merge_columns as _merge, statements_frame as _frame
from positions.base.config import DEFAULT_CONFIG
from positions.base.schema import to_pandas
from positions.read.documents import expand_inputs

corpus, copies, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def copy_partition(batch, copy):
    table = _partition(batch, "raise", DEFAULT_CONFIG)
    return table.assign(doc_id=table["doc_id"] + f"~copy{copy}")  # a new document id for every copy


def rss():
    return psutil.Process().memory_info().rss


items = expand_inputs(corpus, "skip", None)
batches = [_Batch(tuple(items[i:i + 50])) for i in range(0, len(items), 50)]
jobs = [(batch, copy) for copy in range(copies) for batch in batches]
with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                  memory_limit=0) as cluster, Client(cluster) as client:
    peaks, done = {}, threading.Event()

    def sample():
        while not done.is_set():
            for worker, value in client.run(rss).items():
                peaks[worker] = max(peaks.get(worker, 0), value)
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    meta = _frame(_merge([]))  # the statements table's columns and types, empty
    lazy = dd.from_map(copy_partition, [b for b, _ in jobs], [c for _, c in jobs], meta=meta, enforce_metadata=False)
    start = time.perf_counter()
    classified = to_pandas(pos.classify(lazy, model=pos.load_model(model)))  # as position_table takes it
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
print(wall, len(classified), classified["doc_id"].nunique(), *sorted(peaks.values()))
"""


def bench_import(runs: int) -> dict:
    """``import positions`` in a fresh interpreter, less the interpreter's own start-up."""
    python = [sys.executable, "-c"]
    bare = [run_timed([*python, "pass"])[0].wall_s for _ in range(runs)]
    full = [run_timed([*python, "import positions"])[0].wall_s for _ in range(runs)]
    own = [f - b for f, b in zip(full, bare)]
    log(f"  import positions {summary(full)['median']} s, python alone {summary(bare)['median']} s")
    return {"import_positions_s": summary(full), "python_alone_s": summary(bare), "import_only_s": summary(own),
            "target": f"under {TARGETS['import_s']} s", "met": statistics.median(full) < TARGETS["import_s"]}


def bench_report_2017(corpus: Path, runs: int, tmp: Path) -> dict:
    timings = []
    for i in range(runs):
        timing, _ = run_timed([*positions_command(), "report", str(corpus / REPORT_2017), "--out",
                               str(tmp / f"r2017-{i}"), "--lang", "zh", "--model", str(MODEL)])
        timings.append(timing)
        log(f"  report 2017 run {i + 1}: {describe(timing)}")
    return {"command": "positions report <2017 report> --out DIR --lang zh (PNG, SVG, PDF)", **timing_summary(timings)}


def _pipeline(corpus: Path, mode: str, together: int = 1):
    """``together`` runs started at once, each its own process: their whole timing, and each one's pipeline
    seconds inside it, with the CPU seconds the pipeline took: one process's, or the Dask client process's and
    its workers'."""
    command = [sys.executable, "-c", PIPELINE, str(corpus / "ungdc"), mode, str(MODEL)]
    outs = [tempfile.TemporaryFile() for _ in range(together)]
    with Meter("children") as meter:
        running = [subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=ENV, cwd=tempfile.gettempdir())
                   for out in outs]
        errors = [run.communicate()[1] for run in running]
    printed = []
    for run, error, out in zip(running, errors, outs):
        if run.returncode:
            raise RuntimeError(error.decode(errors="replace")[-2000:])
        out.seek(0)
        seconds, _rows, *cpu_s = out.read().decode().split()
        printed.append((float(seconds), [float(c) for c in cpu_s]))
        out.close()
    return meter.timing, printed if together > 1 else printed[0]


def bench_ungdc(corpus: Path, runs: int) -> dict:
    """The pipeline's time is measured inside each process, once imports, the model and (for Dask) the cluster
    are ready: a user with a running cluster pays only that.  The whole process is reported beside it."""
    one, dask, inner_one, inner_dask, ratios = [], [], [], [], []
    cpu_one, cpu_client, cpu_workers = [], [], []
    for i in range(runs):
        pandas_run, (pandas_s, (pandas_cpu,)) = _pipeline(corpus, "pandas")
        dask_run, (dask_s, (client_cpu, workers_cpu)) = _pipeline(corpus, "dask")
        one.append(pandas_run)
        dask.append(dask_run)
        inner_one.append(pandas_s)
        inner_dask.append(dask_s)
        ratios.append(pandas_s / dask_s)
        cpu_one.append(pandas_cpu)
        cpu_client.append(client_cpu)
        cpu_workers.append(workers_cpu)
        log(f"  run {i + 1}: one process {pandas_s:.1f} s ({pandas_cpu:.1f} s CPU; {describe(pandas_run)} in all); "
            f"Dask 2 workers {dask_s:.1f} s (workers {workers_cpu:.1f} s CPU, client process {client_cpu:.1f} s; "
            f"{describe(dask_run)} in all); ratio {ratios[-1]:.2f}")
    return {"steps": "statements -> classify -> position_table, whole UNGDC",
            "pipeline_s_one_process": summary(inner_one), "pipeline_s_dask_2_workers": summary(inner_dask),
            "speedup": summary(ratios, 2),
            # where Dask's time goes, run by run: the workers' CPU against the one process's for the same work,
            # and the share of both cores the client process (client, scheduler, nannies) takes meanwhile
            "cpu_s_one_process": summary(cpu_one), "cpu_s_dask_workers": summary(cpu_workers),
            "cpu_s_dask_client_process": summary(cpu_client),
            "dask_workers_cpu_over_one_process": summary([w / o for w, o in zip(cpu_workers, cpu_one)], 2),
            "dask_client_share_of_2_cores": summary([c / (2 * s) for c, s in zip(cpu_client, inner_dask)], 3),
            "speedup_whole_processes": summary([a.wall_s / b.wall_s for a, b in zip(one, dask)], 2),
            "process_one": timing_summary(one), "process_dask_2_workers": timing_summary(dask),
            "targets": f"one process under {TARGETS['ungdc_one_process_s']:.0f} s; Dask at least "
                       f"{TARGETS['dask_speedup']}x faster",
            "met": statistics.median(t.wall_s for t in one) < TARGETS["ungdc_one_process_s"]
            and statistics.median(ratios) >= TARGETS["dask_speedup"]}


def bench_ceiling(corpus: Path, runs: int) -> dict:
    """The one-process pipeline alone, then two at once, alternating: ``2 x alone / together`` is what two
    processes can gain here at best (two cores that slow each other down, as on a virtual machine, give less
    than 2)."""
    alone, together, ceilings, cpu_alone, cpu_together = [], [], [], [], []
    for i in range(runs):
        _, (one, (one_cpu,)) = _pipeline(corpus, "pandas")
        _, pair = _pipeline(corpus, "pandas", together=2)
        alone.append(one)
        together.append(max(seconds for seconds, _ in pair))
        ceilings.append(2 * one / together[-1])
        cpu_alone.append(one_cpu)
        cpu_together.append(statistics.mean(cpu for _, (cpu,) in pair))
        log(f"  run {i + 1}: alone {one:.1f} s ({one_cpu:.1f} s CPU); two at once {pair[0][0]:.1f} s and "
            f"{pair[1][0]:.1f} s ({cpu_together[-1]:.1f} s CPU each); ceiling {ceilings[-1]:.2f}")
    # the same work costs more CPU seconds when both cores are busy (shared caches, or two hyperthreads of one
    # core): read the Dask workers' CPU against cpu_s_each_two_at_once, not against the pipeline alone
    return {"steps": "statements -> classify -> position_table, whole UNGDC, one process; then two at once",
            "pipeline_s_alone": summary(alone), "pipeline_s_two_at_once": summary(together),
            "cpu_s_alone": summary(cpu_alone), "cpu_s_each_two_at_once": summary(cpu_together),
            "ceiling": summary(ceilings, 2)}


def bench_copies(corpus: Path, copies: int, runs: int) -> dict:
    walls, peaks, rows = [], [], None
    for i in range(runs):
        with tempfile.TemporaryFile() as out:
            with Meter("children") as meter:
                done = subprocess.run([sys.executable, "-c", COPIES, str(corpus / "ungdc"), str(copies), str(MODEL)],
                                      stdout=out, stderr=subprocess.PIPE, env=ENV, cwd=tempfile.gettempdir())
            if done.returncode:
                raise RuntimeError(done.stderr.decode(errors="replace")[-2000:])
            out.seek(0)
            wall, classified, documents, *worker_peaks = out.read().decode().split()
        walls.append(float(wall))
        peaks.append(max(int(p) for p in worker_peaks) / 1024**3)
        rows = (int(classified), int(documents))
        log(f"  copies run {i + 1}: {float(wall):.1f} s compute ({describe(meter.timing)} in all); "
            f"worker peaks {[round(int(p) / 1024**3, 2) for p in worker_peaks]} GiB")
    return {"copies": copies, "classified_rows": rows[0], "documents_classified": rows[1],
            "compute_wall_s": summary(walls, 1), "worker_peak_gib": summary(peaks, 2),
            "target": f"peak under {TARGETS['worker_peak_gib']} GB per worker",
            "met": max(peaks) < TARGETS["worker_peak_gib"]}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--copies", type=int, default=10, help="copies of the corpus (default 10)")
    parser.add_argument("--copies-runs", type=int, default=1, help="runs of the copies measurement (default 1)")
    parser.add_argument("--only", action="append",
                        choices=("import", "report-2017", "ungdc", "ceiling", "copies", "fit-10k"))
    parser.add_argument("--quiet-wait", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--commit", metavar="REV")
    parser.add_argument("--json", type=Path, metavar="FILE")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    only = set(args.only or ("import", "report-2017", "ungdc", "ceiling", "copies", "fit-10k"))
    corpus = args.corpus.resolve()
    Meter.quiet_wait = args.quiet_wait
    ENV["POSITIONS_PROGRESS"] = "0"
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        exported = Path(tmp) / "code"
        commit = use_commit(args.commit, exported) if args.commit else None
        results: dict = {"machine": machine(), "code": code_under_test(commit, exported), "corpus": str(args.corpus)}
        if "import" in only:
            log("a. import positions")
            results["import"] = bench_import(max(args.runs, 7))
        if "report-2017" in only:
            log("b. the 2017 report end to end")
            results["report_2017"] = bench_report_2017(corpus, args.runs, Path(tmp))
        if "ungdc" in only:
            log("c. the whole UNGDC: one process and Dask on 2 workers")
            results["ungdc"] = bench_ungdc(corpus, args.runs)
        if "ceiling" in only:
            log("c'. the most two processes can gain here: one pipeline alone, then two at once")
            results["ceiling"] = bench_ceiling(corpus, args.runs)
        if "copies" in only:
            log(f"d. {args.copies} copies of the UNGDC through Dask on 2 workers")
            results["copies"] = bench_copies(corpus, args.copies, args.copies_runs)
        if "fit-10k" in only:
            log("e. training on 10,000 statements")
            from bench_stance import bench_fit_10k

            results["fit_10k"] = bench_fit_10k(corpus, args.runs)
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

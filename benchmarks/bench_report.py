"""Benchmarks of the report (issue 5; see benchmarks/README.md).

Two measurements, each repeated (median and every run are reported):

ungdc-report
    ``positions report <corpus>/ungdc --out DIR`` as a subprocess, with the
    default charts (PNG at 300 dpi, SVG, PDF): wall time, CPU time and the
    peak resident memory of the process tree.  Target: under 3 minutes.
charts
    In process, on the tables of that report (the whole UNGDC, classified
    once): every chart the report draws, timed from the tidy table to its
    three files on disk (``plot_*`` then :func:`positions.save_chart`).
    Target: each chart under 2 s.  The first chart of a process also loads
    the fonts (the CJK font is 16 MB); it is timed apart as ``first_chart``.

Standard library plus the package::

    python benchmarks/bench_report.py --json benchmarks/results_report.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench_statements import (
    DEFAULT_CORPUS,
    REPO,
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

TARGETS = {"ungdc_report_wall_s": 180.0, "chart_s": 2.0}
MODEL = REPO / "models" / "stance-cybercrime.skops"  # named, since a --commit export holds the package alone


def bench_ungdc_report(corpus: Path, runs: int, tmp: Path) -> dict:
    """Wall time and peak tree RSS of ``positions report`` on the whole UNGDC."""
    timings, peaks = [], []
    for i in range(runs):
        out = tmp / f"report-{i}"
        timing, peak = run_timed([*positions_command(), "report", str(corpus / "ungdc"), "--out", str(out),
                                  "--model", str(MODEL)], sample_memory=True)
        timings.append(timing)
        peaks.append(peak.peak_bytes / 1024**3)
        log(f"  run {i + 1}: {describe(timing)}, peak tree RSS {peaks[-1]:.2f} GiB")
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    wall = [t.wall_s for t in timings]
    return {"command": "positions report <corpus>/ungdc --out <tmp>/report --model <repo>/models/stance-cybercrime.skops",
            **timing_summary(timings),
            "peak_tree_rss_gib": summary(peaks, 2), "files": files,
            "target": f"under {TARGETS['ungdc_report_wall_s']:.0f} s",
            "met": max(wall) < TARGETS["ungdc_report_wall_s"]}


def bench_charts(corpus: Path, runs: int, tmp: Path) -> dict:
    """Each chart of the UNGDC report, from the tidy table to PNG, SVG and PDF files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import positions as pos
    from positions.present.words import ordered_targets as _ordered_targets

    classified = pos.classify(pos.statements(corpus / "ungdc", workers=2), model=MODEL)
    table = pos.position_table(classified)
    targets = _ordered_targets(table["target"].unique(), pos.load_codebook())
    charts = {"all-targets-net": lambda: pos.plot_small_multiples(table, targets)}
    for target in targets:
        charts[f"{target}-shares"] = lambda t=target: pos.plot_stance_shares(table, t)
        charts[f"{target}-net"] = lambda t=target: pos.plot_net_position(table, t)
        matrix = pos.delegation_matrix(classified, target=target)
        if not matrix.empty:
            charts[f"{target}-delegations"] = lambda m=matrix: pos.plot_delegation_heatmap(m)
    seconds: dict[str, list[float]] = {name: [] for name in charts}
    first = None
    for run in range(runs + 1):
        for name, draw in charts.items():
            with Meter("self") as meter:
                chart = draw()
                pos.save_chart(chart, tmp / "charts" / name)
            plt.close("all")
            if first is None:
                first = meter.timing.wall_s  # fonts load here; measured again in the runs below
            elif run > 0:
                seconds[name].append(meter.timing.wall_s)
        log(f"  run {run}: {sum(s[-1] for s in seconds.values() if s) if run else first:.2f} s")
    per_chart = {name: summary(values) for name, values in seconds.items()}
    worst = max(s["max"] for s in per_chart.values())
    return {"rows_classified": len(classified), "charts": per_chart, "first_chart_s": round(first, 3),
            "slowest_chart_max_s": worst, "target": f"each under {TARGETS['chart_s']:.0f} s",
            "met": worst < TARGETS["chart_s"]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder holding ungdc/")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--only", action="append", choices=("ungdc-report", "charts"),
                        help="run only this measurement (repeatable)")
    parser.add_argument("--quiet-wait", type=float, default=60.0, metavar="SECONDS",
                        help="before each run, wait up to SECONDS for the machine to be idle (default 60)")
    parser.add_argument("--commit", metavar="REV", help="measure positions as of git revision REV")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results to FILE")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = set(args.only or ("ungdc-report", "charts"))
    corpus = args.corpus.resolve()
    Meter.quiet_wait = args.quiet_wait
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        exported = Path(tmp) / "code"
        commit = use_commit(args.commit, exported) if args.commit else None
        results: dict = {"machine": machine(), "code": code_under_test(commit, exported), "corpus": str(args.corpus)}
        if "ungdc-report" in only:
            log("a. positions report on the whole UNGDC")
            results["ungdc_report"] = bench_ungdc_report(corpus, args.runs, Path(tmp))
            r = results["ungdc_report"]
            print(f"ungdc report: {r['wall_s']['median']} s median wall (runs {r['wall_s']['runs']}; CPU "
                  f"{r['cpu_s']['median']} s; others {r['others_cpus']['runs']} CPUs), peak tree RSS "
                  f"{r['peak_tree_rss_gib']['max']} GiB [{r['target']}: {'met' if r['met'] else 'MISSED'}]")
        if "charts" in only:
            log("b. each chart of the UNGDC report")
            results["charts"] = bench_charts(corpus, args.runs, Path(tmp))
            r = results["charts"]
            for name, s in r["charts"].items():
                print(f"  {name}: {s['median']} s median (runs {s['runs']})")
            print(f"charts: slowest {r['slowest_chart_max_s']} s, first of the process {r['first_chart_s']} s "
                  f"[{r['target']}: {'met' if r['met'] else 'MISSED'}]")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What ``positions --help`` and each command's ``--help`` say: a short user's guide, with examples."""

from __future__ import annotations

import argparse

from .base.config import Config
from .base.version import __version__

OVERVIEW = """\
Track how delegations' positions shift across sessions of UN negotiations.

positions reads UN meeting reports (Chinese or English; .txt, .pdf, .docx, .html)
and speech collections such as the UN General Debate Corpus, splits them into
citable statements attributed to speakers, finds the targets each statement
addresses (a new UN cybercrime treaty, the Budapest Convention, ...) and its
stance on each, and sums them by session into tables, charts and a cited brief.
"""

WORKFLOW = """\
the usual path:
  positions report --demo --out demo-report          try it on the bundled demo corpus
  positions report reports/ --out brief --lang zh    tables, charts and a brief in Chinese
  positions statements reports/ --out s.parquet      one step at a time: statements,
  positions classify reports/ --out c.csv            then targets and stance

retraining when a new session's report arrives:
  positions suggest new-session/ -n 30 --out next.xlsx
  positions import-labels next.xlsx --corpus new-session/ --out data/annotations/new.csv
  positions compare data/annotations --new data/annotations/new.csv --corpus corpus/
  positions train data/annotations --corpus corpus/ --out models/my-model.skops

exit status: 0 done, 1 bad input (one line on stderr naming the file and the
problem), 2 a usage error.  Output files are written whole or not at all.
Run 'positions COMMAND --help' for a command's options and examples.
"""

GUIDE = {
    "statements": (
        "The statements table: one row per sentence and speaker, with its paragraph, character offsets into "
        "the cleaned text (so every finding can be cited), speaker kind, speaker, quantifier and weight.",
        """\
examples:
  positions statements report.pdf                      CSV on stdout
  positions statements reports/ --out statements.parquet
  positions statements ungdc/ --out ungdc.parquet      a UN General Debate Corpus folder
  positions statements 'reports/*.zh.txt' --on-error skip --out zh.csv
"""),
    "participants": (
        "Who took the floor (delegations, groups, officers) in each document, with the paragraph.",
        """\
examples:
  positions participants reports/2017-third-meeting.zh.txt
  positions participants reports/ --out participants.csv
"""),
    "info": (
        "Each document's metadata: body, session, dates, venue, symbol, language, paragraphs, statements and "
        "the participants the report states.",
        """\
examples:
  positions info --demo
  positions info reports/ --json > documents.json
"""),
    "classify": (
        "The classified table: one row per statement and target it addresses, with the stance (favor, "
        "against, neutral) and the model's confidence.  Statements that address no target have no row.",
        """\
examples:
  positions classify reports/ --out classified.csv     with the shipped model
  positions classify reports/ --model rules            the codebook's cue rules alone
  positions classify reports/ --model rules --codebook my-treaty.yaml
  positions classify reports/ --model models/retrained.skops --out classified.parquet
"""),
    "report": (
        "Tables, charts and a cited brief in one folder: tables/ (statements, classified, positions, shifts, "
        "delegation_shifts as CSV and Excel), charts/ (PNG at 300 dpi, SVG, PDF) and brief.md plus brief.html, "
        "whose every sentence cites its source paragraphs.",
        """\
examples:
  positions report --demo --out demo-report
  positions report reports/ --out brief-2017 --lang zh
  positions report ungdc/ --out ungdc-report --formats png
  positions report reports/ ungdc/ --sessions sessions.csv --out one-axis

A sessions file (.csv or .xlsx) merges, renames or re-dates sessions, e.g. to put
Expert Group meetings and General Assembly sessions on one time axis:
  body,session,label,date
  Expert Group on Cybercrime,3,2017,2017-04-10
  General Assembly,72,2017,

DIR must be new, empty, or an earlier report (replaced whole).  The report is
built beside it and moved in at the end: an interrupted run leaves DIR as it was.
"""),
    "suggest": (
        "The statements most worth annotating next (where the model is least sure, spread over documents, "
        "paragraphs and targets), as a workbook with drop-down labels for annotators, or as tasks for "
        "Label Studio, doccano or Prodigy (the mention as a span, the model's stance as a pre-annotation).",
        """\
examples:
  positions suggest new-session/ -n 30 --out next.xlsx
  positions suggest new-session/ --model models/retrained.skops --out next.csv
  positions suggest new-session/ --format label-studio --out next.json
  positions suggest new-session/ --format prodigy --out next.jsonl      (or --format doccano)
"""),
    "train": (
        "Train a stance model from standoff annotations (the documents' text is looked up in --corpus) and "
        "write it as a skops file with its model card (.md) beside it.",
        """\
examples:
  positions train data/annotations --corpus ../shared/corpus --corpus data/demo \\
      --out models/stance-cybercrime.skops                 rebuilds the shipped model byte for byte
  positions train data/annotations new.csv --corpus corpus/ --group session --out retrained.skops
"""),
    "evaluate": (
        "Cross-validated metrics of a model's settings on annotations: by target, stance, language, body and "
        "session, with a confusion matrix and target detection.  No fold is tested on a document (or session) "
        "it was trained on.",
        """\
examples:
  positions evaluate data/annotations --corpus ../shared/corpus --corpus data/demo
  positions evaluate data/annotations --corpus corpus/ --group session --folds 4
"""),
    "compare": (
        "Old annotations against old plus new ones, on the same folds: does a new session's annotation help?",
        """\
example:
  positions compare data/annotations --new data/annotations/new.csv --corpus corpus/
"""),
    "import-labels": (
        "Read annotators' filled-in labels (the workbook from 'suggest', or Label Studio's, doccano's or "
        "Prodigy's export of its tasks) back as a standoff annotation file, checking ids, labels and that each "
        "statement still exists.",
        """\
examples:
  positions import-labels next.xlsx --corpus new-session/ --annotator ab --out data/annotations/new.csv
  positions import-labels export.json --corpus new-session/ --out data/annotations/new.csv   (Label Studio)
  positions import-labels done.jsonl --corpus new-session/ --out data/annotations/new.csv    (doccano, Prodigy)
"""),
}


def parser() -> argparse.ArgumentParser:
    """The ``positions`` argument parser: every command, its options and its help.

    Examples
    --------
    >>> parser().parse_args(["report", "--demo", "--out", "demo-report"]).formats
    'png,svg,pdf'
    """
    parser = argparse.ArgumentParser(prog="positions", description=OVERVIEW, epilog=WORKFLOW,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"positions {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    talk = argparse.ArgumentParser(add_help=False)
    voice = talk.add_mutually_exclusive_group()
    voice.add_argument("-q", "--quiet", action="store_true",
                       help="print nothing but errors: no progress bars, warnings or summaries")
    voice.add_argument("-v", "--verbose", action="store_true", help="also say what each step did")

    def subcommand(name: str, help_text: str) -> argparse.ArgumentParser:
        description, epilog = GUIDE[name]
        return commands.add_parser(name, help=help_text, description=description, epilog=epilog, parents=[talk],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    def command(name: str, help_text: str, out: bool) -> argparse.ArgumentParser:
        sub = subcommand(name, help_text)
        sub.add_argument("inputs", nargs="*", metavar="INPUT",
                         help="files (.txt .pdf .docx .html), folders (a UN General Debate Corpus "
                              "folder is recognised) or glob patterns")
        sub.add_argument("--demo", action="store_true", help="use the bundled illustrative demo corpus")
        sub.add_argument("--on-error", choices=("fail", "skip"), default="fail",
                         help="on an unreadable input: stop (default) or report it and go on")
        sub.add_argument("--max-file-mb", type=float, default=Config.max_file_mb, metavar="MB",
                         help=f"refuse larger files, and .docx files that unpack to more "
                              f"(default {Config.max_file_mb:g})")
        if out:
            sub.add_argument("--out", metavar="FILE", help="write to FILE (.csv, .jsonl or .parquet) "
                                                           "instead of CSV on stdout")
        return sub

    command("statements", "the statements table: one row per statement and speaker", out=True)
    command("participants", "who took the floor, per document", out=True)
    command("info", "each document's metadata", out=False).add_argument(
        "--json", action="store_true", help="print JSON instead of text")
    classify = command("classify", "the classified table: targets and stance of each statement", out=True)
    classify.add_argument("--model", metavar="PATH", help="a model file (default: the shipped model), "
                                                          "or 'rules' for the rules alone")
    classify.add_argument("--codebook", metavar="YAML", help="with --model rules: a codebook of your own")
    report = command("report", "tables, charts and a cited brief in one folder, for a policy brief", out=False)
    report.add_argument("--out", metavar="DIR", required=True,
                        help="the report folder (new, empty, or an earlier report, which is replaced)")
    report.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the brief and charts")
    report.add_argument("--model", metavar="PATH", help="a model file (default: the shipped model), "
                                                        "or 'rules' for the rules alone")
    report.add_argument("--sessions", metavar="FILE", help="a sessions file (.csv or .xlsx) that merges, renames "
                                                           "or re-dates sessions")
    report.add_argument("--unweighted", action="store_true", help="count every statement once")
    report.add_argument("--formats", default="png,svg,pdf", help="chart formats (default png,svg,pdf)")
    suggest = command("suggest", "the statements most worth annotating next, for annotators", out=False)
    suggest.add_argument("--model", metavar="PATH", help="a model file (default: the shipped model)")
    suggest.add_argument("-n", type=int, default=20, help="how many statements (default 20)")
    suggest.add_argument("--out", metavar="FILE", required=True,
                         help="FILE.xlsx (with drop-down labels), FILE.csv, or the tasks of --format")
    suggest.add_argument("--format", choices=("xlsx", "csv", "label-studio", "doccano", "prodigy"),
                         help="an annotation tool's import format (default: from --out's suffix)")

    def annotations_command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = subcommand(name, help_text)
        sub.add_argument("annotations", nargs="*", metavar="ANNOTATIONS", help="annotation CSV files or folders")
        sub.add_argument("--corpus", action="append", metavar="DIR",
                         help="where the annotated documents are (repeat for several)")
        if name != "compare":
            sub.add_argument("--table", metavar="FILE", help="a labelled table instead (.csv, .xlsx or .jsonl with "
                                                             "text, target, stance and optionally lang)")
        sub.add_argument("--codebook", metavar="YAML", help="a codebook of your own (default: cybercrime; "
                                                            "with --table, any targets when not given)")
        sub.add_argument("--group", choices=("doc_id", "session"), default=None,
                         help="cross-validation never splits these (default: session where known, else doc_id)")
        sub.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
        return sub

    annotations_command("train", "train a stance model from standoff annotations").add_argument(
        "--out", metavar="MODEL", required=True, help="the model file (.skops); its card goes beside it (.md)")
    annotations_command("evaluate", "metrics by target, stance, language and session, cross-validated").add_argument(
        "--model", metavar="PATH", help="evaluate this model's parameters (default: the shipped model)")
    compare = annotations_command("compare", "old annotations against old + new ones, on the same folds")
    compare.add_argument("--new", nargs="+", required=True, metavar="ANNOTATIONS",
                         help="the new annotations (e.g. a new session's, from import-labels)")
    labels = subcommand("import-labels", "read annotators' labels back as standoff annotations")
    labels.add_argument("labels", metavar="FILE", help="the filled-in .xlsx or .csv from suggest, or an annotation "
                                                       "tool's export (.json Label Studio, .jsonl doccano or Prodigy)")
    labels.add_argument("--format", choices=("xlsx", "csv", "label-studio", "doccano", "prodigy"),
                        help="the tool the export comes from (default: from the file)")
    labels.add_argument("--corpus", action="append", required=True, metavar="DIR",
                        help="where the documents are (repeat for several)")
    labels.add_argument("--annotator", help="fills empty annotator cells")
    labels.add_argument("--out", metavar="FILE", required=True, help="the annotation CSV to write")
    return parser

"""What ``positions --help`` and each command's ``--help`` say: a short user's guide, with examples."""

from __future__ import annotations

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

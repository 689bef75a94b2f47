"""The ``positions`` command line.

Exit status 0 on success, 2 on a usage error, 1 on bad input with one line on
stderr naming the file and the problem.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from pathlib import Path

from . import cli_help
from .base.config import Config
from .base.errors import InputError, one_line
from .base.output import table_format, write_table, write_text
from .base.config import set_progress
from .base.schema import (
    CLASSIFIED_COLUMNS,
    PARTICIPANT_COLUMNS,
    PARTICIPANT_DTYPES,
    SCHEMAS,
    STATEMENT_COLUMNS,
    STATEMENT_DTYPES,
)
from .read.files import demo_files
from .parse.table import info, iter_statement_columns, participants, statements


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["info", "--demo"])  # doctest: +ELLIPSIS
    ahc-2022-session1.en
    ...
    0
    """
    parser = cli_help.parser()
    args = parser.parse_args(argv)
    _speak(args)
    if args.command in ("train", "evaluate", "compare") and not getattr(args, "table", None) \
            and not (args.annotations and args.corpus):
        parser.error(f"{args.command}: give ANNOTATIONS with --corpus DIR, or --table FILE")
    if args.command in ("train", "evaluate", "compare", "import-labels"):
        try:
            return _annotation_command(args)
        except ValueError as err:  # an InputError, or labels a model cannot learn from
            print(f"error: {err}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            return 0
        except OSError as err:
            return _cannot_write(args, err)
    inputs = list(args.inputs) + (demo_files() if args.demo else [])
    if not inputs:
        parser.error(f"{args.command}: give at least one INPUT, or --demo")
    if args.command == "report":
        unknown = sorted(set(args.formats.split(",")) - {"png", "svg", "pdf"})
        if unknown:
            parser.error(f"--formats: unknown chart format(s) {unknown}; use png, svg, pdf")
    elif args.command == "suggest":
        wanted = {"xlsx": ".xlsx", "csv": ".csv", "label-studio": ".json", "doccano": ".jsonl", "prodigy": ".jsonl"}
        suffix = os.path.splitext(args.out)[1].lower()
        if args.format is None and suffix not in (".csv", ".xlsx", ".json"):
            parser.error(f"{args.out}: suggestions are written as .xlsx, .csv or .json (Label Studio); "
                         "for doccano or Prodigy give --format")
        if args.format is not None and suffix != wanted[args.format]:
            parser.error(f"{args.out}: --format {args.format} is written as {wanted[args.format]}")
        if args.model == "rules":
            parser.error("suggest: --model rules has no uncertainty to rank by; give a model file")
    elif getattr(args, "out", None):
        try:
            table_format(args.out)
        except ValueError as err:
            parser.error(str(err))
    errors: list[InputError] = []
    say_skipped = _skip_notices(errors, quiet=args.quiet)
    on_error = args.on_error
    config = Config(max_file_mb=args.max_file_mb)
    try:
        if args.command == "statements":
            batches = iter_statement_columns(inputs, on_error=on_error, errors=errors, config=config,
                                             workers=os.cpu_count() or 1)
            write_table(_checked(batches, errors, say_skipped, inputs), STATEMENT_COLUMNS, args.out, STATEMENT_DTYPES)
        elif args.command == "classify":
            model, book = _model_and_codebook(args.model, args.codebook)
            batches = iter_statement_columns(inputs, on_error=on_error, errors=errors, config=config,
                                             workers=os.cpu_count() or 1)
            classified = (_classified_columns(batch, model, book) for batch in _checked(batches, errors, say_skipped, inputs))
            rows = write_table(classified, CLASSIFIED_COLUMNS, args.out, SCHEMAS["classified"])
            if not rows and not args.quiet:
                print(f"no statement addresses a target of the codebook {book.id!r}; "
                      f"{'the output holds' if args.out else 'wrote'} only the header", file=sys.stderr)
        elif args.command == "report":
            from .aggregate.sessions import read_sessions_file
            from .present.report import check_report_folder, load_report_model, write_report

            check_report_folder(Path(args.out))  # every check that needs no reading comes first
            axis = read_sessions_file(args.sessions) if args.sessions else None
            model, model_name = load_report_model(args.model)
            table = statements(inputs, on_error=on_error, config=config, workers=os.cpu_count() or 1)
            if table.empty:
                raise _nothing_readable(inputs)
            written = write_report(table, args.out, model=model, model_name=model_name, lang=args.lang,
                                   sessions_file=axis, weighted=not args.unweighted,
                                   formats=tuple(args.formats.split(",")))
            charts = sum(1 for p in written if p.parts[0] == "charts")
            _summary(args, f"report written to {args.out}: brief.md, brief.html, "
                           f"{sum(1 for p in written if p.parts[0] == 'tables')} table files, {charts} chart files")
        elif args.command == "suggest":
            import pandas as pd

            from .stance.labelling import export_suggestions

            model, book = _model_and_codebook(args.model, None)
            batches = iter_statement_columns(inputs, on_error=on_error, errors=errors, config=config)
            frames = [pd.DataFrame(batch) for batch in _checked(batches, errors, say_skipped, inputs)]
            table = pd.concat(frames, ignore_index=True).astype(STATEMENT_DTYPES)
            picks = model.suggest(table, n=args.n)
            export_suggestions(picks, args.out, book, format=_tool(args.format))
            _summary(args, f"{len(picks)} statements to annotate written to {args.out}")
        elif args.command == "participants":
            table = participants(inputs, on_error=on_error, errors=errors, config=config)
            columns = {c: table[c].astype(object).where(table[c].notna(), None).tolist() for c in PARTICIPANT_COLUMNS}
            write_table(_checked([columns], errors, say_skipped, inputs), PARTICIPANT_COLUMNS, args.out, PARTICIPANT_DTYPES)
        else:
            documents = info(inputs, on_error=on_error, errors=errors, config=config)
            say_skipped()
            if not documents:
                raise _nothing_readable(inputs)
            _print_info(documents, args.json)
    except InputError as err:
        say_skipped()
        print(f"error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as err:
        say_skipped()
        return _cannot_write(args, err)
    return 0


def _cannot_write(args, err: OSError) -> int:
    """A full disk or a read-only folder: reading errors are InputErrors, so an OSError is the output's."""
    target = str(getattr(args, "out", None) or err.filename)
    print(f"error: {one_line(target)}: cannot write ({err.strerror or err})", file=sys.stderr)
    return 1


def _model_and_codebook(model_path: str | None, codebook_path: str | None):
    from .stance.codebook import load_codebook
    from .stance.learner import model_codebook
    from .stance.model import load_model

    if model_path == "rules":
        return "rules", load_codebook(codebook_path)
    if codebook_path:
        raise InputError(codebook_path, "--codebook goes with --model rules; a model carries its own codebook")
    model = load_model(model_path)
    return model, model_codebook(model)


def _classified_columns(batch: dict, model, book) -> dict:
    import pandas as pd

    from .stance.classified import classify

    frame = pd.DataFrame(batch).astype({k: v for k, v in STATEMENT_DTYPES.items() if k in batch})
    table = classify(frame, model=model, codebook=book if model == "rules" else None)
    return {c: table[c].astype(object).where(table[c].notna(), None).tolist() for c in CLASSIFIED_COLUMNS}


def _annotation_command(args) -> int:
    import pandas as pd

    from .stance.annotations import read_annotations, write_annotations
    from .stance.codebook import load_codebook
    from .stance.evaluation import comparison_text
    from .stance.training import compare_with_new, training_data

    if getattr(args, "table", None):
        return _table_command(args)
    book = load_codebook(getattr(args, "codebook", None))
    if args.command == "import-labels":
        from .stance.labelling import import_labels

        labels = import_labels(args.labels, statements(args.corpus), book, annotator=args.annotator,
                               format=_tool(args.format))
        write_annotations(labels, args.out)
        _summary(args, f"{len(labels)} annotations written to {args.out}")
        return 0
    annotations = read_annotations(args.annotations, book)
    if args.command == "compare":
        new = read_annotations(args.new, book)
        data = training_data(pd.concat([annotations, new], ignore_index=True), args.corpus, book)
        table = compare_with_new(data, new, groups=args.group or "doc_id", n_splits=args.folds, codebook=book)
        print(comparison_text(table))
        return 0
    data = training_data(annotations, args.corpus, book)
    return _train_or_evaluate(args, data, book)


def _table_command(args) -> int:
    from .stance.codebook import load_codebook
    from .stance.tables import read_table

    book = load_codebook(args.codebook) if args.codebook else None
    return _train_or_evaluate(args, read_table(args.table, book), book)


def _train_or_evaluate(args, data, book) -> int:
    import pandas as pd

    from .stance.evaluation import card_markdown, evaluation_text, summary_text
    from .stance.model import load_model, save_model
    from .stance.training import default_groups, evaluate, train

    groups = args.group or default_groups(data[data["target"] != "none"])
    if args.command == "train":
        model = train(data, book, cv_groups=groups, n_splits=args.folds)
        card = os.path.splitext(args.out)[0] + ".md"
        digest = save_model(model, args.out)
        write_text(card, card_markdown(model.card_))
        print(f"model written to {args.out} (sha256 {digest}); model card {card}")
        print(summary_text(pd.DataFrame(model.card_["metrics"]["summary"])))
        return 0
    from_table = bool(getattr(args, "table", None))
    model = load_model(args.model, book) if args.model or not (from_table or args.codebook) else None
    tables = evaluate(data, model, groups=groups, n_splits=args.folds)
    print(evaluation_text(tables, groups or "row"))
    return 0


def _nothing_readable(inputs: list[str]) -> InputError:
    named = ", ".join(inputs[:3]) + (", ..." if len(inputs) > 3 else "")
    return InputError(named, "no readable document among the inputs")


def _checked(batches, errors: list, say_skipped, inputs: list[str]):
    """Pass batches through, saying which inputs were skipped; fail if every input was skipped."""
    documents = 0
    for batch in batches:
        say_skipped()
        documents += len(set(batch["doc_id"]))
        yield batch
    say_skipped()
    if errors and not documents:
        raise _nothing_readable(inputs)


def _skip_notices(errors: list, quiet: bool = False):
    """A function that prints a ``skipped:`` line for each error not yet printed (nothing with --quiet)."""
    printed = 0

    def say_skipped() -> None:
        nonlocal printed
        for err in errors[printed:]:
            if not quiet:
                print(f"skipped: {err}", file=sys.stderr)
        printed = len(errors)

    return say_skipped


def _print_info(documents: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(documents, ensure_ascii=False, indent=2))
        return
    for doc in documents:
        print(doc["doc_id"])
        for key, value in doc.items():
            if key != "doc_id" and value not in (None, {}, ""):
                print(f"  {key}: {value}")


def _summary(args, message: str) -> None:
    """A command's one-line summary on stderr (stdout may hold its output), unless --quiet."""
    if not args.quiet:
        print(message, file=sys.stderr)


def _speak(args) -> None:
    """How much goes to stderr: progress bars on a terminal, warnings and summaries unless --quiet."""
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    set_progress(sys.stderr.isatty() and not quiet)
    if quiet:
        warnings.simplefilter("ignore")
    warnings.showwarning = _one_line_warning
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("positions")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING)


def _tool(name: str | None) -> str | None:
    """An annotation tool's name, or None for a spreadsheet (xlsx, csv: told by the suffix)."""
    return None if name in (None, "xlsx", "csv") else name


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

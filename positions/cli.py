"""The ``positions`` command line.

Exit status 0 on success, 2 on a usage error, 1 on bad input with one line on
stderr naming the file and the problem.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings

from . import __version__
from ._output import table_format, write_table
from .demo import demo_files
from .errors import InputError
from .tables import PARTICIPANT_COLUMNS, STATEMENT_COLUMNS, STATEMENT_DTYPES, info, iter_statement_columns, participants


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="positions",
        description="Track how delegations' positions shift across sessions of UN negotiations.",
    )
    parser.add_argument("--version", action="version", version=f"positions {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, out: bool) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("inputs", nargs="*", metavar="INPUT",
                         help="files (.txt .pdf .docx .html), folders (a UN General Debate Corpus "
                              "folder is recognised) or glob patterns")
        sub.add_argument("--demo", action="store_true", help="use the bundled illustrative demo corpus")
        sub.add_argument("--on-error", choices=("fail", "skip"), default="fail",
                         help="on an unreadable input: stop (default) or report it and go on")
        if out:
            sub.add_argument("--out", metavar="FILE", help="write to FILE (.csv, .jsonl or .parquet) "
                                                           "instead of CSV on stdout")
        return sub

    command("statements", "the statements table: one row per statement and speaker", out=True)
    command("participants", "who took the floor, per document", out=True)
    command("info", "each document's metadata", out=False).add_argument(
        "--json", action="store_true", help="print JSON instead of text")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> main(["info", "--demo"])  # doctest: +ELLIPSIS
    ahc-2022-session1.en
    ...
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    inputs = list(args.inputs) + (demo_files() if args.demo else [])
    if not inputs:
        parser.error(f"{args.command}: give at least one INPUT, or --demo")
    if getattr(args, "out", None):
        try:
            table_format(args.out)
        except ValueError as err:
            parser.error(str(err))
    warnings.showwarning = _one_line_warning
    errors: list[InputError] = []
    report = _reporter(errors)
    on_error = "skip" if args.on_error == "skip" else "raise"
    try:
        if args.command == "statements":
            batches = iter_statement_columns(inputs, on_error=on_error, errors=errors, workers=os.cpu_count() or 1)
            write_table(_checked(batches, errors, report, inputs), STATEMENT_COLUMNS, args.out, STATEMENT_DTYPES)
        elif args.command == "participants":
            table = participants(inputs, on_error=on_error, errors=errors)
            columns = {c: table[c].astype(object).where(table[c].notna(), None).tolist() for c in PARTICIPANT_COLUMNS}
            write_table(_checked([columns], errors, report, inputs), PARTICIPANT_COLUMNS, args.out, {"para": "Int64"})
        else:
            documents = info(inputs, on_error=on_error, errors=errors)
            report()
            if not documents:
                raise _nothing_readable(inputs)
            _print_info(documents, args.json)
    except InputError as err:
        report()
        print(f"error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return 0


def _nothing_readable(inputs: list[str]) -> InputError:
    named = ", ".join(inputs[:3]) + (", ..." if len(inputs) > 3 else "")
    return InputError(named, "no readable document among the inputs")


def _checked(batches, errors: list, report, inputs: list[str]):
    """Pass batches through, reporting skipped inputs; fail if every input was skipped."""
    documents = 0
    for batch in batches:
        report()
        documents += len(set(batch["doc_id"]))
        yield batch
    report()
    if errors and not documents:
        raise _nothing_readable(inputs)


def _reporter(errors: list):
    printed = 0

    def report() -> None:
        nonlocal printed
        for err in errors[printed:]:
            print(f"skipped: {err}", file=sys.stderr)
        printed = len(errors)

    return report


def _print_info(documents: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(documents, ensure_ascii=False, indent=2))
        return
    for doc in documents:
        print(doc["doc_id"])
        for key, value in doc.items():
            if key != "doc_id" and value not in (None, {}, ""):
                print(f"  {key}: {value}")


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

"""Standoff annotations: labels that point into documents without copying them.

An annotation file is a CSV with ``doc_id, para, sent, hash, target, stance,
annotator`` (``data/annotations/GUIDELINES.md``).  ``hash`` is
:func:`statement_hash` of the statement's text, so a label finds its statement
again after the segmenter renumbers sentences, and a statement that no longer
exists is reported instead of silently mislabelled.  ``target`` ``none`` marks
a statement that was read and addresses no target.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from ..base.errors import InputError
from ..base.output import atomic_path
from ..base.schema import SCHEMAS, STANCES, statement_hash
from ..read.documents import expand_inputs
from ..read.files import Source
from ..parse.table import statements as build_statements
from .codebook import Codebook, load_codebook

__all__ = [
    "ANNOTATION_COLUMNS",
    "agreement",
    "annotated_statements",
    "corpus_statements",
    "read_annotations",
    "statement_hash",
    "write_annotations",
]

ANNOTATION_COLUMNS = list(SCHEMAS["annotations"])


def read_annotations(paths, codebook: Codebook | None = None) -> pd.DataFrame:
    """Read and check annotation files.

    Parameters
    ----------
    paths : str or list of str
        CSV files, or folders of them.
    codebook : Codebook, optional
        Target ids are checked against it (default: the cybercrime codebook).

    Returns
    -------
    DataFrame
        The columns of :data:`ANNOTATION_COLUMNS` plus ``file``; ``stance`` is
        missing (``<NA>``) on ``none`` rows.

    Raises
    ------
    InputError
        A missing column, an unknown target id or stance label, a bad key,
        or the same statement and target labelled twice in one file; the
        message names the file and the line.

    Examples
    --------
    >>> import io, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(path, "w").write("doc_id,para,sent,hash,target,stance,annotator\\n"
    ...                           "d,1,1,0123456789ab,new_treaty,favor,me\\nd,1,2,0123456789ac,none,,me\\n")
    >>> read_annotations(path)[["target", "stance"]].values.tolist()
    [['new_treaty', 'favor'], ['none', <NA>]]
    """
    book = codebook or load_codebook()
    files = _annotation_files(paths)
    tables = [_read_one(path, book) for path in files]
    table = pd.concat(tables, ignore_index=True)
    return table


def _annotation_files(paths) -> list[str]:
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files: list[str] = []
    for item in map(os.fspath, items):
        if os.path.isdir(item):
            found = sorted(os.path.join(item, n) for n in os.listdir(item) if n.endswith(".csv"))
            if not found:
                raise InputError(item, "no annotation file (.csv) in this folder")
            files.extend(found)
        elif os.path.isfile(item):
            files.append(item)
        else:
            raise InputError(item, "no such file or folder")
    if not files:
        raise InputError("annotations", "no annotation file given")
    return files


def _read_one(path: str, book: Codebook) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(path, f"not a readable annotation CSV ({str(err).splitlines()[0]})") from None
    missing = [c for c in ANNOTATION_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}; expected {','.join(ANNOTATION_COLUMNS)}")
    table = table[ANNOTATION_COLUMNS].copy()

    def fail(i: int, problem: str) -> InputError:
        return InputError(path, f"line {i + 2}: {problem}")

    for name in ("para", "sent"):
        bad = ~table[name].str.fullmatch(r"\d+")
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise fail(i, f"{name} {table[name].iloc[i]!r} is not a number")
    targets = set(book.target_ids) | {"none"}
    for i, (target, stance, key) in enumerate(zip(table.target, table.stance, table.hash)):
        if target not in targets:
            raise fail(i, f"unknown target {target!r}; the codebook {book.id!r} has {', '.join(sorted(targets))}")
        if target == "none" and stance:
            raise fail(i, f"target none takes no stance (got {stance!r})")
        if target != "none" and stance not in STANCES:
            raise fail(i, f"stance {stance!r} is not one of {', '.join(STANCES)}")
        if len(key) != 12 or any(c not in "0123456789abcdef" for c in key):
            raise fail(i, f"hash {key!r} is not 12 hex digits (use positions.statement_hash)")
    duplicated = table.duplicated(["doc_id", "para", "sent", "target"])
    if duplicated.any():
        i = int(duplicated.to_numpy().nonzero()[0][0])
        raise fail(i, f"{table.doc_id.iloc[i]} paragraph {table.para.iloc[i]} sentence {table.sent.iloc[i]} "
                      f"has target {table.target.iloc[i]!r} twice")
    table["para"] = table["para"].astype("int64")
    table["sent"] = table["sent"].astype("int64")
    table["stance"] = table["stance"].replace("", pd.NA)
    table = table.astype({c: "string" for c in ("doc_id", "hash", "target", "stance", "annotator")})
    table["file"] = os.path.basename(path)
    return table


def write_annotations(table: pd.DataFrame, path: str) -> None:
    """Write annotations as a CSV of :data:`ANNOTATION_COLUMNS`, whole or not at all.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> row = dict(doc_id="d", para=1, sent=1, hash="0123456789ab", target="none", stance=None, annotator="me")
    >>> write_annotations(pd.DataFrame([row]), path)
    >>> open(path).read().splitlines()[1]
    'd,1,1,0123456789ab,none,,me'
    """
    with atomic_path(path) as part:
        table[ANNOTATION_COLUMNS].to_csv(part, index=False, encoding="utf-8")


def agreement(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """How far two annotations of the same statements agree, by target.

    Only statements both annotated count.  For each target: how many
    statements each annotator said address it (``first``, ``second``),
    Cohen's kappa of that yes/no decision, and on the (statement, target)
    pairs both said are addressed (``both``), the share with the same stance
    and Cohen's kappa of the stances.  The ``all`` row pools the targets.

    Examples
    --------
    >>> a = pd.DataFrame({"doc_id": "d", "para": [1, 1, 2], "sent": [1, 2, 1], "hash": "0" * 12,
    ...                   "target": ["t", "none", "t"], "stance": ["favor", None, "against"]})
    >>> b = a.assign(stance=["favor", None, "neutral"])
    >>> agreement(a, b)[["target", "both", "stance_agreement"]].values.tolist()
    [['t', 2, 0.5], ['all', 2, 0.5]]
    """
    from sklearn.metrics import cohen_kappa_score

    keys = ["doc_id", "para", "sent"]
    shared = first[keys].drop_duplicates().merge(second[keys].drop_duplicates(), on=keys)
    targets = sorted((set(first["target"]) | set(second["target"])) - {"none"})
    rows = []
    pairs = []
    for target in targets:
        one = shared.merge(first[first["target"] == target][keys + ["stance"]], on=keys, how="left")
        two = shared.merge(second[second["target"] == target][keys + ["stance"]], on=keys, how="left")
        said_one, said_two = one["stance"].notna().to_numpy(), two["stance"].notna().to_numpy()
        both = said_one & said_two
        stances = (one["stance"][both].astype(str).to_numpy(), two["stance"][both].astype(str).to_numpy())
        pairs.append(stances)
        rows.append(_agreement_row(target, said_one, said_two, *stances, cohen_kappa_score))
    said = [(shared.merge(f[f["target"] != "none"][keys].drop_duplicates(), on=keys, how="left", indicator=True)
             ["_merge"] == "both").to_numpy() for f in (first, second)]
    joined = [np.concatenate([p[i] for p in pairs]) if pairs else np.array([]) for i in (0, 1)]
    rows.append(_agreement_row("all", said[0], said[1], joined[0], joined[1], cohen_kappa_score))
    return pd.DataFrame(rows)


def _agreement_row(target, said_one, said_two, stance_one, stance_two, kappa) -> dict:
    def safe_kappa(a, b):
        return float(kappa(a, b)) if len(a) and len(set(a) | set(b)) > 1 else float("nan")

    return {"target": target, "statements": len(said_one), "first": int(said_one.sum()),
            "second": int(said_two.sum()), "both": len(stance_one),
            "detection_kappa": safe_kappa(said_one, said_two),
            "stance_agreement": float((stance_one == stance_two).mean()) if len(stance_one) else float("nan"),
            "stance_kappa": safe_kappa(stance_one, stance_two)}


def annotated_statements(annotations: pd.DataFrame, corpus, codebook: Codebook | None = None) -> pd.DataFrame:
    """Join annotations to the statements they point at, read from the corpus.

    Parameters
    ----------
    annotations : DataFrame
        From :func:`read_annotations`.
    corpus : str, list of str, or DataFrame
        Folders or files holding the annotated documents (only those whose
        ``doc_id`` is annotated are read), or a statements table already built.
    codebook : Codebook, optional

    Returns
    -------
    DataFrame
        One row per annotation whose statement was found: the annotation's
        columns plus ``lang``, ``body``, ``session``, ``session_date`` and
        ``text``.  A statement found under another ``sent`` number by its hash
        gets its current number.  Annotations whose statement no longer
        exists are left out with one warning naming them; their keys are in
        ``result.attrs["missing"]``.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.statements(pos.demo_files()[:1])
    >>> row = table.iloc[7]
    >>> labels = pd.DataFrame([dict(doc_id=row.doc_id, para=row.para, sent=row.sent + 5,
    ...                             hash=statement_hash(row.text), target="new_treaty",
    ...                             stance="against", annotator="me")])
    >>> found = annotated_statements(labels, table)
    >>> bool(found.sent.iloc[0] == row.sent), found.attrs["missing"]
    (True, [])
    """
    if isinstance(corpus, pd.DataFrame):
        table = corpus
    else:
        table = corpus_statements(set(annotations["doc_id"].astype(str)), corpus)
    table = table.drop_duplicates(["doc_id", "para", "sent"])
    keyed = pd.DataFrame({
        "doc_id": table["doc_id"].astype(str).to_numpy(), "para": table["para"].astype("int64").to_numpy(),
        "found_sent": table["sent"].astype("int64").to_numpy(), "hash": table["text"].astype(str).map(statement_hash),
        "lang": table["lang"].to_numpy(), "body": table["body"].to_numpy(), "session": table["session"].to_numpy(),
        "session_date": table["session_date"].to_numpy(), "text": table["text"].to_numpy(),
    }).drop_duplicates(["doc_id", "para", "hash"])
    labels = annotations.assign(doc_id=annotations["doc_id"].astype(str), para=annotations["para"].astype("int64"),
                                hash=annotations["hash"].astype(str))
    merged = labels.merge(keyed, on=["doc_id", "para", "hash"], how="left")
    lost = merged["text"].isna()
    missing = [f"{r.doc_id} paragraph {r.para} sentence {r.sent}"
               for r in merged[lost].drop_duplicates(["doc_id", "para", "sent"]).itertuples()]
    if missing:
        warnings.warn(f"{len(missing)} annotated statement(s) no longer exist in the corpus "
                      f"(text changed or document missing), left out: {', '.join(missing[:5])}"
                      + (" ..." if len(missing) > 5 else ""))
    merged = merged[~lost].copy()
    merged["sent"] = merged.pop("found_sent").astype("int64")
    merged.attrs["missing"] = missing
    return merged.reset_index(drop=True)


def corpus_statements(doc_ids: set[str], corpus) -> pd.DataFrame:
    """Statements of the documents ``doc_ids`` found under ``corpus`` (others are not read).

    Examples
    --------
    >>> import positions as pos
    >>> sorted(set(corpus_statements({"ahc-2022-session1.zh"}, pos.demo_dir()).doc_id))
    ['ahc-2022-session1.zh']

    Raises
    ------
    InputError
        When no annotated document is found in the corpus.
    """
    folders = [corpus] if isinstance(corpus, (str, os.PathLike)) else list(corpus)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sources = [s for s in expand_inputs(folders)
                   if isinstance(s, Source) and os.path.splitext(os.path.basename(s.path))[0] in doc_ids]
    if not sources:
        raise InputError(", ".join(map(str, folders)), "none of the annotated documents is in this corpus")
    return build_statements(sources)

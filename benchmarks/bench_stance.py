"""Benchmarks of the stance model (quality against baselines, and speed; see benchmarks/README.md).

Three measurements in one run:

compare
    The annotated statements that address a target, in 5 folds grouped by
    ``doc_id`` (the folds of :func:`positions.stance.training.cross_validate`).
    Four models fit on the same training folds and predict the same test
    folds: :class:`positions.stance.learner.StanceClassifier`, a majority baseline, a
    keyword baseline and spaCy ``textcat`` (blank pipelines).  F_avg
    (:func:`positions.stance.evaluation.stance_metrics`) overall and for new_treaty and
    budapest_convention by language, training time summed over the folds, and
    prediction throughput.  Repeated ``--runs`` times for the times; the
    predictions must be the same every run.
fit-10k
    ``StanceClassifier().fit`` on 10,000 (text, target, lang, stance) rows
    built from UN General Debate sentences: targets round-robin from the
    codebook, stances from :func:`positions.stance.rules.rule_stance`.
classify
    ``positions classify <corpus>/ungdc --out <tmp>/classified.parquet`` as a
    subprocess (the shipped model): wall time, rows, rows per target.

The timing helpers come from ``bench_statements.py`` (beside this file):
before each timed run the script waits up to ``--quiet-wait`` seconds for
the machine to be idle, and records how many CPUs other processes kept busy.

    python benchmarks/bench_stance.py --out benchmarks/results_stance.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from itertools import cycle
from pathlib import Path
from typing import Self

import numpy as np
import pandas as pd
from bench_statements import (
    Meter,
    describe,
    log,
    machine,
    positions_command,
    run_timed,
    summary,
    timing_summary,
)
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import GroupKFold

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
ANNOTATIONS = REPO / "data" / "annotations"
DEMO = REPO / "data" / "demo"
STANCES = ("favor", "against", "neutral")
FEATURES = ["text", "target", "lang"]
FOLDS = 5
REPORTED_TARGETS = ("new_treaty", "budapest_convention")
SYNTHETIC_ROWS = 10_000
SYNTHETIC_SESSIONS = (70, 71, 72)  # UNGDC sessions the 10,000 sentences are drawn from
TARGETS = {"fit_10k_s": 60.0, "classify_ungdc_wall_s": 120.0}
KEYWORDS = {  # of the keyword baseline, fixed before any result was seen
    "en": {"favor": ("support", "welcom", "endors", "favour", "favor", "agree", "effective", "useful", "important"),
           "against": ("oppos", "reject", "object", "outdated", "premature", "unnecessary", "concern", "doubt")},
    "zh": {"favor": ("支持", "赞成", "赞同", "欢迎", "同意", "有效", "有用", "重要"),
           "against": ("反对", "拒绝", "过时", "过早", "不必要", "担忧", "质疑", "关切")},
}


# --------------------------------------------------------------------------
# Baselines (scikit-learn estimators taking the statements DataFrame)


class MajorityBaseline(ClassifierMixin, BaseEstimator):
    """The most frequent stance of the training rows, for every statement.

    ``DummyClassifier(strategy="most_frequent")`` fitted on a dummy column,
    so that it takes the same DataFrame (``text``, ``target``, ``lang``) as
    the stance model.
    """

    def fit(self, X: pd.DataFrame, y) -> Self:
        self.dummy_ = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(X), 1)), y)
        self.classes_ = self.dummy_.classes_
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.dummy_.predict(np.zeros((len(X), 1)))


class KeywordBaseline(ClassifierMixin, BaseEstimator):
    """Favour words against against words, counted in the statement; nothing learnt.

    A short fixed list per language (:data:`KEYWORDS`), matched as
    substrings (English at the start of a word, so inflections count).  No
    negation handling: 不支持 and "do not support" count as favour.  More
    favour words than against words is ``favor``, fewer is ``against``, a
    tie (none at all included) is ``neutral``.
    """

    def fit(self, X: pd.DataFrame, y) -> Self:
        self.classes_ = np.array(STANCES, dtype=object)
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        patterns = {(lang, side): re.compile("|".join((r"\b" if lang == "en" else "") + re.escape(w) for w in words),
                                             re.IGNORECASE)
                    for lang, sides in KEYWORDS.items() for side, words in sides.items()}
        predicted = []
        for text, lang in zip(X["text"].astype(str), X["lang"].astype(str)):
            lang = "zh" if lang == "zh" else "en"
            margin = len(patterns[lang, "favor"].findall(text)) - len(patterns[lang, "against"].findall(text))
            predicted.append("favor" if margin > 0 else "against" if margin < 0 else "neutral")
        return np.array(predicted, dtype=object)


class SpacyTextcat(ClassifierMixin, BaseEstimator):
    """spaCy ``textcat`` (exclusive favor / against / neutral), one blank pipeline per language.

    ``spacy.blank("zh")`` (its default segmenter: one token per character)
    for Chinese rows, ``spacy.blank("en")`` for the others; nothing is
    downloaded.  Each statement becomes a Doc whose first token is the
    target id (``TARGET_new_treaty``), then the statement's tokens.  Training
    runs ``epochs`` shuffled passes of minibatches, seeded with
    ``spacy.util.fix_random_seed(seed)``.  A language without training rows
    gets the majority stance of the training fold.
    """

    def __init__(self, epochs: int = 15, batch_size: int = 8, dropout: float = 0.2, seed: int = 0) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.dropout = dropout
        self.seed = seed

    def fit(self, X: pd.DataFrame, y) -> Self:
        y = np.asarray(y, dtype=object)
        langs = _langs(X)
        self.majority_ = Counter(y).most_common(1)[0][0]
        self.classes_ = np.array(STANCES, dtype=object)
        self.pipelines_ = {lang: self._trained(lang, X[langs == lang], y[langs == lang])
                           for lang in ("zh", "en") if (langs == lang).any()}
        return self

    def _trained(self, lang: str, X: pd.DataFrame, y: np.ndarray):
        import spacy
        from spacy.training import Example

        spacy.util.fix_random_seed(self.seed)
        nlp = spacy.blank(lang)
        textcat = nlp.add_pipe("textcat")
        for stance in STANCES:
            textcat.add_label(stance)
        examples = [Example.from_dict(doc, {"cats": {s: float(s == label) for s in STANCES}})
                    for doc, label in zip(_docs(nlp, X), y)]
        optimizer = nlp.initialize(lambda: examples)
        shuffle = random.Random(self.seed)
        for _ in range(self.epochs):
            shuffle.shuffle(examples)
            for batch in spacy.util.minibatch(examples, size=self.batch_size):
                nlp.update(batch, sgd=optimizer, drop=self.dropout)
        return nlp

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        langs = _langs(X)
        predicted = np.full(len(X), self.majority_, dtype=object)
        for lang, nlp in self.pipelines_.items():
            rows = np.flatnonzero(langs == lang)
            if len(rows):
                docs = nlp.pipe(_docs(nlp, X.iloc[rows]))
                predicted[rows] = [max(doc.cats, key=doc.cats.get) for doc in docs]
        return predicted


def _langs(X: pd.DataFrame) -> np.ndarray:
    """``zh`` or ``en`` for each row (any language but Chinese is read as English)."""
    return np.where(X["lang"].astype(str).to_numpy() == "zh", "zh", "en")


def _docs(nlp, X: pd.DataFrame) -> list:
    """Docs of the statements, each headed by a token naming its target."""
    from spacy.tokens import Doc

    return [Doc(nlp.vocab, words=[f"TARGET_{target}", *(t.text for t in nlp.make_doc(text) if not t.is_space)])
            for text, target in zip(X["text"].astype(str), X["target"].astype(str))]


def models(epochs: int) -> dict:
    """The four models compared, unfitted."""
    from positions.stance.learner import StanceClassifier

    return {"StanceClassifier": StanceClassifier(), "majority": MajorityBaseline(),
            "keyword": KeywordBaseline(), "spacy_textcat": SpacyTextcat(epochs=epochs)}


# --------------------------------------------------------------------------
# Time in this process


class Clock:
    """Wall and CPU time of a block in this process, without waiting for quiet."""

    def __enter__(self) -> Self:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall_s = time.perf_counter() - self._wall
        self.cpu_s = time.process_time() - self._cpu


def forget_features() -> None:
    """Empty the stance model's feature cache, so every fit and prediction pays for its features.

    ``positions.stance.features.row_texts`` caches the words of each
    (statement, target) and ``positions.stance.rules.cached_cues`` its rule
    cues; within one process later folds would find every statement already
    done by the first fold.
    """
    from positions.stance import features
    from positions.stance.rules import cached_cues

    features.row_cache_clear()
    cached_cues.cache_clear()


# --------------------------------------------------------------------------
# 1. Models side by side on the same grouped folds


def labelled_statements(corpus: Path) -> pd.DataFrame:
    """Annotated statements that address a target (``none`` rows dropped); documents in ``corpus`` and the demo."""
    from positions.stance.training import training_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the corpus's Speakers_by_session.xlsx
        data = training_data(ANNOTATIONS, [corpus, DEMO])
    return data[data["target"] != "none"].reset_index(drop=True)


def grouped_folds(data: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) row indices: GroupKFold by ``doc_id``, as ``positions.stance.training.cross_validate`` splits."""
    return list(GroupKFold(n_splits=FOLDS).split(data, groups=data["doc_id"].astype(str).to_numpy()))


def cross_validated(estimator, data: pd.DataFrame, folds: list) -> tuple[pd.DataFrame, float, float, float]:
    """Out-of-fold predictions of one model, its fit time and predict time (wall, summed over folds)."""
    frames, fit_s, fit_cpu_s, predict_s = [], 0.0, 0.0, 0.0
    for fold, (train_index, test_index) in enumerate(folds):
        train, test = data.iloc[train_index], data.iloc[test_index]
        fresh = clone(estimator)
        forget_features()
        with Clock() as fitting:
            fresh.fit(train[FEATURES], train["stance"].astype(str).to_numpy())
        forget_features()
        with Clock() as predicting:
            predicted = fresh.predict(test[FEATURES])
        fit_s, fit_cpu_s, predict_s = fit_s + fitting.wall_s, fit_cpu_s + fitting.cpu_s, predict_s + predicting.wall_s
        frames.append(test[["doc_id", "para", "sent", "target", "lang", "stance"]].assign(fold=fold, predicted=predicted))
    return pd.concat(frames, ignore_index=True), fit_s, fit_cpu_s, predict_s


def quality(predictions: pd.DataFrame) -> dict:
    """F_avg overall and of the reported targets by language, macro-F1 and accuracy overall."""
    from positions.stance.evaluation import stance_metrics

    table = stance_metrics(predictions)["summary"].set_index(["target", "lang"])

    def row(target: str, lang: str) -> dict:
        found = table.loc[(target, lang)] if (target, lang) in table.index else None
        return {"n": 0 if found is None else int(found["n"]),
                "f_avg": None if found is None or np.isnan(found["f_avg"]) else round(float(found["f_avg"]), 4)}

    result = {"all": {**row("all", "all"), "macro_f1": round(float(table.loc[("all", "all"), "macro_f1"]), 4),
                      "accuracy": round(float(table.loc[("all", "all"), "accuracy"]), 4)}}
    for target in REPORTED_TARGETS:
        for lang in ("en", "zh"):
            result[f"{target} {lang}"] = row(target, lang)
    return result


def bench_compare(corpus: Path, runs: int, epochs: int) -> dict:
    """Quality, training time and prediction throughput of the four models on the same folds."""
    data = labelled_statements(corpus)
    folds = grouped_folds(data)
    estimators = models(epochs)
    log(f"  {len(data)} labelled statements, {data['doc_id'].nunique()} documents, folds of "
        f"{[len(test) for _, test in folds]} test statements")
    first_train = data.iloc[folds[0][0]]
    for estimator in estimators.values():  # first-use costs (imports, jieba, regexes) out of the runs
        clone(estimator).fit(first_train[FEATURES], first_train["stance"].astype(str).to_numpy()).predict(
            first_train[FEATURES].head(20))
    times: dict[str, dict[str, list[float]]] = {name: {"fit_s": [], "fit_cpu_s": [], "predict_per_s": []}
                                                for name in estimators}
    predictions: dict[str, pd.DataFrame] = {}
    timings = []
    for i in range(runs):
        with Meter("self") as meter:
            for name, estimator in estimators.items():
                folded, fit_s, fit_cpu_s, predict_s = cross_validated(estimator, data, folds)
                if name in predictions and not predictions[name]["predicted"].equals(folded["predicted"]):
                    raise AssertionError(f"{name}: predictions differ between runs")
                predictions[name] = folded
                times[name]["fit_s"].append(fit_s)
                times[name]["fit_cpu_s"].append(fit_cpu_s)
                times[name]["predict_per_s"].append(len(folded) / predict_s)
                log(f"  run {i + 1}/{runs} {name}: fit {fit_s:.2f} s over {len(folds)} folds, "
                    f"predict {len(folded) / predict_s:,.0f} statements/s")
        timings.append(meter.timing)
        log(f"  run {i + 1}/{runs}: {describe(meter.timing)}")
    return {
        "data": {"statements": len(data), "documents": int(data["doc_id"].nunique()),
                 "by_lang": {str(k): int(v) for k, v in data["lang"].value_counts().sort_index().items()},
                 "by_stance": {str(k): int(v) for k, v in data["stance"].value_counts().sort_index().items()},
                 "test_statements_per_fold": [len(test) for _, test in folds]},
        "folds": f"GroupKFold({FOLDS}) by doc_id over annotated statements with target != 'none'",
        "method": "each fold: clone, fit on the training rows, predict the test rows; the stance model's feature "
                  "cache is emptied before every fit and predict; training time = wall time summed over the folds; "
                  "throughput = test statements / predict wall time summed over the folds",
        "spacy_epochs": epochs,
        "runs": timing_summary(timings),
        "models": {name: {"quality": quality(predictions[name]),
                          "train_s": summary(times[name]["fit_s"]),
                          "train_cpu_s": summary(times[name]["fit_cpu_s"]),
                          "predict_statements_per_s": summary(times[name]["predict_per_s"], 0)}
                   for name in estimators},
    }


# --------------------------------------------------------------------------
# 2. Training on 10,000 statements


def synthetic_rows(corpus: Path, n: int = SYNTHETIC_ROWS) -> pd.DataFrame:
    """``n`` (text, target, lang, stance) rows from UN General Debate sentences.

    The distinct sentences of sessions :data:`SYNTHETIC_SESSIONS`, ``n`` drawn
    at random (seed 0), targets given round-robin in codebook order, stances
    by the rules (:func:`positions.stance.rules.rule_stance`): labels that follow
    the text, though nobody annotated them.
    """
    import positions
    from positions.stance.codebook import load_codebook
    from positions.stance.rules import rule_stance

    folders = [p for p in sorted((corpus / "ungdc").glob("Session * - *"))
               if int(p.name.split()[1]) in SYNTHETIC_SESSIONS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the corpus's Speakers_by_session.xlsx
        table = positions.statements([str(p) for p in folders])
    sentences = table.drop_duplicates("text")
    if len(sentences) < n:
        raise ValueError(f"sessions {SYNTHETIC_SESSIONS} hold {len(sentences)} distinct sentences, fewer than {n}")
    sample = sentences.sample(n=n, random_state=0)
    book = load_codebook()
    rows = pd.DataFrame({"text": sample["text"].astype(str).to_numpy(),
                         "target": [t for t, _ in zip(cycle(book.target_ids), range(n))],
                         "lang": sample["lang"].astype(str).to_numpy()})
    rows["stance"] = [rule_stance(text, target, lang, book)[0]
                      for text, target, lang in zip(rows["text"], rows["target"], rows["lang"])]
    return rows


def bench_fit_10k(corpus: Path, runs: int) -> dict:
    """Median time of ``StanceClassifier().fit`` on 10,000 statements, features computed afresh each run.

    After each timed (cold) fit, two more fits find every statement's
    features in the cache, so they time the vectoriser and the logistic
    regression alone: one as it is, one with the BLAS libraries limited to
    one thread (``threadpoolctl``), to show what OpenBLAS's threads cost the
    L-BFGS solver on this machine.
    """
    from threadpoolctl import threadpool_limits

    from positions.stance.learner import StanceClassifier

    with Clock() as building:
        rows = synthetic_rows(corpus)
    log(f"  {len(rows)} rows built in {building.wall_s:.1f} s; stances {rows['stance'].value_counts().to_dict()}")
    X, y = rows[FEATURES], rows["stance"].to_numpy()
    StanceClassifier().fit(X.head(50), y[:50])  # first-use costs out of the runs
    cold, warm, warm_one_thread = [], [], []
    for i in range(runs):
        forget_features()
        with Meter("self") as meter:
            StanceClassifier().fit(X, y)
        cold.append(meter.timing)
        with Clock() as again:
            StanceClassifier().fit(X, y)
        warm.append(again.wall_s)
        with threadpool_limits(1, user_api="blas"), Clock() as one_thread:
            StanceClassifier().fit(X, y)
        warm_one_thread.append(one_thread.wall_s)
        log(f"  fit run {i + 1}/{runs}: {describe(meter.timing)}; with features cached {again.wall_s:.2f} s, "
            f"and BLAS on one thread {one_thread.wall_s:.2f} s")
    wall = statistics.median(t.wall_s for t in cold)
    return {
        "rows": len(rows),
        "source": f"distinct sentences of UNGDC sessions {list(SYNTHETIC_SESSIONS)}, {len(rows)} drawn with seed 0; "
                  "targets round-robin in codebook order; stance = rule_stance(text, target, lang)",
        "by_lang": {str(k): int(v) for k, v in rows["lang"].value_counts().sort_index().items()},
        "by_stance": {str(k): int(v) for k, v in rows["stance"].value_counts().sort_index().items()},
        "build_s": round(building.wall_s, 1),
        **timing_summary(cold),
        "wall_s_features_cached": summary(warm),
        "wall_s_features_cached_blas_1_thread": summary(warm_one_thread),
        "target": f"wall < {TARGETS['fit_10k_s']:.0f} s",
        "met": wall < TARGETS["fit_10k_s"],
    }


# --------------------------------------------------------------------------
# 3. Classifying the UN General Debate Corpus with the command line


def classified_counts(path: Path) -> tuple[int, dict, dict]:
    """Rows of a classified Parquet file, rows per target and per (target, stance)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["target", "stance"]).to_pandas()
    by_target = {str(k): int(v) for k, v in table["target"].value_counts().sort_index().items()}
    by_stance = {f"{t} {s}": int(n) for (t, s), n in table.groupby(["target", "stance"]).size().items() if n}
    return len(table), by_target, by_stance


def bench_classify(corpus: Path, runs: int, tmp: Path) -> dict:
    """Wall time and output of ``positions classify`` over the whole UNGDC."""
    out = tmp / "classified.parquet"
    command = [*positions_command(), "classify", str(corpus / "ungdc"), "--out", str(out)]
    timings, counts = [], set()
    for i in range(runs):
        out.unlink(missing_ok=True)
        timing, _ = run_timed(command)
        rows, by_target, by_stance = classified_counts(out)
        counts.add(rows)
        timings.append(timing)
        log(f"  classify run {i + 1}/{runs}: {describe(timing)}; {rows} rows")
    if len(counts) != 1:
        raise AssertionError(f"classify wrote different row counts: {counts}")
    wall = statistics.median(t.wall_s for t in timings)
    return {
        "command": "positions classify <corpus>/ungdc --out <tmp>/classified.parquet",
        "model": "the shipped model (models/stance-cybercrime.skops)",
        "rows": rows, "rows_by_target": by_target, "rows_by_target_stance": by_stance,
        **timing_summary(timings),
        "target": f"wall < {TARGETS['classify_ungdc_wall_s']:.0f} s",
        "met": wall < TARGETS["classify_ungdc_wall_s"],
    }


# --------------------------------------------------------------------------
# Command line


def code_digests() -> dict:
    """SHA-256 of the ``positions`` package's files and of the shipped model: the code measured.

    The working tree may change while the benchmark runs (the command-line
    runs of part 3 import it afresh), so :func:`main` takes these at the
    start and at the end.
    """
    import positions
    from positions.stance.model import shipped_model_path

    package = Path(positions.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    model = shipped_model_path()
    return {"package": str(package), "package_sha256": digest.hexdigest()[:16],
            "shipped_model": str(model), "shipped_model_sha256": hashlib.sha256(model.read_bytes()).hexdigest()[:16]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder holding ungdc/ and expert-group/ (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--epochs", type=int, default=15, help="spaCy textcat training epochs (default 15)")
    parser.add_argument("--skip-corpus", action="store_true", help="skip classifying the whole UNGDC (part 3)")
    parser.add_argument("--skip-compare", action="store_true", help="skip the models side by side (part 1)")
    parser.add_argument("--quiet-wait", type=float, default=60.0, metavar="SECONDS",
                        help="before each run, wait up to SECONDS for the machine to be idle (default 60)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_stance.json",
                        metavar="FILE", help="write the results to FILE (default: %(default)s)")
    return parser.parse_args(argv)


def report_lines(results: dict) -> Iterator[str]:
    """A human-readable summary of the results."""
    def flag(met: bool) -> str:
        return "met" if met else "MISSED"

    if "compare" in results:
        yield from _compare_lines(results["compare"])
    if "fit_10k" in results:
        r = results["fit_10k"]
        yield (f"2. StanceClassifier fit on {r['rows']} UNGDC rows: {r['wall_s']['median']} s median wall "
               f"(runs {r['wall_s']['runs']}; CPU {r['cpu_s']['median']} s; features cached "
               f"{r['wall_s_features_cached']['median']} s, and BLAS on one thread "
               f"{r['wall_s_features_cached_blas_1_thread']['median']} s) [{r['target']}: {flag(r['met'])}]")
    if "classify" in results:
        r = results["classify"]
        yield (f"3. positions classify ungdc: {r['wall_s']['median']} s median wall (runs {r['wall_s']['runs']}; "
               f"CPU {r['cpu_s']['median']} s; others {r['others_cpus']['runs']} CPUs), {r['rows']} rows "
               f"{r['rows_by_target']} [{r['target']}: {flag(r['met'])}]")


def _compare_lines(compare: dict) -> Iterator[str]:
    def cell(value) -> str:
        return "-" if value is None else f"{value:.3f}"

    columns = ["all", *(f"{t} {lang}" for t in REPORTED_TARGETS for lang in ("en", "zh"))]
    yield (f"1. {compare['data']['statements']} labelled statements, {compare['folds']}; "
           f"spaCy {compare['spacy_epochs']} epochs; medians of {len(compare['runs']['wall_s']['runs'])} runs")
    yield f"{'model':<17} " + " ".join(f"{c:>22}" for c in ["F_avg " + c for c in columns]) + \
          f" {'train s':>8} {'predict/s':>10}"
    yield f"{'(n)':<17} " + " ".join(f"{compare['models']['majority']['quality'][c]['n']:>22}" for c in columns)
    for name, model in compare["models"].items():
        yield (f"{name:<17} " + " ".join(f"{cell(model['quality'][c]['f_avg']):>22}" for c in columns)
               + f" {model['train_s']['median']:>8.2f} {model['predict_statements_per_s']['median']:>10,.0f}")


def main(argv: list[str] | None = None) -> int:
    import positions

    args = parse_args(argv)
    corpus = args.corpus.resolve()
    Meter.quiet_wait = args.quiet_wait
    code = code_digests()
    results: dict = {"machine": machine(), "code": {"version": positions.__version__, **code},
                     "corpus": str(args.corpus)}
    if not args.skip_compare:
        log("1. models side by side on the same folds")
        results["compare"] = bench_compare(corpus, args.runs, args.epochs)
    log("2. StanceClassifier fit on 10,000 statements")
    results["fit_10k"] = bench_fit_10k(corpus, args.runs)
    if not args.skip_corpus:
        log("3. positions classify on the whole UNGDC")
        with tempfile.TemporaryDirectory(prefix="bench-stance-") as tmp:
            results["classify"] = bench_classify(corpus, args.runs, Path(tmp))
    results["code"]["changed_during_run"] = code_digests() != code
    if results["code"]["changed_during_run"]:
        log("warning: the positions package or the shipped model changed during the run")
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    for line in report_lines(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

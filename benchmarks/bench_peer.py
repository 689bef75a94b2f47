"""The stance learner on public stance benchmarks: SemEval-2016 Task 6A and NLPCC-2016 Task 4A.

Both are scored with their official metric, F_avg = (F1 favor + F1 against) / 2
pooled over the whole test set.  Two models train on the training split only
and are scored once on the test split:

learner
    :class:`positions.stance.learner.StanceClassifier` with its defaults and no
    codebook (the benchmark's targets are not the library's): ``C`` is chosen
    by its own cross-validation inside the training split.
baseline
    The plain baseline of issue 16: TF-IDF word 1-3 grams and character 2-5
    grams (Chinese: characters 1-4 and jieba words), one LinearSVC per
    target, no tuning.

The data is not in the repository (its licences ask not to redistribute it);
``benchmarks/README.md`` says where public copies are.  The folder holds:

- ``semeval2016-task6-trainingdata.txt`` (2,814 tweets), ``trialdata-all-annotations.txt``
  (100 trial tweets; train = both, 2,914 rows) and
  ``SemEval2016-Task6-subtaskA-testdata-gold.txt`` (1,249);
- ``evasampledata4-TaskAA.txt`` (3,000 Weibo posts, 14 without a label, dropped) and
  ``NLPCC_2016_Stance_Detection_Task_A_gold.txt`` (1,000, GBK; two targets spelt differently).

    python benchmarks/bench_peer.py /path/to/peer-data --runs 3 --out benchmarks/results_peer.json
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.svm import LinearSVC

from positions.stance.learner import StanceClassifier
from positions.stance.tokenize import tokenize

SEMEVAL = {"train": ["semeval2016-task6-trainingdata.txt", "trialdata-all-annotations.txt"],
           "test": ["SemEval2016-Task6-subtaskA-testdata-gold.txt"]}
NLPCC = {"train": ["evasampledata4-TaskAA.txt"], "test": ["NLPCC_2016_Stance_Detection_Task_A_gold.txt"]}
NLPCC_TARGETS = {"iPhone SE": "IphoneSE", "俄罗斯叙利亚反恐行动": "俄罗斯在叙利亚的反恐行动"}  # test spelling -> train


def decoded(raw: bytes, lang: str) -> str:
    """Chinese files: UTF-8 (with or without BOM), else GBK.  English: UTF-8 line by line, a line that is not
    (Windows-1252 bytes) read as Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if lang == "zh":
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("gbk")
    lines = []
    for line in raw.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
    return "\n".join(lines)


def read_split(folder: Path, names: list[str], lang: str) -> pd.DataFrame:
    """The records of the files as ``text``, ``target``, ``stance``, ``lang`` (quote-aware TSV; unlabelled dropped)."""
    frames = []
    for name in names:
        text = decoded((folder / name).read_bytes(), lang)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
        head = [h.strip().lower() for h in rows[0]]
        table = pd.DataFrame([r[:len(head)] for r in rows[1:] if len(r) >= 4], columns=head)
        text_column = "tweet" if "tweet" in head else "text"
        frames.append(pd.DataFrame({"text": table[text_column], "target": table["target"].str.strip(),
                                    "stance": table["stance"].str.strip().str.lower(), "lang": lang}))
    data = pd.concat(frames, ignore_index=True)
    data["target"] = data["target"].replace(NLPCC_TARGETS)
    return data[data["stance"].isin(["favor", "against", "none"])].reset_index(drop=True)


def f_avg(gold, predicted) -> float:
    """SemEval-2016's F_avg: mean of the F1 of favor and against, pooled over every target."""
    gold = np.where(np.asarray(gold) == "none", "neutral", np.asarray(gold))
    predicted = np.where(np.asarray(predicted) == "none", "neutral", np.asarray(predicted))
    return float(f1_score(gold, predicted, labels=["favor", "against"], average="macro", zero_division=0))


class Baseline:
    """TF-IDF word 1-3 + char 2-5 grams (Chinese: char 1-4 + jieba words), one LinearSVC per target."""

    def fit(self, data: pd.DataFrame) -> Baseline:
        self.models = {}
        for target, part in data.groupby("target"):
            vectorizers = self._vectorizers(part["lang"].iloc[0])
            matrix = sparse.hstack([v.fit_transform(self._texts(part, kind)) for kind, v in vectorizers], format="csr")
            self.models[target] = (vectorizers, LinearSVC(random_state=0).fit(matrix, part["stance"]))
        return self

    def predict(self, data: pd.DataFrame) -> np.ndarray:
        out = np.empty(len(data), dtype=object)
        for target, part in data.groupby("target"):
            vectorizers, svm = self.models[target]
            matrix = sparse.hstack([v.transform(self._texts(part, kind)) for kind, v in vectorizers], format="csr")
            out[data.index.get_indexer(part.index)] = svm.predict(matrix)
        return out

    @staticmethod
    def _vectorizers(lang: str) -> list:
        if lang == "zh":
            return [("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True)),
                    ("words", TfidfVectorizer(analyzer="word", token_pattern=r"\S+", sublinear_tf=True))]
        return [("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 3), sublinear_tf=True)),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True))]

    @staticmethod
    def _texts(part: pd.DataFrame, kind: str) -> list[str]:
        if kind == "words" and part["lang"].iloc[0] == "zh":
            return [" ".join(tokenize(t, "zh")) for t in part["text"]]
        return part["text"].tolist()


def run(train: pd.DataFrame, test: pd.DataFrame) -> dict:
    """Both models trained once on ``train`` and scored once on ``test``; times of the learner's fit."""
    start = time.perf_counter()
    learner = StanceClassifier().fit(train[["text", "target", "lang"]], train["stance"])
    fit_s = time.perf_counter() - start
    predicted = learner.predict(test[["text", "target", "lang"]])
    baseline = Baseline().fit(train).predict(test)
    return {"learner": round(100 * f_avg(test["stance"], predicted), 2),
            "baseline": round(100 * f_avg(test["stance"], baseline), 2),
            "learner_fit_s": round(fit_s, 2), "learner_C": learner.C_}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder holding the five benchmark files")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--record", action="store_true",
                        help="add the medians to models/peer-benchmarks.json under the learner's settings digest "
                             "(the model card shows them)")
    args = parser.parse_args(argv)
    results = {"machine": {"nproc": len(__import__("os").sched_getaffinity(0)), "load": __import__("os").getloadavg(),
                           "python": platform.python_version(), "platform": platform.platform()},
               "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                        cwd=Path(__file__).parent).stdout.strip()}
    for name, files, lang in (("semeval2016_6a", SEMEVAL, "en"), ("nlpcc2016_4a", NLPCC, "zh")):
        train, test = read_split(args.data, files["train"], lang), read_split(args.data, files["test"], lang)
        runs = []
        for i in range(args.runs):
            runs.append(run(train, test))
            print(f"{name} run {i + 1}: {runs[-1]}", file=sys.stderr)
        results[name] = {"train_rows": len(train), "test_rows": len(test), "runs": runs,
                         **{f"{k}_median": statistics.median(r[k] for r in runs)
                            for k in ("learner", "baseline", "learner_fit_s")}}
    print(json.dumps(results, indent=1, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.record:
        record(results)


def record(results: dict) -> None:
    """The medians under the default learner's settings digest in models/peer-benchmarks.json."""
    from positions.stance.card import PEER_BENCHMARKS, learner_digest

    path = Path(__file__).resolve().parents[1] / "models" / PEER_BENCHMARKS
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    machine = results["machine"]
    known[learner_digest(StanceClassifier())] = {
        "commit": results["commit"], "machine": f"{machine['nproc']} CPUs, {machine['platform']}",
        **{name: {k: results[name][k] for k in ("train_rows", "test_rows", "runs", "learner_median",
                                                "baseline_median")}
           for name in ("semeval2016_6a", "nlpcc2016_4a")}}
    path.write_text(json.dumps(known, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

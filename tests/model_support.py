"""Helpers for the model-file tests: a small stance model that trains in a blink.

Run as a script (``python model_support.py OUT``) it trains that model in a fresh
process, saves it to OUT and prints the SHA-256 ``save_model`` returned, so a test
can compare what two separate processes write.
"""

from __future__ import annotations

import sys

import pandas as pd

# (doc_id, session, text, target, stance): English only, so no Chinese segmenter is loaded
_ROWS = [
    ("small-s1.en", 1, "Many speakers supported the elaboration of a new treaty on cybercrime.", "new_treaty", "favor"),
    ("small-s1.en", 1, "Some speakers saw no need for a new treaty on cybercrime.", "new_treaty", "against"),
    ("small-s1.en", 1, "The Budapest Convention was described as an effective instrument.", "budapest_convention",
     "favor"),
    ("small-s1.en", 1, "Capacity-building and technical assistance were welcomed by many.", "capacity_building",
     "favor"),
    ("small-s2.en", 2, "Several delegations supported a new convention on cybercrime.", "new_treaty", "favor"),
    ("small-s2.en", 2, "One speaker opposed a new treaty on cybercrime.", "new_treaty", "against"),
    ("small-s2.en", 2, "The Budapest Convention was said to be outdated.", "budapest_convention", "against"),
    ("small-s2.en", 2, "A speaker mentioned the new treaty on cybercrime.", "new_treaty", "neutral"),
    ("small-s3.en", 3, "Many speakers welcomed a new treaty on cybercrime.", "new_treaty", "favor"),
    ("small-s3.en", 3, "Others objected to the idea that a new treaty on cybercrime was needed.", "new_treaty",
     "against"),
    ("small-s3.en", 3, "The Budapest Convention was considered a useful model.", "budapest_convention", "favor"),
    ("small-s3.en", 3, "The Committee discussed a new treaty on cybercrime.", "new_treaty", "neutral"),
    ("small-s3.en", 3, "The meeting was adjourned.", "none", None),
]


def small_training_data() -> pd.DataFrame:
    """A table of the form :func:`positions.training_data` returns, for 13 English statements."""
    from positions.base.schema import statement_hash

    rows = []
    for i, (doc_id, session, text, target, stance) in enumerate(_ROWS):
        rows.append({"doc_id": doc_id, "para": i + 1, "sent": 1, "hash": statement_hash(text), "target": target,
                     "stance": stance, "annotator": "test", "file": "small.csv", "lang": "en",
                     "body": "Ad Hoc Committee on Cybercrime", "session": session, "session_date": None,
                     "text": text})
    return pd.DataFrame(rows)


def small_model(codebook=None):
    """The small model, trained with :func:`positions.train` (so it carries a full model card)."""
    import positions

    return positions.train(small_training_data(), codebook=codebook, n_splits=3)


if __name__ == "__main__":
    from positions.stance.model import save_model

    print(save_model(small_model(), sys.argv[1]))


def schema_differences(path_a, path_b) -> list[str]:
    """Where the ``schema.json`` of two skops files differ: JSON paths of unequal leaves."""
    import json
    import zipfile

    def schema(path):
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read("schema.json"))

    found: list[str] = []

    def walk(a, b, where: str) -> None:
        if type(a) is not type(b):
            found.append(where)
        elif isinstance(a, dict):
            if list(a) != list(b):
                found.append(where)
            for key in a:
                if key in b:
                    walk(a[key], b[key], f"{where}/{key}")
        elif isinstance(a, list):
            if len(a) != len(b):
                found.append(where)
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{where}[{i}]")
        elif a != b:
            found.append(where)

    walk(schema(path_a), schema(path_b), "")
    return found


def only_stop_words_id_differs(path_a, path_b) -> bool:
    """True when two model files differ only in sklearn's ``_stop_words_id`` (a memory address).

    ``TfidfVectorizer.fit`` stores ``id(self.stop_words)`` in ``_stop_words_id``;
    ``save_model`` writes it as is, so two processes write different bytes.
    """
    differences = schema_differences(path_a, path_b)
    return bool(differences) and all("/_stop_words_id" in d for d in differences)

"""HanLP, honestly optional: a model from a local directory or a one-line error that says how to get one offline."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pandas as pd
import pytest

import positions as pos
from positions.stance import tokenize as tok

HANLP_DIR = os.environ.get("POSITIONS_HANLP_MODEL")


@pytest.fixture(autouse=True)
def default_segmenter():
    yield
    tok.set_backend("default")


def test_without_a_model_directory_the_error_is_one_line_saying_how_to_get_one(monkeypatch):
    monkeypatch.delenv("POSITIONS_HANLP_MODEL", raising=False)
    with pytest.raises(ValueError) as caught:
        tok.set_backend("hanlp")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("the hanlp word segmenter needs a model directory")
    assert "POSITIONS_HANLP_MODEL" in message and "~/.hanlp/tok/" in message and "positions[hanlp]" in message
    assert tok.default_backend() == "default"


def test_a_directory_that_is_not_there_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("POSITIONS_HANLP_MODEL", str(tmp_path / "absent"))
    with pytest.raises(ValueError, match=rf"HanLP model directory {tmp_path / 'absent'} does not exist; on a"):
        tok.set_backend("hanlp")
    with pytest.raises(ValueError, match="does not exist"):
        tok.set_backend("hanlp", config=pos.Config(hanlp_model=str(tmp_path / "absent")))


def test_a_model_trained_with_hanlp_fails_in_one_line_where_there_is_no_model(monkeypatch):
    monkeypatch.delenv("POSITIONS_HANLP_MODEL", raising=False)
    X = pd.DataFrame({"text": ["许多发言者认为不需要制定新的网络犯罪问题全球法律文书。"], "target": ["new_treaty"], "lang": ["zh"]})
    with pytest.raises(ValueError, match="needs a model directory, and none is configured"):
        pos.StanceClassifier(tokenizer="hanlp").fit(pd.concat([X, X]), ["against", "favor"])


@pytest.mark.skipif(importlib.util.find_spec("hanlp") is not None, reason="HanLP is installed here")
def test_without_hanlp_installed_the_error_says_which_extra(tmp_path):
    script = f"from positions.stance.tokenize import set_backend; set_backend('hanlp', {str(tmp_path)!r})"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ImportError: the 'hanlp' back end is optional and not installed; pip install \"positions[hanlp]\"")


@pytest.mark.skipif(not HANLP_DIR, reason="no HanLP model directory configured (set POSITIONS_HANLP_MODEL)")
def test_hanlp_segments_chinese_and_a_model_card_records_it():
    tok.set_backend("hanlp")
    words = tok.tokenize("许多发言者认为不需要新的法律文书", "zh")
    assert "".join(words) == "许多发言者认为不需要新的法律文书" and len(words) >= 5
    data = pos.training_data(pos.demo_annotations(), pos.demo_dir())
    model = pos.train(data[data.lang == "zh"], n_splits=2)
    assert model.tokenizer_ == "hanlp" and model.card_["tokenizer"] == "hanlp"

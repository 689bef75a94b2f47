"""Word segmentation: jieba by default for Chinese, optional back ends behind one interface."""

import pytest

from positions.base.errors import optional_import
from positions.stance.tokenize import BACKENDS, default_backend, set_backend, tokenize


@pytest.fixture(autouse=True)
def restore_default_backend():
    yield
    set_backend("default")


def test_the_sessions_segmenter_is_the_default_one_unless_set():
    assert BACKENDS[0] == "default" and default_backend() == "default"


def test_chinese_words_come_from_jiebas_bundled_dictionary():
    words = tokenize("许多发言者认为不需要制定新的法律文书", "zh")
    assert "发言者" in words and "制定" in words and "".join(words) == "许多发言者认为不需要制定新的法律文书"


def test_english_words_keep_apostrophes_and_hyphens_and_are_lower_cased():
    assert tokenize("The Committee's cross-border work", "en") == ["the", "committee's", "cross-border", "work"]


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend must be one of"):
        set_backend("stanza")
    assert default_backend() == "default"  # the session's segmenter is left as it was


def test_a_missing_optional_package_says_how_to_install_it():
    with pytest.raises(ImportError, match="pip install no-such-package"):
        optional_import("no_such_package_for_positions", "no-such-package")


def test_a_blank_spacy_pipeline_segments_through_the_same_interface():
    pytest.importorskip("spacy")
    set_backend("spacy")
    assert default_backend() == "spacy"
    assert tokenize("We do not support it.", "en") == ["we", "do", "not", "support", "it", "."]
    assert "".join(tokenize("新的法律文书", "zh")) == "新的法律文书"

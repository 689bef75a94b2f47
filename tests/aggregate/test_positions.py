"""Positions by session: weights, shares, the net position and its interval, on tables written here."""

import numpy as np
import pandas as pd
import pytest

import positions as pos
from positions.aggregate.positions import position_table
from positions.aggregate.sessions import sessions


def _row(doc, session, para, sent, stance, weight, kind="quantified", speaker=None, target="new_treaty",
         body="Ad Hoc Committee on Cybercrime", date="2022-03-07", lang="en"):
    return {c: None for c in pos.CLASSIFIED_COLUMNS} | {
        "doc_id": doc, "body": body, "session": session, "session_date": date, "lang": lang, "para": para,
        "sent": sent, "text": f"statement {para}.{sent}", "speaker_kind": kind, "speaker": speaker,
        "weight": weight, "target": target, "stance": stance, "confidence": 0.9}


@pytest.fixture
def table():
    rows = [
        _row("s1.en", 1, 5, 1, "against", 10.0),                       # many speakers
        _row("s1.en", 1, 6, 1, "favor", 5.0),                          # some speakers
        _row("s1.en", 1, 6, 2, "neutral", 1.0, "delegation", "JAM"),
        _row("s1.zh", 1, 5, 1, "against", 10.0, lang="zh"),            # the same session's Chinese report
        _row("eg3", 3, 41, 1, "against", 10.0, body="Expert Group on Cybercrime", date="2017-04-10"),
        _row("ahc3", 3, 5, 1, "favor", 1.0, "delegation", "RUS", date="2023-01-09"),
        _row("ahc3", 3, 5, 1, "favor", 1.0, "delegation", "CHN", date="2023-01-09"),
    ]
    return pd.DataFrame(rows)


def test_sessions_are_a_bodys_sessions_in_date_order(table):
    order = sessions(table)
    assert order.session_label.tolist() == ["Expert Group on Cybercrime 3", "Ad Hoc Committee on Cybercrime 1",
                                            "Ad Hoc Committee on Cybercrime 3"]
    assert order.session.tolist() == [3, 1, 3]  # the session number
    assert order.documents.tolist() == [1, 2, 1]


def test_weighted_shares_and_net_position(table):
    result = position_table(table).set_index(["session_label", "target"])
    assert not result.index.duplicated().any()  # one row per session and target
    first = result.loc[("Ad Hoc Committee on Cybercrime 1", "new_treaty")]
    assert first.weight == 16.0  # the against paragraph counts once, though both language versions have it
    assert first.against_share * first.weight == pytest.approx(10.0)
    assert first.favor_share * first.weight == pytest.approx(5.0)
    assert first.neutral_share * first.weight == pytest.approx(1.0)
    assert first.statements == 3 and first.units == 2  # 5.1 (once), 6.1 and 6.2; paragraphs 5 and 6
    assert first.favor_share + first.against_share + first.neutral_share == pytest.approx(1.0)
    assert first.net == pytest.approx((5 - 10) / 16)
    assert first.delegations == 1
    assert first.session == 1 and first.body == "Ad Hoc Committee on Cybercrime"
    third = result.loc[("Ad Hoc Committee on Cybercrime 3", "new_treaty")]
    assert third.net == 1.0 and third.delegations == 2 and third.favor_share == 1.0


def test_unweighted_counts_every_row_once(table):
    result = position_table(table, weighted=False).set_index(["session_label", "target"])
    first = result.loc[("Ad Hoc Committee on Cybercrime 1", "new_treaty")]
    assert first.weight == 3.0 and first.against_share * first.weight == pytest.approx(1.0)
    assert first.net == pytest.approx((1 - 1) / 3)


def test_the_interval_is_reproducible_and_holds_the_estimate(table):
    one, two = position_table(table, seed=3), position_table(table, seed=3)
    pd.testing.assert_frame_equal(one, two)
    spread = one.dropna(subset=["net_low"])
    assert (spread.net_low <= spread.net + 1e-12).all() and (spread.net <= spread.net_high + 1e-12).all()
    single = one[one.session_label == "Expert Group on Cybercrime 3"]
    assert single.net.iloc[0] == -1.0 and np.isnan(single.net_low.iloc[0])  # one row: no interval


def test_by_document(table):
    by_document = position_table(table, by="doc_id")
    assert by_document.columns[0] == "doc_id" and "session_label" not in by_document.columns
    assert set(by_document.doc_id) == {"s1.en", "s1.zh", "eg3", "ahc3"}


def test_a_table_that_is_not_classified_is_refused(table):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['stance'\]"):
        position_table(table.drop(columns="stance"))
    with pytest.raises(ValueError, match="by must be"):
        position_table(table, by="speaker")


def test_shifts_between_consecutive_sessions_of_a_target(table):
    shifts = pos.shift_table(table, seed=1)
    new = shifts[shifts.target == "new_treaty"]
    assert new[["from_session_label", "to_session_label"]].values.tolist() == [
        ["Expert Group on Cybercrime 3", "Ad Hoc Committee on Cybercrime 1"],
        ["Ad Hoc Committee on Cybercrime 1", "Ad Hoc Committee on Cybercrime 3"]]
    first, last = new.iloc[0], new.iloc[1]
    assert last.change == pytest.approx(1.0 - (5 - 10) / 16)
    # session 3 has one paragraph (two delegations in it): no interval, and too few units to call the shift
    assert (last.units_from, last.units_to) == (2, 1)
    assert np.isnan(last.change_low) and not last.beyond_noise
    # the Expert Group session has one statement: a change from it has no interval and is not called beyond noise
    assert first.change == pytest.approx((5 - 10) / 16 + 1.0)
    assert np.isnan(first.change_low) and not first.beyond_noise


@pytest.mark.parametrize("paragraphs, called", [(4, False), (5, True)])
def test_a_shift_is_beyond_the_noise_only_from_enough_paragraphs(paragraphs, called):
    rows = [_row("s1.en", 1, p, 1, "against", 1.0) for p in range(1, paragraphs + 1)]
    rows += [_row("s2.en", 2, p, 1, "favor", 1.0, date="2022-06-01") for p in range(1, paragraphs + 1)]
    rows += [_row("s2.en", 2, 1, 2, "favor", 1.0, date="2022-06-01")]  # a second statement in a paragraph: one unit
    (shift,) = pos.shift_table(pd.DataFrame(rows)).itertuples()
    assert (shift.units_from, shift.units_to) == (paragraphs, paragraphs)
    assert shift.change == 2.0 and shift.change_low == 2.0  # the interval leaves out 0 either way
    assert shift.beyond_noise is called


def test_delegations_whose_stance_changed_are_cited(table):
    moved = table.assign(speaker_kind="delegation", speaker="JAM")
    moved = moved[moved.doc_id.isin(["s1.en", "ahc3"])].drop_duplicates(["doc_id", "para", "sent"])
    moved = moved[moved.stance != "favor"].pipe(lambda t: pd.concat([t, moved[moved.doc_id == "ahc3"]]))
    # in session 1 JAM was against (5.1) and neutral (6.2): against on balance; in session 3, favor
    shifts = pos.delegation_shifts(moved)
    assert shifts[["delegation", "from_stance", "to_stance"]].values.tolist() == [["JAM", "against", "favor"]]
    assert shifts.to_statements.iloc[0] == "ahc3 ¶5.1"
    assert "s1.en ¶5.1" in shifts.from_statements.iloc[0]


def test_delegation_matrix_leaves_silence_empty(table):
    matrix = pos.delegation_matrix(table)
    assert matrix.loc[("new_treaty", "JAM"), "Ad Hoc Committee on Cybercrime 1"] == 0.0
    assert np.isnan(matrix.loc[("new_treaty", "JAM"), "Ad Hoc Committee on Cybercrime 3"])
    assert matrix.loc[("new_treaty", "RUS"), "Ad Hoc Committee on Cybercrime 3"] == 1.0


def _sessions_file(tmp_path, text, name="sessions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sessions_file_puts_two_bodies_on_one_time_axis(table, tmp_path):
    path = _sessions_file(tmp_path, "body,session,label,date\n"
                                    "Expert Group on Cybercrime,3,Round 1,2022-01-01\n"
                                    "Ad Hoc Committee on Cybercrime,1,Round 1,\n"
                                    "Ad Hoc Committee on Cybercrime,3,Round 2,\n")
    relabelled = pos.relabel_sessions(table, path)
    order = sessions(relabelled)
    assert order.session_label.tolist() == ["Round 1", "Round 2"]
    first = order.iloc[0]
    assert first.documents == 3 and first.session_date == "2022-01-01"
    assert first.body == "Ad Hoc Committee on Cybercrime; Expert Group on Cybercrime"
    assert pd.isna(first.session)  # two bodies' sessions merged: no one session number
    merged = position_table(relabelled).set_index(["session_label", "target"]).loc[("Round 1", "new_treaty")]
    assert merged.weight == 26.0  # the Chinese version of s1 ¶5 counts once, with its English version
    assert merged.against_share * merged.weight == pytest.approx(20.0)
    assert merged.favor_share * merged.weight == pytest.approx(5.0)
    assert table["session_date"].tolist() != relabelled["session_date"].tolist()  # the input is not changed
    assert "session_label" not in table.columns


def test_doc_id_rows_win_over_session_rows_and_whole_bodies(table):
    spec = pd.DataFrame({"body": ["Ad Hoc Committee on Cybercrime", "Ad Hoc Committee on Cybercrime", None],
                         "session": [None, 1, None], "doc_id": [None, None, "s1.zh"],
                         "label": ["AHC", "AHC first", "Chinese report"], "date": [None, None, None]})
    labels = pos.relabel_sessions(table, spec).groupby("doc_id")["session_label"].agg(lambda v: sorted(set(v.fillna("-"))))
    assert labels.to_dict() == {"s1.en": ["AHC first"], "s1.zh": ["Chinese report"], "ahc3": ["AHC"], "eg3": ["-"]}
    assert sessions(pos.relabel_sessions(table, spec)).session_label.tolist()[0] == "Expert Group on Cybercrime 3"


def test_a_row_that_matches_nothing_is_a_warning(table, tmp_path):
    path = _sessions_file(tmp_path, "body,session,label\nGeneral Assembly,72,2017\n")
    with pytest.warns(UserWarning, match=r"sessions.csv: 'General Assembly 72' matches no statement"):
        relabelled = pos.relabel_sessions(table, path)
    assert relabelled["session_label"].isna().all()


@pytest.mark.parametrize("text, name, problem", [
    ("body,session,date\nGeneral Assembly,72,2017-09-19\n", "s.csv", "needs a 'label' column"),
    ("body,session,label,date\nGeneral Assembly,72,2017,19.09.2017\n", "s.csv", "row 2: date '19.09.2017' is not YYYY-MM-DD"),
    ("body,session,label\nGeneral Assembly,seventy-two,2017\n", "s.csv", "session 'seventy-two' is not a session number"),
    ("body,session,label\nGeneral Assembly,72,2017\nGeneral Assembly,72,2018\n", "s.csv", "is given two different labels"),
    ("body,session,label\n,,2017\n", "s.csv", "row 2 names neither a doc_id nor a body"),
    ("body,session,label\nGeneral Assembly,72,\n", "s.csv", "row 2 has no label"),
    ("label: x\n", "s.yaml", "a sessions file is .csv or .xlsx"),
    ("PK\x03\x04 not a workbook", "s.xlsx", "cannot read the sessions file"),
])
def test_a_bad_sessions_file_is_one_line_naming_it(tmp_path, text, name, problem):
    path = _sessions_file(tmp_path, text, name)
    with pytest.raises(pos.InputError, match=problem) as caught:
        pos.read_sessions_file(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_a_missing_sessions_file_is_named(tmp_path):
    with pytest.raises(pos.InputError, match="no such sessions file"):
        pos.read_sessions_file(tmp_path / "nowhere.csv")

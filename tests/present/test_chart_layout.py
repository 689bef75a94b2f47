"""Every chart of the demo and 2017 reports, in both languages: no text cut off or on another; intervals drawn."""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import positions as pos  # noqa: E402
from positions.present.charts import plot_net_position, report_charts  # noqa: E402


def _drawn_texts(figure):
    """(what, Text) of every text the figure draws: titles, axis labels, tick labels in view, legends, notes."""
    texts = [("suptitle", t) for t in figure.texts]
    for i, ax in enumerate(figure.axes):
        texts += [(f"axes {i} title", ax.title), (f"axes {i} xlabel", ax.xaxis.label),
                  (f"axes {i} ylabel", ax.yaxis.label)]
        low, high = sorted(ax.get_xlim())
        texts += [(f"axes {i} xtick", t) for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
        low, high = sorted(ax.get_ylim())
        texts += [(f"axes {i} ytick", t) for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
        texts += [(f"axes {i} note", t) for t in ax.texts]
        if ax.get_legend() is not None:
            texts += [(f"axes {i} legend", t) for t in ax.get_legend().get_texts()]
    for legend in figure.legends:
        texts += [("figure legend", t) for t in legend.get_texts()]
    return [(what, t) for what, t in texts if t.get_visible() and t.get_text().strip()]


def _layout_problems(figure) -> list[str]:
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    frame = figure.bbox
    boxes = [(what, t.get_text(), t.get_window_extent(renderer)) for what, t in _drawn_texts(figure)]
    problems = [f"{what} {text!r} is cut off ({box.x0:.0f}..{box.x1:.0f} x {box.y0:.0f}..{box.y1:.0f} in "
                f"{frame.width:.0f} x {frame.height:.0f})" for what, text, box in boxes
                if box.x0 < frame.x0 - 1 or box.x1 > frame.x1 + 1 or box.y0 < frame.y0 - 1 or box.y1 > frame.y1 + 1]
    for (w1, t1, b1), (w2, t2, b2) in itertools.combinations(boxes, 2):
        overlap_x = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        overlap_y = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if overlap_x > 0.5 and overlap_y > 0.5:
            problems.append(f"{w1} {t1!r} overlaps {w2} {t2!r}")
    return problems


@pytest.fixture(scope="module")
def reports(demo_classified, classified_2017):
    return {"demo": demo_classified, "2017": classified_2017}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("report", ["demo", "2017"])
def test_no_chart_text_is_cut_off_or_on_another(reports, report, lang):
    classified = reports[report]
    problems, names = [], []
    for name, figure in report_charts(classified, pos.position_table(classified), lang=lang):
        names.append(name)
        problems += [f"{name}: {p}" for p in _layout_problems(figure)]
        plt.close(figure)
    assert len(names) >= 11  # small multiples, and shares and net position of each of five (2017) or four targets
    assert problems == []


def test_the_layout_check_sees_a_cut_title_and_a_label_on_another(demo_positions):
    ax = plot_net_position(demo_positions, "new_treaty")
    ax.set_title("x" * 400)  # set after the chart was fitted: wider than the figure
    ax.set_xlabel(ax.get_xticklabels()[0].get_text())
    ax.xaxis.labelpad = -14  # the axis label drawn on the tick labels
    problems = _layout_problems(ax.figure)
    assert any("title" in p and "cut off" in p for p in problems)
    assert any("xlabel" in p and "overlaps" in p and "xtick" in p for p in problems)
    plt.close(ax.figure)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_demo_delegation_heatmap_title_is_whole(demo_classified, lang):
    charts = dict(report_charts(demo_classified, pos.position_table(demo_classified), lang=lang))
    figure = charts["new_treaty-delegations"]
    title = figure.axes[0].title
    assert title.get_text().replace("\n", " ").replace("  ", " ").startswith(
        "Delegations on" if lang == "en" else "各代表团对")
    assert not [p for p in _layout_problems(figure) if "title" in p]
    plt.close("all")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chinese_session_tick_and_the_axis_label_are_apart(classified_2017, lang):
    figure = dict(report_charts(classified_2017, pos.position_table(classified_2017), lang=lang))["new_treaty-net"]
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    (tick,) = [t for t in ax.get_xticklabels() if t.get_text()]
    assert tick.get_text() == ("专家组第3次" if lang == "zh" else "EG 3")
    gap = tick.get_window_extent(renderer).y0 - ax.xaxis.label.get_window_extent(renderer).y1
    assert gap >= 4  # pixels at 100 dpi: a visible gap, and the label says what it is
    assert ax.xaxis.label.get_text() == ("会议（专家组：网络犯罪问题专家组）" if lang == "zh"
                                         else "session (EG: Expert Group on Cybercrime)")
    plt.close("all")


def test_a_single_session_chart_draws_its_interval(classified_2017):
    positions = pos.position_table(classified_2017)
    for target, row in positions.set_index("target").iterrows():
        ax = plot_net_position(positions, target)
        segments = [s for c in ax.collections for s in getattr(c, "get_segments", lambda: [])()]
        if np.isnan(row.net_low):
            assert segments == [], target
        else:  # one vertical bar from the low to the high end of the interval, at the session's place
            (bar,) = segments
            assert bar[:, 0].tolist() == [0.0, 0.0]
            assert sorted(bar[:, 1].tolist()) == pytest.approx([row.net_low, row.net_high]), target
        plt.close(ax.figure)
    assert positions["net_low"].notna().sum() >= 4  # the 2017 report has intervals to draw


def test_every_session_with_an_interval_has_its_bar(demo_positions):
    part = demo_positions[demo_positions.target == "human_rights"].sort_values("session_date")
    ax = plot_net_position(demo_positions, "human_rights")
    segments = [s for c in ax.collections for s in getattr(c, "get_segments", lambda: [])()]
    with_interval = np.flatnonzero(part["net_low"].notna().to_numpy())
    assert sorted(s[0, 0] for s in segments) == with_interval.tolist()
    plt.close(ax.figure)

"""Charts: tidy table in, Axes out; fixed stance colours; Chinese with real glyphs from the project's own font."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import positions as pos  # noqa: E402
from positions.present.charts import (  # noqa: E402
    plot_net_position,
    plot_stance_shares,
    use_cjk_font,
)
from positions.present.words import STANCE_COLORS  # noqa: E402


@pytest.fixture(scope="module")
def table(demo_positions):
    return demo_positions


@pytest.mark.parametrize("plot", [plot_stance_shares, plot_net_position])
def test_chinese_labels_render_with_no_missing_glyph(table, plot, tmp_path):
    figure, ax = plt.subplots()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        plot(table, "budapest_convention", ax=ax, lang="zh")
        figure.savefig(tmp_path / "chart.png", dpi=300)
    assert "布达佩斯公约" in ax.get_title()
    plt.close(figure)


@pytest.mark.parametrize("plot", [plot_stance_shares, plot_net_position])
def test_an_axes_made_before_the_cjk_font_was_set_gets_it(table, plot, tmp_path):
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):  # as in a notebook that drew something first
        figure, ax = plt.subplots()
    assert "Noto Sans CJK SC" not in ax.title.get_fontfamily()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        plot(table, "budapest_convention", ax=ax, lang="zh")
        figure.savefig(tmp_path / "chart.png", dpi=300)
    assert "Noto Sans CJK SC" in ax.title.get_fontfamily()
    assert "Noto Sans CJK SC" in ax.xaxis.label.get_fontfamily()
    plt.close(figure)


def test_the_cjk_font_comes_from_the_installed_dependency():
    from matplotlib import font_manager

    name = use_cjk_font()
    found = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert "mplfonts" in found and found.endswith(".otf")


def test_stacked_shares_use_the_fixed_colours_and_sum_to_one(table):
    ax = plot_stance_shares(table, "new_treaty")
    sessions = len(ax.get_xticks())
    bars = ax.patches
    assert len(bars) == 3 * sessions
    colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars[::sessions]]
    assert colours == [STANCE_COLORS["favor"].lower(), STANCE_COLORS["against"].lower(),
                       STANCE_COLORS["neutral"].lower()]
    for i in range(sessions):
        assert sum(bar.get_height() for bar in bars[i::sessions]) == pytest.approx(1.0)
    plt.close(ax.figure)


def test_the_net_line_reads_back_the_table(table):
    ax = plot_net_position(table, "new_treaty", lang="en")
    rows = table[table.target == "new_treaty"]
    assert not rows.session_label.duplicated().any()  # one row per session
    expected = rows.net.tolist()
    assert list(ax.lines[1].get_ydata()) == pytest.approx(expected)
    plt.close(ax.figure)


def test_an_unknown_language_or_target_is_refused(table):
    with pytest.raises(ValueError, match="lang must be"):
        plot_net_position(table, "new_treaty", lang="fr")
    with pytest.raises(ValueError, match=r"no rows for target 'global_ban' in the positions table; it has "
                                         r"'new_treaty', "):
        plot_stance_shares(table, "global_ban")
    with pytest.raises(ValueError, match=r"no rows for target 'global_ban' in the positions table; it has "):
        plot_net_position(table, "global_ban")


@pytest.fixture(scope="module")
def matrix(demo_classified):
    return pos.delegation_matrix(demo_classified, target="new_treaty")


def test_heatmap_shows_each_net_position_and_leaves_silence_masked(matrix, tmp_path):
    figure, ax = plt.subplots()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        pos.plot_delegation_heatmap(matrix, ax=ax, lang="zh")
        figure.savefig(tmp_path / "heatmap.svg")
    shown = ax.images[0].get_array()
    assert shown.shape == matrix.shape
    assert (shown.mask == matrix.isna().to_numpy()).all()
    assert shown.filled(9).tolist() == matrix.fillna(9).to_numpy().tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(matrix.index.get_level_values("delegation"))
    plt.close(figure)


def test_heatmap_takes_a_matrix_of_one_target_with_or_without_the_target_level(matrix):
    assert matrix.index.name == "delegation" and matrix.attrs["target"] == "new_treaty"
    levelled = pd.concat({"new_treaty": matrix}, names=["target"])
    plain, with_level = pos.plot_delegation_heatmap(matrix), pos.plot_delegation_heatmap(levelled)
    assert with_level.images[0].get_array().filled(9).tolist() == plain.images[0].get_array().filled(9).tolist()
    assert with_level.get_title() == plain.get_title() and "New UN cybercrime treaty" in plain.get_title()
    plt.close("all")


def test_heatmap_wants_one_target(matrix):
    both = pd.concat({"new_treaty": matrix, "budapest_convention": matrix}, names=["target"])
    with pytest.raises(ValueError, match="one target"):
        pos.plot_delegation_heatmap(both)


def test_small_multiples_draw_one_chart_per_target(table, tmp_path):
    figure = pos.plot_small_multiples(table, ["new_treaty", "budapest_convention"], kind="shares", lang="zh")
    assert len(figure.axes) == 2 and figure.axes[1].get_legend() is None
    figure.savefig(tmp_path / "multiples.pdf")
    plt.close(figure)
    with pytest.raises(ValueError, match="kind must be"):
        pos.plot_small_multiples(table, kind="pie")


def test_a_chart_is_saved_for_a_brief_as_png_at_300_dpi_svg_and_pdf(table, tmp_path):
    ax = plot_net_position(table, "new_treaty", lang="zh")
    engine = ax.figure.get_layout_engine()
    paths = pos.save_chart(ax, tmp_path / "net")
    assert [p.name for p in paths] == ["net.png", "net.svg", "net.pdf"]
    assert ax.figure.get_layout_engine() is engine  # laid out once for the three, then given back to the figure
    width, height = ax.figure.get_size_inches()
    assert plt.imread(paths[0]).shape[:2] == (round(height * 300), round(width * 300))
    assert paths[1].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert paths[2].read_bytes().startswith(b"%PDF")
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "特委会第1届"  # short on the axis
    redrawn = plot_net_position(table, "new_treaty", lang="zh")
    again = pos.save_chart(redrawn, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]  # no dates, fixed ids
    assert [p.name for p in pos.save_chart(redrawn, tmp_path / "one.svg")] == ["one.svg"]
    plt.close("all")


def test_a_failed_save_leaves_the_earlier_chart_and_no_partial_file(table, tmp_path, monkeypatch):
    ax = plot_net_position(table, "new_treaty")
    [earlier] = pos.save_chart(ax, tmp_path / "net.png")
    before = earlier.read_bytes()

    def broken(path, **kwargs):
        open(path, "wb").write(b"half a PNG")
        raise KeyboardInterrupt

    monkeypatch.setattr(ax.figure, "savefig", broken)
    with pytest.raises(KeyboardInterrupt):
        pos.save_chart(ax, tmp_path / "net.png")
    assert earlier.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["net.png"]
    with pytest.raises(ValueError, match="formats must be among"):
        pos.save_chart(ax, tmp_path / "net", formats=("png", "jpg"))
    plt.close(ax.figure)


def test_two_shares_of_the_report_charts_split_them_whole_and_evenly(demo_classified, table):
    from positions.present.charts import report_charts

    def names(share):
        drawn = []
        for name, figure in report_charts(demo_classified, table, share=share):
            drawn.append(name)
            plt.close(figure)
        return drawn

    every = names((0, 1))
    first, second = names((0, 2)), names((1, 2))
    assert sorted(first + second) == sorted(every) and not set(first) & set(second)
    assert first == [n for n in every if n in first] and second == [n for n in every if n in second]  # report order
    targets = table["target"].nunique()  # the small multiples weigh one chart per target
    weight = {n: targets if n == "all-targets-net" else 1 for n in every}
    assert "all-targets-net" in first and abs(sum(map(weight.get, first)) - sum(map(weight.get, second))) <= 1

"""Notebook 06's charts: drawn for both scenarios, labelled from the data, and saying "no overlap" plainly."""
import io

import pytest
from PIL import Image

from natocourse.charts.negotiation import matrix_chart, zone_chart
from natocourse.charts.style import figure_png
from natocourse.models.negotiation import Proposal, SCENARIOS, apply_rounds, load_scenario


def texts(fig):
    return [t.get_text() for t in [*(t for ax in fig.axes for t in ax.texts), *fig.texts] if t.get_visible()]


@pytest.mark.parametrize("key", list(SCENARIOS))
def test_both_charts_render_for_each_scenario_with_its_title(key):
    scenario = load_scenario(key)
    for draw in (matrix_chart, zone_chart):
        fig = draw(scenario)
        assert scenario.title in fig._suptitle.get_text()
        image = Image.open(io.BytesIO(figure_png(fig)))
        assert image.width >= 1100 and image.height >= 600  # projector-sized


def test_the_zone_chart_says_overlap_and_no_overlap_in_words():
    labels = texts(zone_chart(load_scenario("jan2022")))
    assert labels.count("Overlap: 2") == 2  # missiles and exercises
    assert labels.count("No overlap") == 4
    assert "Russia's range starts at 3; Poland and the Baltic states' ends at 0" in [t.replace("\n", " ") for t in labels]


def test_the_matrix_marks_a_moved_position_with_where_it_was():
    scenario = load_scenario("jan2022")
    proposal = Proposal.new("jan2022", 1, "russia", "enlargement", 2, "a moratorium")
    fig = matrix_chart(scenario, apply_rounds(scenario, [proposal]))
    labels = texts(fig)
    assert "was 4" in labels and "1 moved" in fig._suptitle.get_text()
    assert labels.count("none\nstated") == 16  # the blanks stay blanks


def test_a_recorded_round_changes_the_overlap_chart():
    scenario = load_scenario("jan2022")
    before = figure_png(zone_chart(scenario))
    proposal = Proposal.new("jan2022", 1, "united_states", "arms_control", 3, "a framework").answered("nato", "accept")
    after_fig = zone_chart(scenario, apply_rounds(scenario, [proposal]))
    assert "Overlap: 3" in texts(after_fig)
    assert figure_png(after_fig) != before

"""Notebook 06's charts (HTML): drawn for both scenarios, labelled from the data, saying "no overlap" plainly."""
import re

import pytest

from natocourse.charts.negotiation import matrix_html, zone_html
from natocourse.models.negotiation import Proposal, SCENARIOS, apply_rounds, load_scenario


def cells(table: str) -> list[list[str]]:
    """The words of each body cell of the matrix, tags removed, row by row."""
    body = table.split("<tbody>")[1]
    return [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", body)]


def verdicts(chart: str) -> list[str]:
    """The bold verdict of each issue row of the overlap chart."""
    return re.findall(r"<b style='color:[^']*;font-size:1.15em'>([^<]*)</b>", chart)


@pytest.mark.parametrize("key", list(SCENARIOS))
def test_both_charts_render_for_each_scenario_with_its_title(key):
    scenario = load_scenario(key)
    issues, delegations = len(scenario.issue_labels()), len(scenario.short_names())
    table = matrix_html(scenario)
    assert f"{scenario.title}: positions on each issue (0-4), at the start" in table
    assert len(cells(table)) == issues * delegations
    assert table.count("<th scope='row'") == issues
    chart = zone_html(scenario)
    assert f"{scenario.title}: where the acceptable ranges overlap" in chart
    assert len(verdicts(chart)) == issues
    assert all(name in chart for name in scenario.short_names().values())  # the legend


def test_the_zone_chart_says_overlap_and_no_overlap_in_words():
    chart = zone_html(load_scenario("jan2022"))
    assert verdicts(chart).count("Overlap: 2-3") == 2  # missiles and exercises
    assert verdicts(chart).count("No overlap") == 4
    assert "Russia&#x27;s range starts at 3; Poland and the Baltic states&#x27; ends at 0" in chart


def test_each_bar_names_its_delegation_range_and_position():
    chart = zone_html(load_scenario("jan2022"))
    enlargement = chart.split("<tr")[2]  # the first issue's row, after the header row
    assert "title='Russia: range 3-4, position 4'" in enlargement
    assert enlargement.count("title=") == 7  # all seven delegations stated a range on enlargement


def test_the_matrix_marks_a_moved_position_with_where_it_was():
    scenario = load_scenario("jan2022")
    proposal = Proposal.new("jan2022", 1, "russia", "enlargement", 2, "a moratorium")
    table = matrix_html(scenario, apply_rounds(scenario, [proposal]))
    assert cells(table)[0] == ["2", "range", "2-4", "was", "4"]  # Russia on enlargement: moved from 4 to 2
    assert "positions on each issue (0-4), 1 moved" in table and table.count("outline:4px") == 1
    assert [" ".join(c) for c in cells(table)].count("none stated") == 16  # the blanks stay blanks


def test_each_matrix_cell_is_coloured_by_its_value_with_readable_ink():
    table = matrix_html(load_scenario("jan2022"))
    zero, four = "background:#0072b2;color:white", "background:#e69f00;color:black"
    assert zero in table and four in table  # blue at 0 with white ink, orange at 4 with black ink


def test_a_recorded_round_changes_the_overlap_chart():
    scenario = load_scenario("jan2022")
    before = zone_html(scenario)
    proposal = Proposal.new("jan2022", 1, "united_states", "arms_control", 3, "a framework").answered("nato", "accept")
    after = zone_html(scenario, apply_rounds(scenario, [proposal]))
    assert "Overlap: 3" in verdicts(after) and "Overlap: 3" not in verdicts(before)

"""The enlargement map: who is coloured as a member in which year, and what the picture shows.

Colours are checked twice: on the collection (``EnlargementMap.colour``) and in the PNG a
student sees, where the pasted pictures of labels and borders must not cover or flip the map.
Redraw speed is measured by a benchmark, not here.
"""
import io
import re

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread
from matplotlib.text import Text

from natocourse.charts.style import FIGSIZE, DPI, PALETTE, figure_png
from natocourse.data import load_table
from natocourse.models.geo import MOSCOW, load_outlines, project
from natocourse.charts.map import (ANNEXED_COLOUR, NOT_MEMBER, OFF_MAP, RUSSIA_AND_BELARUS, SEA, WAVE_GROUPS, EnlargementMap, _wrapped, border_lines)

COLD_WAR, ENLARGEMENT_1999 = WAVE_GROUPS[0][1].lower(), WAVE_GROUPS[1][1].lower()
NORWAY, POLAND, UKRAINE = (9.5, 61.5), (18.5, 52.5), (25.5, 49.5)  # (lon, lat) inland, away from labels and dots
CRIMEA = (34.2, 45.2)  # inland, between Simferopol and Dzhankoi


@pytest.fixture(scope="module")
def europe():
    return EnlargementMap(load_table("members"), load_outlines())


FILLS = [group[1] for group in WAVE_GROUPS] + [NOT_MEMBER, RUSSIA_AND_BELARUS, SEA, "#000000", "#ffffff"]


def seen_colour(fig, png: bytes, lon: float, lat: float, scale: float = 1) -> str:
    """Which of the map's colours the PNG shows around a place (the median of a small square, so
    thin white hatching does not count)."""
    x, y = fig.axes[0].transData.transform([float(v) for v in project(lon, lat)]) * scale
    image = imread(io.BytesIO(png))[..., :3]
    row, column = int(round(image.shape[0] - y)), int(round(x))
    seen = np.median(image[row - 3:row + 4, column - 3:column + 4].reshape(-1, 3), axis=0)
    return min(FILLS, key=lambda fill: np.abs(np.array(to_rgb(fill)) - seen).sum()).lower()


def shown_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


# ---------------------------------------------------------------- who is a member when

def test_1949_shows_norway_as_a_member_and_poland_not(europe):
    europe.draw(1949)
    assert europe.colour("NOR") == COLD_WAR
    assert europe.colour("POL") == NOT_MEMBER.lower()


def test_1999_shows_poland_in_the_colour_of_its_wave(europe):
    europe.draw(1999)
    assert europe.colour("POL") == ENLARGEMENT_1999
    assert europe.colour("EST") == NOT_MEMBER.lower()


def test_membership_counts_on_31_december(europe):
    europe.draw(1998)
    assert europe.colour("POL") == NOT_MEMBER.lower()  # joined 12 March 1999


def test_soviet_republics_are_dark_until_1990_and_russia_always(europe):
    europe.draw(1990)
    assert europe.colour("UKR") == europe.colour("EST") == RUSSIA_AND_BELARUS.lower()
    europe.draw(1991)
    assert europe.colour("UKR") == NOT_MEMBER.lower()
    assert europe.colour("RUS") == europe.colour("BLR") == RUSSIA_AND_BELARUS.lower()


def test_the_png_shows_the_members_where_they_are(europe):
    fig = europe.draw(1949)
    png = figure_png(fig)
    assert seen_colour(fig, png, *NORWAY) == COLD_WAR
    assert seen_colour(fig, png, *POLAND) == NOT_MEMBER.lower()
    assert seen_colour(fig, png, *UKRAINE) == RUSSIA_AND_BELARUS.lower()
    png = figure_png(europe.draw(1999))
    assert seen_colour(fig, png, *POLAND) == ENLARGEMENT_1999
    assert seen_colour(fig, png, *UKRAINE) == NOT_MEMBER.lower()


def test_moscow_star_is_where_moscow_is(europe):
    """The labels are pasted as one picture: it must land right way up, on the right spot."""
    fig = europe.draw(2024)
    assert seen_colour(fig, figure_png(fig), MOSCOW["lon"], MOSCOW["lat"]) == "#000000"


def test_the_map_is_redrawn_at_another_resolution(europe):
    fig = europe.draw(1999)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=2 * DPI)
    png = buffer.getvalue()
    assert imread(io.BytesIO(png)).shape[:2] == (FIGSIZE[1] * DPI * 2, FIGSIZE[0] * DPI * 2)
    assert seen_colour(fig, png, *POLAND, scale=2) == ENLARGEMENT_1999
    assert seen_colour(fig, png, MOSCOW["lon"], MOSCOW["lat"], scale=2) == "#000000"


# ---------------------------------------------------------------- what it says

def test_each_group_of_waves_has_its_own_colour_and_hatching():
    colours = [group[1] for group in WAVE_GROUPS]
    hatches = [group[2] for group in WAVE_GROUPS]
    assert len(set(colours)) == len(colours) and set(colours) <= set(PALETTE.values())
    assert len(set(hatches)) == len(hatches)


def test_every_wave_falls_in_a_group_the_legend_names(europe):
    spans = [[int(year) for year in re.findall(r"\d{4}", text)] for text in shown_texts(europe.draw(2024))
             if text.startswith("joined ")]
    assert len(spans) == len(WAVE_GROUPS)
    for wave in load_table("members")["wave"].unique():
        assert any(span[0] <= int(wave) <= span[-1] for span in spans), f"no legend entry covers the {wave} wave"


def test_title_facts_and_off_map_note_are_shown(europe):
    texts = shown_texts(europe.draw(2004, facts=["Members: 26", "Land border with Russia: 1,318 km"]))
    assert "2004" in texts and "NATO in Europe at the end of" in texts
    assert any("Members: 26" in t for t in texts)
    assert any(t.startswith(OFF_MAP) for t in texts)


def test_small_members_are_named_on_the_map(europe):
    texts = shown_texts(europe.draw(2024))
    for name in ["Luxembourg", "Montenegro", "North Macedonia", "Albania", "Slovenia", "Estonia", "Latvia",
                 "Lithuania"]:
        assert name in texts


def test_russia_is_named_and_the_soviet_union_before_1991(europe):
    assert "Soviet Union" in shown_texts(europe.draw(1990))
    assert "Russia" in shown_texts(europe.draw(1991))


def test_a_fact_keeps_its_number_and_unit_together():
    lines = _wrapped("Nearest member capital to Moscow: Copenhagen, 1,561 km").split("\n")
    assert lines[-1].endswith("1,561\u00a0km")


def test_draw_updates_and_returns_the_same_figure(europe):
    assert europe.draw(1949) is europe.draw(2024)
    assert figure_png(europe.draw(2024)).startswith(b"\x89PNG")


# ---------------------------------------------------------------- Crimea and the recognised borders

def pixels_near(fig, png: bytes, lon: float, lat: float, half: int = 6) -> np.ndarray:
    x, y = fig.axes[0].transData.transform([float(v) for v in project(lon, lat)])
    image = imread(io.BytesIO(png))[..., :3]
    row, column = int(round(image.shape[0] - y)), int(round(x))
    return image[row - half:row + half + 1, column - half:column + half + 1].reshape(-1, 3)


def share_of(pixels: np.ndarray, colour: str) -> float:
    return float(np.mean(np.abs(pixels - np.array(to_rgb(colour))).sum(axis=1) < 0.08))


def share_of_stripes(pixels: np.ndarray) -> float:
    """Pixels darker than any fill near Crimea but the stripes (anti-aliased, so not exactly their colour)."""
    return float(np.mean(pixels.mean(axis=1) < (np.mean(to_rgb(ANNEXED_COLOUR)) + np.mean(to_rgb(NOT_MEMBER))) / 2))


def test_crimea_is_ukraines_before_2014_and_hatched_as_annexed_after(europe):
    """Read off the PNG: Crimea in Ukraine's colour, never Russia's; stripes only from 2014."""
    fig = europe.draw(1985)
    png = figure_png(fig)
    assert seen_colour(fig, png, *CRIMEA) == seen_colour(fig, png, *UKRAINE) == RUSSIA_AND_BELARUS.lower()  # Soviet
    for year, hatched in ((2004, False), (2013, False), (2014, True), (2016, True), (2026, True)):
        fig = europe.draw(year)
        png = figure_png(fig)
        pixels = pixels_near(fig, png, *CRIMEA, half=4)
        assert seen_colour(fig, png, *CRIMEA) == seen_colour(fig, png, *UKRAINE) == NOT_MEMBER.lower(), year
        assert share_of(pixels, RUSSIA_AND_BELARUS) == 0, year
        assert (share_of_stripes(pixels) > 0.1) is hatched, (year, share_of_stripes(pixels))


def test_the_summary_and_the_map_say_what_crimea_is(europe):
    assert europe.borders_note(2013) == ""
    assert europe.borders_note(2006) == ""
    note = europe.borders_note(2016)
    assert "Crimea" in note and "68/262" in note and "annexed" in note
    assert "ES-11/4" in europe.borders_note(2022) and "front line" in europe.borders_note(2022)
    fig = europe.draw(2016)
    figure_png(fig)
    assert any("68/262" in text for text in shown_texts(fig))


def test_the_summary_says_what_todays_names_were_before_those_states_existed(europe):
    cold_war = europe.borders_note(1982)
    assert "Soviet Union" in cold_war and "Baltic" in cold_war and "Yugoslavia" in cold_war
    assert "Montenegro" in europe.borders_note(1995) and "Soviet" not in europe.borders_note(1995)


def test_no_border_is_drawn_inside_ukraine_between_crimea_and_the_mainland():
    outlines = load_outlines()
    lines, inner = border_lines(outlines)
    assert inner["UKR"], "Crimea and mainland Ukraine share their boundary on the isthmus"
    drawn = {frozenset(map(tuple, pair)) for line in lines for pair in zip(line[:-1], line[1:])}
    assert not any(frozenset(map(tuple, edge)) in drawn for edge in inner["UKR"])
    assert not inner["RUS"] and "CYN" not in outlines.countries  # Crimea is no longer Russia's; Cyprus is one

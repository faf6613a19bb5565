"""The views of lessons 00 and 01: NATO's members year by year, the map, the waves and the distances."""
from __future__ import annotations

from ..charts.enlargement import MembershipChart, closeness_chart, enlargement_timeline
from ..charts.map import EnlargementMap
from ..charts.style import show_figure, show_png
from ..models.enlargement import (closeness_summary, enlargement_per_year, enlargement_summary, membership_summary,
                                  timeline_summary, year_facts)
from ..models.geo import load_outlines
from .base import Interactive, built_once, year_slider


def show_membership(per_year, year: int, chart: MembershipChart | None = None) -> None:
    """The members-by-year chart for one year, with its summary underneath (``chart``: one to redraw)."""
    summary = membership_summary(per_year, year)  # first: it names a year outside the series plainly
    show_png((chart or MembershipChart(per_year)).png(year), summary)


def membership_slider(per_year, year: int) -> Interactive:
    """The members-by-year chart with a year slider."""
    first, last = int(per_year["year"].min()), int(per_year["year"].max())
    chart = MembershipChart(per_year)  # built once: each year moves only the marker
    return year_slider(lambda year: show_membership(per_year, year, chart), first, last, year)


def show_timeline(per_year, turning_points) -> None:
    """The waves-and-turning-points chart, with its summary underneath."""
    show_figure(enlargement_timeline(per_year, turning_points), timeline_summary(per_year, turning_points))


def show_closeness(per_year) -> None:
    """Border length and distance from Moscow by year, with their summary underneath."""
    show_figure(closeness_chart(per_year), closeness_summary(per_year))


def show_enlargement_map(members, year: int) -> None:
    """The map of NATO in Europe at the end of one year, its facts beside it and its summary underneath."""
    _draw_map(built_once(europe_map, members), built_once(enlargement_per_year, members), year)


def enlargement_map_slider(members, year: int) -> Interactive:
    """The enlargement map with a year slider."""
    europe, per_year = built_once(europe_map, members), built_once(enlargement_per_year, members)
    europe.warm_up()
    first, last = int(per_year["year"].min()), int(per_year["year"].max())
    return year_slider(lambda year: _draw_map(europe, per_year, year), first, last, year)


def europe_map(members) -> EnlargementMap:
    """The map, built once per members table so that each year redraws quickly (see ``charts.map``)."""
    return EnlargementMap(members, load_outlines())


def _draw_map(europe: EnlargementMap, per_year, year: int) -> None:
    summary = " ".join(filter(None, [enlargement_summary(per_year, year), europe.borders_note(year)]))
    show_figure(europe.draw(year, facts=year_facts(per_year, year)), summary)

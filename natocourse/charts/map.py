"""The enlargement map: NATO's members in Europe at the end of a chosen year.

Everything that does not change with the year is built once, and drawn once
into a picture that each redraw pastes (see ``Snapshot``); ``draw`` only
recolours the countries and swaps a few texts, so a slider can redraw the map
many times a second.

>>> from natocourse import load_table
>>> from natocourse.models.geo import load_outlines
>>> europe = EnlargementMap(load_table("members"), load_outlines())
>>> fig = europe.draw(1999, facts=["Members: 19"])
>>> europe.colour("POL") == europe.colour("HUN") != europe.colour("UKR")   # Poland and Hungary joined in 1999
True
"""
from __future__ import annotations

import re
import textwrap
from collections import Counter

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text
from matplotlib.transforms import offset_copy

from .redraw import Snapshot
from .style import DPI, FIGSIZE, PALETTE, PROJECTOR_STYLE, figure_png
from ..models.geo import MOSCOW, project

# Waves grouped for the colours (eight Okabe-Ito colours, eleven waves): a member belongs to the last
# group starting on or before the year it joined. Each group also has its own hatching, so colour is
# not the only cue.
WAVE_GROUPS = [  # (first year, colour, hatch, a name shown after the years)
    (1949, PALETTE["blue"], "", "Cold War"),
    (1999, PALETTE["orange"], "//", ""),
    (2004, PALETTE["bluish green"], "\\\\", ""),
    (2009, PALETTE["vermillion"], "..", ""),
    (2023, PALETTE["reddish purple"], "xx", ""),
]
NOT_MEMBER = "#DDDDDD"
RUSSIA_AND_BELARUS = "#8C8C8C"  # darker than other non-members: Russia and its ally (the Union State)
SEA = "#EAF2F8"
HATCH_COLOUR = (1, 1, 1, 0.6)
SOVIET_REPUBLICS = ("RUS", "BLR", "UKR", "MDA", "EST", "LVA", "LTU", "GEO", "ARM", "AZE", "KAZ", "TKM", "UZB")
SOVIET_UNTIL = 1990  # the USSR was dissolved on 26 December 1991: gone by the end of 1991
MONTENEGRO_UNTIL = 2005  # independent on 3 June 2006: part of Yugoslavia, then Serbia and Montenegro, until then
# The map names today's states in every year; before they existed, the summary says what they were.
NAMES_BEFORE_1991 = ("Names are today's states, for orientation. Until 1991 Estonia, Latvia, Lithuania, Belarus, "
                     "Ukraine and Georgia were part of the Soviet Union (the United States never recognised the "
                     "Soviet annexation of the three Baltic states in 1940), and Slovenia, Montenegro and North "
                     "Macedonia were republics of Yugoslavia.")
NAMES_BEFORE_2006 = ("Montenegro, named for orientation, was part of Yugoslavia (from 2003 Serbia and Montenegro) "
                     "until June 2006.")
WEST_GERMANY_ONLY = (1955, 1989)  # reunified Germany is a member from 3 October 1990, Berlin its capital

# The map's window in the projection's kilometres: Lisbon to the Volga, Crete to the North Cape.
VIEW_KM = {"x": (-2580, 2250), "y": (-1950, 2230)}
MAP_BOX = (0.005, 0.075, 0.85)  # left, bottom, height as fractions of the figure; the width follows the view

# Small members get their name beside them, with a leader line from the capital: where the text
# goes, in map kilometres (about 9 km to a pixel), and on which side of that point it lies.
SMALL_STATES = {
    "EST": (560, 900, "left"), "LVA": (560, 700, "left"), "LTU": (500, 360, "left"),
    "LUX": (-1250, -420, "right"), "SVN": (-560, -520, "right"), "MNE": (-300, -960, "right"),
    "ALB": (-230, -1190, "right"), "MKD": (470, -1690, "left"),
}
# Non-members the course talks about, named in place: (x, y) in map kilometres.
NAMED = {"UKR": (835, -268), "BLR": (560, 130), "GEO": (1918, -794), "TUR": (1250, -1330)}
LABEL_SIZE = 12
HALO = [patheffects.withStroke(linewidth=3, foreground="white")]  # keeps a name readable on any colour
OFF_MAP = "Canada and the United States (founding members, 1949) are off the map."
BORDERS_NOTE = "Internationally recognised borders; map data: Natural Earth."
ANNEXED_HATCH, ANNEXED_COLOUR = "////", "#555555"  # stripes over the recognised state's colour: annexed
# Each hatched territory's name on the map (x, y in map km) and its note at the foot of the map, from the
# year it is hatched.
MARKED_LABELS = {"crimea": (1120, -840, "Crimea",  # the note in a narrow block: clear of the Balkans' names
                            "Hatched: Crimea, annexed\nby Russia in 2014; the UN\nGeneral Assembly does not\n"
                            "recognise it (res. 68/262).")}

# The facts panel, right of the map: large type, one fact after another.
FACTS_SIZE, FACTS_WIDTH, FACTS_SLOTS = 18, 34, 6  # points, characters per line, facts at most
FACTS_TOP, LINE_SPACING = 0.86, 1.3  # figure fraction, matplotlib's linespacing


class EnlargementMap:
    """The map of NATO in Europe, built once; ``draw(year, facts)`` returns it for one year.

    ``members`` is the members table (``load_table("members")``), ``outlines`` the result of
    ``geo.load_outlines()``. The figure is reused: each ``draw`` updates and returns the same one.
    ``facts`` fit best as three or four short sentences.
    """

    def __init__(self, members, outlines):
        with matplotlib.rc_context(PROJECTOR_STYLE):
            self._build(members, outlines)
        self._warm = False  # the pictures a slider reuses are made by warm_up, when a slider is made

    def draw(self, year: int, facts=()) -> Figure:
        """The map at the end of ``year``, with ``facts`` (short sentences) in the panel on the right."""
        joined = self._joined_year <= year
        colours = np.where(joined[:, None], self._member_colour, self._base_colour)
        if year <= SOVIET_UNTIL:
            colours[self._soviet & ~joined] = to_rgba(RUSSIA_AND_BELARUS)
        self._fills.set_facecolor(colours)
        for wave, hatching in self._hatching.items():
            hatching.set_visible(wave <= year)
        for marked_from, mark in self._marked:
            mark.set_visible(marked_from <= year)
        self._capitals.set_offsets(self._capital_xy[self._capital_from <= year])
        self._russia.set_text("Soviet Union" if year <= SOVIET_UNTIL else "Russia")
        self._germany_note.set_visible(WEST_GERMANY_ONLY[0] <= year <= WEST_GERMANY_ONLY[1])
        self._year.set_text(str(year))
        facts = [_wrapped(fact) for fact in facts]
        if len(facts) > FACTS_SLOTS:  # the last slot takes the rest
            facts[FACTS_SLOTS - 1:] = ["\n".join(facts[FACTS_SLOTS - 1:])]
        top, lines = FACTS_TOP, 0
        for number, slot in enumerate(self._facts):
            text = facts[number] if number < len(facts) else ""
            slot.set_text(text)
            slot.set_y(top - lines * self._line_step - number * self._fact_gap)
            lines += text.count("\n") + 1
        return self.figure

    def png(self, year: int, facts=()) -> bytes:
        """``draw`` as PNG bytes."""
        return figure_png(self.draw(year, facts))

    def borders_note(self, year: int) -> str:
        """For the summary: what the map's names meant in ``year`` (they are today's states), and what it shows of
        the areas Russia annexed or occupies in Ukraine."""
        if year <= SOVIET_UNTIL:
            return NAMES_BEFORE_1991
        if year <= MONTENEGRO_UNTIL:
            return NAMES_BEFORE_2006
        if year < 2014:
            return ""
        note = ("Crimea is drawn as part of Ukraine and hatched: Russia annexed it in March 2014, and UN General "
                "Assembly resolution 68/262 does not recognise the annexation.")
        if year < 2022:
            return note + (" The areas of Donetsk and Luhansk regions held by Russian-backed forces from 2014 "
                           "are not marked.")
        return note + (" The map does not show the front line: Russia occupies parts of four more Ukrainian regions, "
                       "whose annexation it proclaimed in September 2022 and which UN General Assembly resolution "
                       "ES-11/4 calls invalid.")

    def colour(self, iso3: str) -> str:
        """A country's fill as last drawn, as "#rrggbb" (hatching aside)."""
        return to_hex(self._fills.get_facecolor()[self._first_part[iso3]])

    # ------------------------------------------------------------ built once

    def warm_up(self):
        """Make the pictures of borders, hatching, names and legend now (once), so a slider never waits for them.

        A map shown once (Run All) does not need them: only a slider calls this, when it is made.
        """
        if self._warm:
            return
        renderer = RendererAgg(*self.figure.bbox.size, self.figure.dpi)
        for year in (SOVIET_UNTIL, max(self._hatching, default=SOVIET_UNTIL)):
            self.draw(year)
            self._germany_note.set_visible(True)
            self.figure.draw(renderer)
        self._warm = True

    def _build(self, members, outlines):
        europe = members[members["iso3"].isin(outlines.countries)]
        joined = dict(zip(europe["iso3"], europe["joined"].dt.year))
        starts = [group[0] for group in WAVE_GROUPS]
        group_of = {iso3: int(np.searchsorted(starts, year, side="right")) - 1 for iso3, year in joined.items()}

        fig = self.figure = Figure(figsize=FIGSIZE, dpi=DPI)
        left, bottom, height = MAP_BOX
        width = height * FIGSIZE[1] / FIGSIZE[0] * np.ptp(VIEW_KM["x"]) / np.ptp(VIEW_KM["y"])
        ax = fig.add_axes((left, bottom, width, height))
        ax.set(xlim=VIEW_KM["x"], ylim=VIEW_KM["y"], aspect="equal", facecolor=SEA)
        ax.grid(False)
        ax.xaxis.set_visible(False)  # no ticks on a map, and an invisible axis costs nothing to redraw
        ax.yaxis.set_visible(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        panel = left + width + 0.03

        # the fills, recoloured each year: one collection, largest first so enclaves (San Marino) lie on top
        parts = sorted(((iso3, p) for iso3, c in outlines.countries.items() for p in c.polygons),
                       key=lambda part: -_area(part[1]))
        iso3s = np.array([iso3 for iso3, _ in parts])
        polygons = [p for _, p in parts]
        self._joined_year = np.array([joined.get(iso3, np.inf) for iso3 in iso3s], dtype=float)
        self._member_colour = np.array([to_rgba(WAVE_GROUPS[group_of[i]][1]) if i in joined else (0, 0, 0, 0)
                                        for i in iso3s])
        self._base_colour = np.array([to_rgba(RUSSIA_AND_BELARUS if i in ("RUS", "BLR") else NOT_MEMBER)
                                      for i in iso3s])
        self._soviet = np.isin(iso3s, SOVIET_REPUBLICS)
        self._first_part = {iso3: int(np.argmax(iso3s == iso3)) for iso3 in outlines.countries}
        self._fills = ax.add_collection(PolyCollection(polygons, edgecolors="none", zorder=1))

        # each wave's hatching, shown from the year it joined; then the borders, the same every year
        self._hatching = {}
        for wave, rows in europe.groupby(europe["joined"].dt.year):
            hatch = WAVE_GROUPS[group_of[rows["iso3"].iloc[0]]][2]
            if hatch:
                in_wave = set(rows["iso3"])  # once, not once per part (140 ms per map)
                wave_polygons = [p for iso3, p in parts if iso3 in in_wave]
                self._hatching[wave] = ax.add_artist(Snapshot([PolyCollection(
                    wave_polygons, facecolors="none", edgecolors="none", hatch=hatch, hatchcolors=HATCH_COLOUR,
                    transform=ax.transData, clip_box=ax.bbox)], zorder=1.5))
        lines, inner = border_lines(outlines)
        ax.add_artist(Snapshot([LineCollection(lines, colors="white", linewidths=0.8, transform=ax.transData,
                                               clip_box=ax.bbox)], zorder=2))
        self._marked = [(t.marked_from, ax.add_artist(mark))  # (first year shown, picture), per hatched territory
                        for t in outlines.territories if t.marked_from is not None
                        for mark in self._territory_marks(t, inner[t.shown_as], ax)]

        # a dot for each member's capital (Berlin only from reunification)
        x, y = project(europe["capital_lon"].to_numpy(), europe["capital_lat"].to_numpy())
        self._capital_xy = np.column_stack([x, y])
        self._capital_from = np.where(europe["iso3"] == "DEU", max(WEST_GERMANY_ONLY[1] + 1, joined.get("DEU", 0)),
                                      europe["joined"].dt.year)
        self._capitals = ax.scatter(x[:0], y[:0], s=14, color="black", zorder=4)

        # texts that change with the year: kept as pictures too, one per wording
        self._russia = Text(1330, 1260, "", fontsize=17, fontweight="bold", ha="center", color="white",
                            transform=ax.transData)
        ax.add_artist(Snapshot([self._russia], zorder=4.5, keep=2))
        self._germany_note = ax.add_artist(Snapshot([Text(
            0.015, 0.02, "Germany: only West Germany\n(capital Bonn) until 1990", transform=ax.transAxes,
            fontsize=12, path_effects=HALO)], zorder=4.5))
        # one picture per fact, so a wave that changes one fact redraws only that one
        self._facts = [Text(panel, FACTS_TOP, "", fontsize=FACTS_SIZE, va="top", linespacing=LINE_SPACING,
                            transform=fig.transFigure) for _ in range(FACTS_SLOTS)]
        for fact in self._facts:
            fig.add_artist(Snapshot([fact], zorder=3, keep=16))
        self._line_step = _line_step(self._facts[0], fig)
        self._fact_gap = 0.35 * self._line_step

        title = Text(0.015, 0.94, "NATO in Europe at the end of", fontsize=20, fontweight="bold", va="bottom",
                     transform=fig.transFigure)
        self._year = fig.add_artist(Annotation("", (1, 0), xycoords=title, xytext=(6, 0), textcoords="offset points",
                                               fontsize=20, fontweight="bold", va="bottom"))
        fixed = [title] + self._fixed_artists(fig, ax, europe, outlines, joined, group_of, panel)
        fig.add_artist(Snapshot(fixed, zorder=2.5))

    @staticmethod
    def _territory_marks(territory, inner_edges, ax) -> tuple:
        """A territory's hatching with its dashed line where it meets the rest of its state; its labels."""
        x, y, name, note = MARKED_LABELS.get(territory.id, (*territory.polygons[0].mean(axis=0), territory.name, ""))
        labels = [Text(x, y, name, ha="center", va="center", fontsize=10.5, linespacing=1.0, path_effects=HALO,
                       transform=ax.transData),
                  Text(0.015, 0.02, note, transform=ax.transAxes, fontsize=10.5, path_effects=HALO)]
        corners = {tuple(point) for polygon in territory.polygons for point in polygon}
        dividing = [edge for edge in inner_edges if set(map(tuple, edge)) <= corners]
        return Snapshot([
            PolyCollection(territory.polygons, facecolors="none", edgecolors="none", hatch=ANNEXED_HATCH,
                           hatchcolors=ANNEXED_COLOUR, transform=ax.transData, clip_box=ax.bbox),
            LineCollection(dividing, colors=ANNEXED_COLOUR, linewidths=1.2, linestyles=(0, (2, 2)),
                           transform=ax.transData, clip_box=ax.bbox),
        ], zorder=2.2), Snapshot(labels, zorder=4.5)

    def _fixed_artists(self, fig, ax, europe, outlines, joined, group_of, panel) -> list:
        """Moscow, the names on the map, the legend and the footnote: the same every year."""
        artists = []

        def text(x, y, s, transform=ax.transData, **style):
            artists.append(Text(x, y, s, transform=transform, **{"fontsize": LABEL_SIZE, "path_effects": HALO,
                                                                 **style}))

        moscow = project(MOSCOW["lon"], MOSCOW["lat"])
        artists.append(Line2D([moscow[0]], [moscow[1]], marker="*", markersize=17, color="black",
                              markeredgecolor="white", transform=ax.transData))
        text(*moscow, "Moscow", offset_copy(ax.transData, fig, x=9, units="points"), fontsize=14,
             fontweight="bold", va="center")
        for iso3, (x, y) in NAMED.items():
            if iso3 in outlines.countries:
                text(x, y, outlines.countries[iso3].name, ha="center", va="center")
        capitals = dict(zip(europe["iso3"], (project(r.capital_lon, r.capital_lat) for r in europe.itertuples())))
        leaders = []
        for iso3, (x, y, side) in SMALL_STATES.items():
            if iso3 in capitals:
                text(x, y, outlines.countries[iso3].name, ha=side, va="center")
                gap = 25 if side == "left" else -25  # km between the line's end and the name
                leaders.append([capitals[iso3], (x - gap, y)])
        artists.append(LineCollection(leaders, colors="#222222", linewidths=0.9, transform=ax.transData))

        handles = []
        for number, (_, colour, hatch, name) in enumerate(WAVE_GROUPS):
            waves = sorted({year for iso3, year in joined.items() if group_of[iso3] == number})
            if waves:
                years = f"{waves[0]}–{waves[-1]}" if len(waves) > 1 else f"{waves[0]}"
                handles.append(Patch(facecolor=colour, hatch=hatch, hatchcolor=HATCH_COLOUR, edgecolor="none",
                                     label=f"joined {years}" + (f" ({name})" if name else "")))
        handles += [Patch(facecolor=NOT_MEMBER, label="not a member"),
                    Patch(facecolor=RUSSIA_AND_BELARUS, label="Russia and Belarus\n(maps to 1990: Soviet Union)")]
        artists.append(Legend(fig, handles, [h.get_label() for h in handles], loc="lower left",
                              bbox_to_anchor=(panel - 0.01, 0.065), bbox_transform=fig.transFigure, fontsize=13,
                              frameon=False, handlelength=1.6, handleheight=1.0, labelspacing=0.45))
        text(0.015, 0.005, f"{OFF_MAP} {BORDERS_NOTE}", fig.transFigure,
             fontsize=11, color="#444444", va="bottom", path_effects=[])
        return artists


def border_lines(outlines) -> tuple[list, dict]:
    """The borders as lines, and, per country, the edges between its own parts (not borders: Crimea and Ukraine).

    A country's edge that two of its parts share is inside it; every other edge of an outline is a border
    or a coast. Neighbours share their border's points exactly (tools/build_outlines.py), so edges match.
    """
    lines, inner = [], {}
    for iso3, country in outlines.countries.items():
        rings = [[(tuple(a), tuple(b)) for a, b in zip(ring, np.roll(ring, -1, axis=0))] for ring in country.polygons]
        times_seen = Counter(frozenset(edge) for ring in rings for edge in ring)
        shared = {frozenset(edge): edge for ring in rings for edge in ring if times_seen[frozenset(edge)] > 1}
        inner[iso3] = [np.array(edge) for edge in shared.values()]  # each inner edge once
        for ring in rings:
            run = []  # the points of the current stretch of border, cut wherever an inner edge lies
            for a, b in ring:
                if frozenset((a, b)) in shared:
                    if run:
                        lines.append(np.array(run))
                    run = []
                else:
                    run = run or [a]
                    run.append(b)
            if run:
                lines.append(np.array(run))
    return lines, inner


def _line_step(text: Text, fig: Figure) -> float:
    """How far apart (in figure height) the lines of a text are: the height two lines add over one."""
    renderer = RendererAgg(*fig.bbox.size, fig.dpi)
    heights = []
    for lines in ("Mg", "Mg\nMg"):
        probe = Text(0, 0, lines, fontproperties=text.get_fontproperties(), linespacing=LINE_SPACING, figure=fig)
        heights.append(probe.get_window_extent(renderer).height)
    return (heights[1] - heights[0]) / fig.bbox.height


def _wrapped(fact: str) -> str:
    """A fact in lines that fit the panel, a number never parted from its unit ("1,561 km")."""
    return textwrap.fill(re.sub(r"(\d) (?=[a-z])", "\\1\u00a0", fact), FACTS_WIDTH)


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2

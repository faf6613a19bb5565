"""Charts of notebook 06 (the negotiation role-play): the issue matrix and the zone of possible agreement.

Each function takes a scenario and its standings (``models.negotiation``) and returns HTML; none reads a file. Both
are HTML rather than figures: a matplotlib figure of their 150 or so labels took a quarter to half a second to draw
on a 2-core machine, HTML shows at once, stays sharp at any projector size, and a screen reader reads it.

The matrix's 0-4 scale runs from blue (0) through white (2) to orange (4): two colours that every common
colour-vision deficiency tells apart, with neither read as "good"; every cell also carries its number.
"""
from __future__ import annotations

import html

import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgb

from ..models.negotiation import (Scenario, gap_words, matrix_changes, matrix_summary, span,
                                  starting_standings, zone_summary, zones)
from .style import GREY, PALETTE, SEQUENCE

SCALE_COLOURS = LinearSegmentedColormap.from_list("scale", [PALETTE["blue"], "#FFFFFF", PALETTE["orange"]])
ZONE_COLOUR = PALETTE["bluish green"]
BLANK = "#F2F2F2"


def board(scenario: Scenario, standings: dict) -> dict[str, tuple[str, str]]:
    """The two charts of the board, each as (HTML, its one-sentence summary): "matrix" and "zone"."""
    return {"matrix": (matrix_html(scenario, standings), matrix_summary(scenario, standings)),
            "zone": (zone_html(scenario, standings), zone_summary(scenario, zones(scenario, standings)))}


def _ink(value: float) -> str:
    """Black or white, whichever reads better on the cell's colour."""
    r, g, b = to_rgb(SCALE_COLOURS(value / 4))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def matrix_html(scenario: Scenario, standings: dict | None = None) -> str:
    """Issues (rows) x delegations (columns) as an HTML table: each position's number on the issue's 0-4 scale,
    coloured, and its acceptable range; "none stated" where a delegation stated none; a thick frame and "was n"
    where a position has moved."""
    standings = starting_standings(scenario) if standings is None else standings
    changes = matrix_changes(scenario, standings)
    names = scenario.short_names()
    head = "".join(f"<th scope='col' style='{_HEAD}'>{html.escape(name)}</th>" for name in names.values())
    rows = []
    for issue, label in scenario.issue_labels().items():
        cells = "".join(_matrix_cell(standings.get((issue, delegation)), changes, (issue, delegation))
                        for delegation in names)
        rows.append(f"<tr><th scope='row' style='{_HEAD};{_ROW_LABEL}'>{html.escape(label)}</th>{cells}</tr>")
    moved = len(changes)
    title = f"{scenario.title}: positions on each issue (0-4)" + (f", {moved} moved" if moved else ", at the start")
    table = ("<table style='border-collapse:collapse;font-size:1.1em'>"
             f"<thead><tr><th style='{_HEAD};{_ROW_LABEL}'>Issue</th>{head}</tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table>")
    note = f"0 and 4 are the two ends described under each issue. {CODING_NOTE}"
    return _frame("negotiation-matrix-table", title, note, table)


CODING_NOTE = "The numbers are the course's coding of stated positions, not the governments' own."


def _frame(css: str, title: str, note: str, body: str) -> str:
    """A chart of the board: its title and note above it, on white (as a picture would be, whatever the theme)."""
    return (f"<div class='negotiation-chart {css}' style='overflow-x:auto;line-height:1.3;background:white;"
            f"color:black;padding:4px'><p style='font-size:1.5em;font-weight:bold;margin:0.3em 0'>"
            f"{html.escape(title)}</p><p style='color:#404040;margin:0 0 0.4em 0'>{note}</p>{body}</div>")


_HEAD = "padding:4px 8px;vertical-align:middle;background:white;color:black"
_ROW_LABEL = "text-align:right;font-weight:normal;max-width:15em"
_CELL = "width:6.5em;min-width:4.5em;height:3.6em;padding:2px;text-align:center;vertical-align:middle"


def _matrix_cell(standing, changes: dict, key: tuple[str, str]) -> str:
    if standing is None or standing.position is None:
        return (f"<td style='{_CELL};background:{BLANK};color:#595959;border:2px solid white'>"
                "none<br>stated</td>")
    value = standing.position
    ink = _ink(value)
    frame = "border:1px solid #BFBFBF"
    was = ""
    if key in changes:
        before = changes[key]
        frame += ";outline:4px solid black;outline-offset:-6px"
        was = f"<br><i>was {'-' if before is None else before}</i>"
    return (f"<td style='{_CELL};background:{to_hex(SCALE_COLOURS(value / 4))};color:{ink};{frame}'>"
            f"<b style='font-size:1.7em'>{value}</b><br>range {span(standing.low, standing.high)}{was}</td>")


def zone_html(scenario: Scenario, standings: dict | None = None) -> str:
    """One row per issue: each delegation's acceptable range as a bar (same order and colour in every row) with a
    white diamond at its position, the overlap shaded green, and "Overlap: n" or "No overlap" written out with who
    stands where. Drawn in HTML, like the matrix, so a new scenario or round shows at once; each bar names its
    delegation, range and position when pointed at, and each row carries its sentence for a screen reader."""
    standings = starting_standings(scenario) if standings is None else standings
    names = scenario.short_names()
    colours = {d: (SEQUENCE + [GREY])[n % (len(SEQUENCE) + 1)] for n, d in enumerate(names)}
    legend = "".join(f"<span style='margin-right:1.2em;white-space:nowrap'>{_swatch(colours[d])} "
                     f"{html.escape(name)}</span>" for d, name in names.items())
    scale = "".join(f"<span style='position:absolute;left:{_at(x)}%;transform:translateX(-50%)'>{x}</span>"
                    for x in range(5))
    rows = "".join(_zone_row(scenario, row, standings, names, colours)
                   for row in zones(scenario, standings).itertuples())
    chart = ("<p style='margin:0 0 0.4em 0'>Bars, top to bottom in each row (a delegation that stated nothing on "
             f"an issue has no bar there):<br>{legend}</p>"
             "<table style='border-collapse:collapse;width:100%;min-width:640px;font-size:1.1em'>"
             f"<thead><tr><th style='width:22%'></th><th style='width:42%;padding:0 14px'>"
             f"<div style='position:relative;height:1.4em'>{scale}</div></th><th></th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    return _frame("negotiation-zone-chart", f"{scenario.title}: where the acceptable ranges overlap",
                  "Each bar: a delegation's acceptable range on the issue's 0-4 scale; a white diamond marks its "
                  f"position. Green: the zone of possible agreement. {CODING_NOTE}",
                  chart)


_SCALE = (-0.6, 4.6)  # the track's ends on the 0-4 scale: room for the half-width of a bar at 0 and at 4
_BAR_HEIGHT, _BAR_GAP = 14, 5  # pixels


def _at(x: float) -> float:
    """A point of the 0-4 scale as a percentage of the track's width."""
    low, high = _SCALE
    return round(100 * (x - low) / (high - low), 2)


def _swatch(colour: str) -> str:
    return (f"<span style='display:inline-block;width:0.9em;height:0.9em;background:{colour};"
            "border:1px solid black;vertical-align:-0.1em'></span>")


def _zone_row(scenario: Scenario, row, standings: dict, names: dict, colours: dict) -> str:
    parties = row.parties
    height = max(len(parties), 1) * (_BAR_HEIGHT + _BAR_GAP) + _BAR_GAP
    shapes = [f"<div style='position:absolute;left:{_at(x)}%;top:0;bottom:0;width:1px;background:#DDDDDD'></div>"
              for x in range(5)]
    overlap = not pd.isna(row.low)
    if overlap:
        shapes.append(f"<div style='position:absolute;left:{_at(row.low - 0.45)}%;"
                      f"width:{_at(row.high + 0.45) - _at(row.low - 0.45)}%;top:1px;bottom:1px;"
                      f"background:{ZONE_COLOUR}47;border:2.5px solid {ZONE_COLOUR}'></div>")
    for n, delegation in enumerate(parties):
        s = standings[(row.issue_id, delegation)]
        top = _BAR_GAP + n * (_BAR_HEIGHT + _BAR_GAP)
        said = (f"{names[delegation]}: range {span(s.low, s.high)}"
                + ("" if s.position is None else f", position {s.position}"))
        shapes.append(f"<div title='{html.escape(said, quote=True)}' style='position:absolute;top:{top}px;"
                      f"height:{_BAR_HEIGHT}px;left:{_at(s.low - 0.4)}%;width:{_at(s.high + 0.4) - _at(s.low - 0.4)}%;"
                      f"background:{colours[delegation]};border:1px solid black;box-sizing:border-box'></div>")
        if s.position is not None:
            shapes.append(f"<div style='position:absolute;top:{top + 2}px;left:calc({_at(s.position)}% - 6px);"
                          "width:9px;height:9px;background:white;border:1.5px solid black;transform:rotate(45deg)'>"
                          "</div>")
    if parties and overlap:
        verdict, colour = f"Overlap: {span(row.low, row.high)}", "#00573F"
        detail = f"all {len(parties)} ranges meet there"
    elif parties:
        words = gap_words(scenario, row)
        verdict, detail, colour = "No overlap", words[:1].upper() + words[1:], "black"
    else:
        verdict, detail, colour = "No position stated", "", GREY
    sentence = f"{row.issue}: {verdict}" + (f" ({detail})" if detail else "")
    return (f"<tr style='border-top:1px solid {GREY}'>"
            f"<th scope='row' style='{_ROW_LABEL};padding:6px 10px'>{html.escape(row.issue)}</th>"
            f"<td style='padding:0 14px'><div role='img' aria-label='{html.escape(sentence, quote=True)}' "
            f"style='position:relative;height:{height}px'>{''.join(shapes)}</div></td>"
            f"<td style='padding:6px 10px;vertical-align:top;text-align:left'>"
            f"<b style='color:{colour};font-size:1.15em'>{verdict}</b>"
            f"<br><span style='color:#303030'>{html.escape(detail)}</span></td></tr>")

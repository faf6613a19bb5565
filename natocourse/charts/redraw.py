"""Fast redraws for charts behind a slider or a menu: what does not change is drawn once, as a picture.

Two ways, one for each shape of chart:

* ``PrerenderedFigure`` (matplotlib's blitting): the changing artists lie on top of a figure whose axes
  never move (a marker on a step chart, a game's payoffs); each redraw pastes the picture of the rest and
  draws only them.
* ``Snapshot`` (a layer drawn once): a group of artists that never change but lie under or between
  changing ones (the map's names and hatching under its recoloured countries; the record overview's lanes
  under its markers and time axis) is drawn once into a transparent picture that every redraw pastes.

Every redrawable chart has a ``figure`` and offers ``png(**state) -> bytes``; ``full_png(figure)`` draws the
same figure the slow way, every artist anew, and tests/test_redraw.py checks chart by chart that the two
agree pixel for pixel.
"""
from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from .style import PROJECTOR_STYLE


ON_TOP = 10  # added to the changing artists' zorder


class PrerenderedFigure:
    """A figure whose unchanging parts (axes, ticks, labels, legend) are drawn once, as a picture.

    Each redraw pastes that picture and draws only the ``changing`` artists on top: several times
    faster than drawing the whole figure, which is what a slider needs. The figure must not be
    resized, and its axes limits must stay fixed.
    """

    def __init__(self, fig, changing):
        self.figure = fig
        self.changing = list(changing)
        for artist in self.changing:
            artist.set_animated(True)  # left out of the picture of the unchanging parts
            # drawn above everything else, as the fast redraw draws them (over spines, grid and labels), so that
            # a full draw (a saved figure, ``full_png``) shows the same picture
            artist.set_zorder(artist.get_zorder() + ON_TOP)
        FigureCanvasAgg(fig).draw()
        self._background = fig.canvas.copy_from_bbox(fig.bbox)

    def png(self) -> bytes:
        """The figure as it stands now, as PNG bytes."""
        canvas = self.figure.canvas
        canvas.restore_region(self._background)
        for artist in self.changing:
            self.figure.draw_artist(artist)
        return _canvas_png(canvas)


class Snapshot(Artist):
    """Artists drawn once into a transparent picture, which each redraw of the figure pastes.

    Text and hatching are most of the cost of a redraw (every glyph is laid out and rasterised again,
    twice with a halo); pasting a picture takes a fraction of a millisecond. A picture is kept per
    wording and place of the texts inside (up to ``keep`` of them). At another size or resolution
    (a "tight" crop, a high-resolution export) the picture is made again; in a vector format the
    artists are drawn as usual.
    """

    def __init__(self, artists, zorder, keep=1):
        super().__init__()
        self.artists = artists
        self.fresh = False  # True: draw the artists themselves, as a full draw does (see ``full_png``)
        self.set_zorder(zorder)
        self._keep = keep
        self._pictures = {}

    def set_figure(self, fig):
        super().set_figure(fig)
        for artist in self.artists:
            artist.set_figure(fig)

    def draw(self, renderer):
        if not self.get_visible():
            return
        if self.fresh or not isinstance(renderer, RendererAgg):
            for artist in self.artists:
                artist.draw(renderer)
            return
        key = (renderer.dpi, renderer.width, renderer.height, tuple(self.figure.bbox.bounds),
               tuple((a.get_text(), a.get_position()) for a in self.artists if isinstance(a, Text)))
        if key not in self._pictures:
            if len(self._pictures) >= self._keep:
                del self._pictures[next(iter(self._pictures))]  # the oldest
            self._pictures[key] = self._picture(renderer)
        x, y, picture = self._pictures[key]
        if picture.size:
            gc = renderer.new_gc()
            renderer.draw_image(gc, x, y, picture)
            gc.restore()

    def _picture(self, renderer):
        """The artists drawn on a transparent canvas like the renderer's, cropped to what they cover."""
        scratch = RendererAgg(renderer.width, renderer.height, renderer.dpi)
        for artist in self.artists:
            artist.draw(scratch)
        picture = np.asarray(scratch.buffer_rgba())[::-1]  # draw_image wants the bottom row first
        drawn = picture[..., 3] > 0
        rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
        if not len(rows):
            return 0, 0, picture[:0, :0].copy()
        return columns[0], rows[0], picture[rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1].copy()

    def get_children(self):
        return list(self.artists)

    def get_window_extent(self, renderer=None):
        boxes = [artist.get_window_extent(renderer) for artist in self.artists]
        finite = [box for box in boxes if np.isfinite(box.get_points()).all() and box.width >= 0]
        return Bbox.union(finite) if finite else Bbox.null()

    def get_tightbbox(self, renderer=None):
        return self.get_window_extent(renderer) if self.get_visible() else None


def full_png(fig) -> bytes:
    """The figure drawn the slow way, every artist anew (no pasted picture): what a fast ``png`` must equal."""
    snapshots = fig.findobj(Snapshot)
    animated = fig.findobj(lambda artist: artist.get_animated())
    for artist in animated:
        artist.set_animated(False)
    for snapshot in snapshots:
        snapshot.fresh = True
    try:
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        with matplotlib.rc_context(PROJECTOR_STYLE):  # as the charts were built: the same ticks and fonts
            canvas.draw()
        return _canvas_png(canvas)
    finally:
        for artist in animated:
            artist.set_animated(True)
        for snapshot in snapshots:
            snapshot.fresh = False


def _canvas_png(canvas) -> bytes:
    pixels = np.asarray(canvas.buffer_rgba())[..., :3]  # the course's figures are opaque: drop the alpha channel
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()

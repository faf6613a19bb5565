"""Sphinx configuration of the course's website (tools/site/build.py passes this folder with -c).

MyST-NB reads the lesson copies that build.py wrote and never runs them; the Book theme serves its own files.
Nothing here names another host: no CDN, no web font, no math renderer (the lessons hold no math).
"""
project = "NATO enlargement, the security dilemma and diplomacy"
author = "the course's authors"
copyright = "the course's authors; see LICENSE and LICENSE-CONTENT.md"
language = "en"

import os
from pathlib import Path

extensions = ["myst_nb"]
exclude_patterns = ["_extra", "**.ipynb_checkpoints"]
# img/: the charts and stand-ins, named by content (in the scratch source folder build.py names)
html_extra_path = [str(Path(os.environ.get("COURSE_SITE_SRC", Path(__file__).parents[2] / "build" / "site-src")) / "_extra")]

nb_execution_mode = "off"  # the committed outputs, as they are
nb_merge_streams = True
nb_ipywidgets_js = {}  # never load a widget manager (from a CDN)
nb_output_stderr = "remove"
myst_enable_extensions = ["colon_fence"]  # no dollarmath: nothing asks for MathJax
myst_heading_anchors = 4  # the guide's "#46-keeping-the-answers-private" links

smartquotes = False  # the text as the authors typed it (and as the tests search it)

html_theme = "sphinx_book_theme"
html_title = "NATO enlargement: a course"
html_static_path = ["static"]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "pygments_light_style": "default",
    "pygments_dark_style": "monokai",
}
suppress_warnings = ["mystnb.unknown_mime_type"]


def setup(app):
    # a math node would make Sphinx add MathJax from a CDN: refuse it outright
    app.config.mathjax_path = "mathjax-not-bundled.js"

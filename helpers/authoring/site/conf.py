"""Sphinx configuration of the course's website (built by `python -m helpers.authoring.site OUTPUT_DIR`).

The pages are the committed notebooks as they are (nothing is re-executed), the instructor guide and the data
notes; `helpers.authoring.site` stages them in a temporary source folder beside a copy of MathJax, so the
site builds and reads with the network off.
"""

from helpers.release import REPOSITORY, TAG, VERSION

project = "Deep Learning Basics"
author = "Deep Learning Basics course authors"
copyright = "the course authors; text CC BY 4.0, code MIT"  # noqa: A001 - Sphinx's name for it
release = version = VERSION
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"  # the committed outputs are the course: a fresh run prints exactly them (tests/)
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # a notebook's "# NN · title" followed by "### ..." is fine on a page

html_theme = "sphinx_book_theme"
templates_path = ["_templates"]
# The theme's own sidebar, with its title link wrapped in a landmark (_templates/course-logo.html).
html_sidebars = {"**": ["course-logo.html", "icon-links.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
html_title = "Deep Learning Basics"
html_static_path = ["_static"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": f"https://github.com/{REPOSITORY}",
    "repository_branch": TAG,  # the launch buttons open the release a workshop is pinned to, not main
    "path_to_docs": "notebooks",
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "show_toc_level": 2,
}
# MathJax 2 from the course's own copy (helpers/authoring/slides_assets/mathjax, which the slide decks load too),
# staged beside the pages, not from a CDN. It typesets only what Sphinx marks as math, never code or output.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full"
mathjax2_config = {"showMathMenu": False, "messageStyle": "none",
                   "tex2jax": {"ignoreClass": "bd-article", "processClass": "math"}}
myst_update_mathjax = False  # myst's setting is MathJax 3's, which MathJax 2 does not read
html_favicon = "favicon.svg"
html_context = {"default_mode": "light"}  # the theme otherwise logs an error for an unset mode, then picks one

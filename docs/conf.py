"""Sphinx configuration of the skts documentation site.

Build (from the repository root, after ``pip install -e ".[docs,neural,plot]"``)::

    SKTS_DATA_HOME=../shared/data python -m sphinx -W --keep-going -b html docs docs/_build/html

The build runs offline: the gallery's ridership examples read the CSV from
``SKTS_DATA_HOME``, and intersphinx reads only inventories saved in
``docs/_intersphinx/`` (see ``intersphinx_mapping`` below).
"""

import importlib
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# The checkout's skts, not an installed copy, so the site documents this tree.
sys.path.insert(0, str(ROOT))
# The API pages are written from the subpackages' __all__ (docs/_api_pages.py).
sys.path.insert(0, str(DOCS))

import skts  # noqa: E402
from _api_pages import write_api_pages  # noqa: E402

project = "skts"
author = "the skts developers"
copyright = "the skts developers"  # noqa: A001 (Sphinx's name)
release = version = skts.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_intersphinx", "auto_examples/*.ipynb", "auto_examples/*.py", "**/*.zip"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["skts.css"]

# Every cross-reference must resolve; the ignore list below is for targets
# outside this project that no local inventory can resolve.
nitpicky = True

# ---------------------------------------------------------------- API pages
write_api_pages(DOCS / "api")
autosummary_generate = True
autodoc_typehints = "none"
# numpydoc renders Parameters/Returns; the methods get their own entries from
# the class template, so numpydoc's summary tables of members are not needed.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Docstring types ("array-like of shape (n, k)") are prose, not cross-references.
numpydoc_xref_param_type = False

# ---------------------------------------------------------------- intersphinx
# Offline by design: a project's inventory is used when its objects.inv is saved
# as docs/_intersphinx/<name>.inv (download <url>/objects.inv there on a machine
# with web access). SKTS_DOCS_ONLINE=1 fetches them all from the web instead.
INTERSPHINX = {
    "python": "https://docs.python.org/3",
    "numpy": "https://numpy.org/doc/stable",
    "pandas": "https://pandas.pydata.org/docs",
    "sklearn": "https://scikit-learn.org/stable",
    "statsmodels": "https://www.statsmodels.org/stable",
    "matplotlib": "https://matplotlib.org/stable",
    "sktime": "https://www.sktime.net/en/stable",
    "keras": "https://keras.io/api",
}
ONLINE = os.environ.get("SKTS_DOCS_ONLINE") == "1"
intersphinx_mapping = {}
unresolved_projects = []
for name, url in INTERSPHINX.items():
    local = DOCS / "_intersphinx" / f"{name}.inv"
    if ONLINE:
        intersphinx_mapping[name] = (url, None)
    elif local.exists():
        intersphinx_mapping[name] = (url, str(local))
    else:
        unresolved_projects.append(name)
intersphinx_timeout = 10

# Module prefixes of the projects above, for the ignore list.
_PREFIXES = {
    "python": r"(?:builtins|collections|typing|pathlib|os|io|datetime|abc|inspect|warnings|"
    r"int|float|str|bool|list|tuple|dict|callable|object|None|True|False)",
    "numpy": r"(?:numpy|np)",
    "pandas": r"(?:pandas|pd)",
    "sklearn": r"sklearn",
    "statsmodels": r"statsmodels",
    "matplotlib": r"(?:matplotlib|mpl)",
    "sktime": r"sktime",
    "keras": r"(?:keras|tensorflow|tf)",
}
nitpick_ignore_regex = [
    # Projects whose inventory is not saved locally: their names cannot be
    # resolved offline, so a reference to them is not an error here.
    *[(r"py:.*", _PREFIXES[name] + r"(\..*)?") for name in unresolved_projects],
    # Projects without a Sphinx inventory.
    (r"py:.*", r"(?:joblib|dask|distributed|scikeras|scipy|threadpoolctl)(\..*)?"),
]

# ---------------------------------------------------------------- gallery
# The gallery runs each example in its own folder (examples/), so a relative
# SKTS_DATA_HOME (CI's ../shared/data) is made absolute against the folder the
# build was started from (the shell's PWD; Sphinx reads this file from docs/).
if os.environ.get("SKTS_DATA_HOME"):
    _start = os.environ.get("PWD", str(ROOT))
    os.environ["SKTS_DATA_HOME"] = os.path.abspath(os.path.join(_start, os.environ["SKTS_DATA_HOME"]))

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # Every script is executed (not only plot_*.py); _*.py are helpers.
    # pytorch_*.py need Keras' torch backend, which the site's build does
    # not use: shown with their recorded output, not executed.
    "filename_pattern": r"/(?!pytorch_)[^_][^/]*\.py$",
    "ignore_pattern": r"/_",
    "within_subsection_order": "_gallery_order.GalleryOrder",
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
    "show_memory": False,
    # An example that raises fails the build.
    "only_warn_on_example_error": False,
    "doc_module": ("skts",),
    # Each API page lists the gallery examples that use its object.
    "backreferences_dir": "api/backreferences",
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
}

# ---------------------------------------------------------------- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"skts {version}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    # A table of contents on the right, except on the gallery's pages, whose
    # code gets that column's width (pages that no pattern matches have none).
    "secondary_sidebar_items": {
        folder: ["page-toc"] for folder in ("getting_started/*", "user_guide/*", "case_study/*", "benchmarks/*", "api/**")
    },
}
# Single pages (the landing page, the case study) have no section to navigate.
html_sidebars = {"index": [], "case_study/*": []}
# "fit()" rather than "AutoSARIMA.fit()" in a page's table of contents.
toc_object_entries_show_parents = "hide"
html_show_sourcelink = False
html_context = {"default_mode": "light"}

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3


# ---------------------------------------------------------------- hooks
import re  # noqa: E402

# "ndarray of shape (n_steps, n_features_in_)": in reStructuredText a word
# ending in "_" is a hyperlink reference, so escape it in the type of a
# numpydoc parameter line (the text after " : "), before numpydoc renders it.
_PARAM_LINE = re.compile(r"^(\s*[\w*][\w, *]* : )(.*)$")
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\w\\])([A-Za-z]\w*?)_(?=[\s,.;:)\]]|$)")


def _escape_type_underscores(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        match = _PARAM_LINE.match(line)
        if match:
            lines[i] = match.group(1) + _TRAILING_UNDERSCORE.sub(r"\1\\_", match.group(2))


def _skip_scikit_learn_members(app, what, name, obj, skip, options):
    """Leave out the methods inherited from scikit-learn (get_params, score, set_output, ...).

    Their docstrings belong to scikit-learn's site and refer to its labels;
    every skts estimator has them, and the API pages link to BaseEstimator.
    """
    module = getattr(obj, "__module__", None) or getattr(getattr(obj, "__func__", None), "__module__", "")
    qualname = getattr(obj, "__qualname__", "")
    if module and module.startswith("sklearn.") or "RequestMethod" in qualname:
        return True
    return None


def _canonical_paths():
    """Each public name of the subpackages' ``__all__`` -> its one canonical path."""
    from _api_pages import api_entries

    return {name: f"{module}.{name}" for module, names in api_entries().items() for name, _ in names}


_CANONICAL = _canonical_paths()


def _resolve_public_short_names(app, env, node, contnode):
    """Resolve a bare public name (numpydoc's "See Also: Differencer") to its canonical path.

    Each public name has one path (its subpackage), so a bare name is
    unambiguous. Stale paths (``skts.Differencer``) are not rewritten: they
    stay unresolved, and nitpicky reports them.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    if target not in _CANONICAL:
        return None
    domain = env.domains["py"]
    new = node.deepcopy()
    new["reftarget"] = _CANONICAL[target]
    return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], _CANONICAL[target], new, contnode)


def setup(app):
    # Before numpydoc (priority 500), which turns the lines into reST.
    app.connect("autodoc-process-docstring", _escape_type_underscores, priority=100)
    app.connect("autodoc-skip-member", _skip_scikit_learn_members)
    app.connect("missing-reference", _resolve_public_short_names)

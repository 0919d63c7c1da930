"""Write the API reference pages from the public subpackages' ``__all__``.

One page per subpackage of skts (``docs/api/<subpackage>.rst``) with an
autosummary entry for every name in its ``__all__``, documented under that
one canonical path. ``docs/conf.py`` calls :func:`write_api_pages` at every
build, and ``tests/test_docs.py`` checks that every public estimator of skts
is in some ``__all__`` and so on a page.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import skts

INTRO = """\
API reference
=============

Every public name of skts, under its one import path: the subpackage that
owns it (``from skts.forecasting import AutoSARIMA``). The pages are built from
the subpackages' ``__all__``.

.. toctree::
   :maxdepth: 1

"""


def public_subpackages():
    """The importable subpackages of skts whose names do not start with ``_``, sorted."""
    return sorted(
        f"skts.{info.name}"
        for info in pkgutil.iter_modules(skts.__path__)
        if info.ispkg and not info.name.startswith("_")
    )


def api_entries():
    """Map each public subpackage to the names of its ``__all__``, in page order.

    Returns
    -------
    entries : dict of str to list of (str, str)
        ``{"skts.forecasting": [("AutoSARIMA", "class"), ...], ...}``: classes,
        then functions, then other objects (scorers), each group sorted by name.
    """
    entries = {}
    for module_name in public_subpackages():
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", [])
        kinds = [(name, _kind(getattr(module, name))) for name in names]
        entries[module_name] = sorted(kinds, key=lambda item: (KINDS.index(item[1]), item[0].lower()))
    return entries


KINDS = ("class", "function", "data")
HEADINGS = {"class": "Classes", "function": "Functions", "data": "Objects"}


def _kind(obj):
    if inspect.isclass(obj):
        return "class"
    # Scorers are callable objects, documented as data with their docstring.
    return "function" if inspect.isfunction(obj) else "data"


def render_page(module_name, names):
    """The reStructuredText of one subpackage's page."""
    title = f":mod:`{module_name}`"
    lines = [title, "=" * len(title), "", f".. automodule:: {module_name}", "   :no-members:", ""]
    lines += [f".. currentmodule:: {module_name}", ""]
    for kind, heading in HEADINGS.items():
        group = [name for name, k in names if k == kind]
        if not group:
            continue
        lines += [heading, "-" * len(heading), "", ".. autosummary::", "   :toctree: generated/",
                  f"   :template: autosummary/{kind}.rst", "", *(f"   {name}" for name in group), ""]
    return "\n".join(lines)


def write_api_pages(folder):
    """Write ``index.rst`` and one page per subpackage into ``folder``; return the entries."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    entries = api_entries()
    index = [INTRO]
    for module_name, names in entries.items():
        if not names:
            continue
        short = module_name.split(".", 1)[1]
        page = render_page(module_name, names)
        path = folder / f"{short}.rst"
        # Rewrite only on change, so Sphinx's incremental builds stay incremental.
        if not path.exists() or path.read_text() != page:
            path.write_text(page)
        index.append(f"   {short}\n")
    text = "".join(index)
    if not (folder / "index.rst").exists() or (folder / "index.rst").read_text() != text:
        (folder / "index.rst").write_text(text)
    return entries

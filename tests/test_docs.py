"""The documentation site covers the public API and its gallery draws figures.

Static checks, fast: the site itself is built by ``.ci/run`` (Sphinx with
``-W``, the gallery executed). Here:

- every public estimator class of skts is in a subpackage's ``__all__``, from
  which ``docs/_api_pages.py`` writes the API pages, so it has a page; so does
  every estimator the common checks (``tests/test_common.py``) run on;
- every gallery script (``examples/*.py``) has a title and draws a figure;
- the pages a reader meets hold no machine paths, development history or stubs;
- the README's test command is the first command CI runs.
"""

import ast
import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path

import pytest
from sklearn.base import BaseEstimator

import skts

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def api_pages(monkeypatch_module):
    monkeypatch_module.syspath_prepend(str(DOCS))
    module = importlib.import_module("_api_pages")
    yield module
    sys.modules.pop("_api_pages", None)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def documented(api_pages):
    """Names on the API pages: ``{name: "skts.subpackage"}``."""
    return {name: module for module, names in api_pages.api_entries().items() for name, _ in names}


def _public_estimator_classes():
    """(module, name) of every estimator class defined in skts whose name is public."""
    classes = set()
    for info in pkgutil.walk_packages(skts.__path__, "skts."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and obj.__module__ == info.name
                and not name.startswith("_")
                # Base classes are public only where a subpackage exports them
                # (BaseForecaster, for writing forecasters); others are internal.
                and not name.startswith("Base")
            ):
                classes.add((info.name, name))
    return sorted(classes)


def test_every_public_estimator_has_an_api_page(documented):
    classes = _public_estimator_classes()
    assert len(classes) >= 15
    missing = [f"{module}.{name}" for module, name in classes if name not in documented]
    assert not missing, f"not in any subpackage's __all__, so without an API page: {missing}"


def test_api_pages_name_each_object_under_its_subpackage(api_pages, documented):
    entries = api_pages.api_entries()
    assert set(entries) >= {"skts.forecasting", "skts.neural", "skts.model_selection", "skts.metrics"}
    for module, names in entries.items():
        page = api_pages.render_page(module, names)
        listed = re.findall(r"^   (\w+)$", page, re.M)
        assert sorted(listed) == sorted(name for name, _ in names), module
        for name, _ in names:
            # The canonical path imports the object the page documents.
            assert getattr(importlib.import_module(module), name) is not None


def _constructor_names(tree, variable):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == variable for t in node.targets):
            return {item.func.id for item in node.value.elts if isinstance(item, ast.Call)}
    raise AssertionError(f"{variable} not found")


def test_every_estimator_of_the_common_checks_has_an_api_page(documented):
    tree = ast.parse((ROOT / "tests" / "test_common.py").read_text())
    tested = _constructor_names(tree, "ESTIMATORS") | _constructor_names(tree, "TINY_NETWORKS")
    assert {"NaiveSeasonal", "SARIMAEstimator", "RNNRegressor"} <= tested
    missing = sorted(tested - set(documented))
    assert not missing, f"checked by test_common.py but without an API page: {missing}"


GALLERY = sorted(path for path in EXAMPLES.glob("*.py") if not path.name.startswith("_"))
# What draws a figure: matplotlib directly, pandas' .plot, or skts.plotting.
FIGURE_CALLS = {"subplots", "figure", "plot", "plot_forecast", "plot_backtest", "plot_acf_pacf"}


def test_gallery_has_examples():
    assert len(GALLERY) >= 4
    assert (EXAMPLES / "GALLERY_HEADER.rst").exists()


@pytest.mark.parametrize("path", GALLERY, ids=lambda path: path.name)
def test_gallery_script_has_a_title_and_draws_a_figure(path):
    tree = ast.parse(path.read_text())
    doc = ast.get_docstring(tree) or ""
    lines = doc.strip().splitlines()
    assert len(lines) >= 2 and set(lines[1]) == {"="} and len(lines[1]) >= len(lines[0]), (
        f"{path.name}: the docstring must open with a title underlined by '='"
    )
    called = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert called & FIGURE_CALLS, f"{path.name} draws no figure"
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "argparse" not in imported, f"{path.name}: gallery scripts run as they are, without arguments"


# Written by hand; the build's output (the site, the executed gallery, the API pages) is not.
GENERATED = {"_build", "auto_examples", "api"}
READER_TEXT = [
    ROOT / "README.md",
    ROOT / "benchmarks" / "README.md",
    *(path for path in sorted(DOCS.rglob("*.*")) if path.suffix in {".rst", ".md"} and not GENERATED & set(path.parts)),
    *GALLERY,
]


@pytest.mark.parametrize("path", READER_TEXT, ids=lambda path: str(path.relative_to(ROOT)))
def test_pages_hold_no_machine_paths_development_history_or_stubs(path):
    text = path.read_text()
    assert "/work/" not in text and "/root/" not in text, f"{path.name}: a machine path"
    assert not re.search(r"\bissue \d+|\blast round\b|\bround \d+\b", text, re.I), f"{path.name}: development history"
    assert not re.search(r"\bcommit [0-9a-f]{7,}\b", text), f"{path.name}: a commit hash"
    assert "TODO" not in text, f"{path.name}: an unfinished page"


def test_ci_runs_the_readme_test_command_first():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^(SKTS_DATA_HOME=\S+ python -m pytest .*)$", readme, re.M).group(1)
    install = re.search(r'^(python -m pip install -e "\.\[[\w,]+\]")$', readme, re.M).group(1)
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    first = next(line for line in ci if "pytest" in line or "pip install" in line)
    assert first == f"{install} && {command}"

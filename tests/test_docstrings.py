"""Every constructor parameter of a public estimator is documented in its class docstring.

The estimators take flat keyword parameters (so that grids name them one by
one); each is listed under ``Parameters`` as ``name : type``, numpydoc style,
so a parameter added without its documentation fails here.
"""

import importlib
import inspect
import re

import pytest

SUBPACKAGES = (
    "skts.windowing",
    "skts.preprocessing",
    "skts.compose",
    "skts.forecasting",
    "skts.neural",
    "skts.interop",
)


def _public_classes():
    for module_name in SUBPACKAGES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj):
                yield obj


def _parameters_section(doc):
    match = re.search(r"^    Parameters\n    -+\n(.*?)(?=^    \w[\w ]*\n    -+\n|\Z)", doc, re.M | re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("cls", list(_public_classes()), ids=lambda cls: cls.__name__)
def test_every_constructor_parameter_is_documented(cls):
    section = _parameters_section(cls.__doc__ or "")
    # "name : type" lines, also "a, b : type" for parameters documented together.
    documented = {
        name for names in re.findall(r"^    (\w+(?:, \w+)*) :", section, re.M) for name in names.split(", ")
    }
    parameters = [name for name in inspect.signature(cls).parameters if name != "self"]
    missing = [name for name in parameters if name not in documented]
    assert not missing, f"{cls.__name__} does not document {missing} under Parameters"

"""Every public signature keeps to the vocabulary of ``docs/user_guide/glossary.rst``.

- ``season_length`` is the season (1 means none, never 0); never ``m``,
  ``sp`` or ``K``;
- ``horizon`` is only "how many steps ahead are forecast", so no constructor
  takes it (a model's steps per call is ``output_length``, conformal's
  calibrated steps ``calibration_horizon``);
- ``stride`` spaces forecast origins, ``step`` is never a parameter;
- pass-through dicts are ``<what>_kwargs``;
- constructors are keyword-only, except a meta-estimator's wrapped estimator,
  its first parameter;
- each public name is importable from exactly one public module, a
  subpackage that lists it in ``__all__``; ``skts`` itself lists only them.
"""

import importlib
import inspect

import pytest

import skts

FORBIDDEN = {"m", "sp", "K", "step"}
WRAPPED = {"forecaster", "regressor", "model", "estimator"}
ROLLING_METHODS = ("predict_rolling", "predict_rolling_quantiles")



def _public():
    for sub in skts.__all__:
        module = importlib.import_module(f"skts.{sub}")
        for name in module.__all__:
            yield f"skts.{sub}", name, getattr(module, name)


PUBLIC = list(_public())


def _cases(kind):
    for module, name, obj in PUBLIC:
        if name == "BaseForecaster":
            continue
        if kind(obj):
            yield pytest.param(obj, id=f"{module}.{name}")


def _check_names(signature, where):
    for parameter in signature.parameters.values():
        assert parameter.name not in FORBIDDEN, f"{where} takes {parameter.name!r}: see the glossary"
        if parameter.name == "season_length":
            assert parameter.default != 0, f"{where}: season_length=1 means no season, not 0"
        if parameter.name.endswith(("_params", "_options", "_args")) and (
            parameter.default is None or isinstance(parameter.default, dict)
        ):
            raise AssertionError(f"{where} takes {parameter.name!r}: pass-through dicts are <what>_kwargs")


@pytest.mark.parametrize("cls", list(_cases(inspect.isclass)))
def test_estimator_constructors_keep_to_the_vocabulary(cls):
    signature = inspect.signature(cls.__init__)
    parameters = [p for p in signature.parameters.values() if p.name != "self"]
    _check_names(signature, cls.__name__)
    assert "horizon" not in signature.parameters, (
        f"{cls.__name__} takes horizon in its constructor; horizon means only the steps forecast "
        "(output_length, calibration_horizon, fit_horizon name the others)"
    )
    positional = [p.name for p in parameters if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional in ([], [parameters[0].name] if parameters and parameters[0].name in WRAPPED else []), (
        f"{cls.__name__}.__init__ has positional parameters {positional}: keyword-only, except "
        "a meta-estimator's wrapped estimator"
    )
    for method in ROLLING_METHODS:
        if hasattr(cls, method):
            rolling = inspect.signature(getattr(cls, method))
            _check_names(rolling, f"{cls.__name__}.{method}")
            assert {"horizon", "stride"} <= set(rolling.parameters), f"{cls.__name__}.{method}"
    if hasattr(cls, "forecast"):
        assert list(inspect.signature(cls.forecast).parameters)[1] == "horizon"


@pytest.mark.parametrize("func", list(_cases(inspect.isfunction)))
def test_functions_keep_to_the_vocabulary(func):
    signature = inspect.signature(func)
    _check_names(signature, func.__name__)
    if func.__module__.startswith(("skts.windowing", "skts.neural")):
        # Window builders: horizon would be the target window's length, which is output_length.
        assert "horizon" not in signature.parameters, f"{func.__name__} takes horizon; use output_length"


def test_each_public_name_has_one_import_path():
    modules = {}
    for module, name, obj in PUBLIC:
        modules.setdefault(name, []).append(module)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert obj.__module__.startswith(module + "."), f"{module}.{name} is defined in {obj.__module__}"
    repeated = {name: where for name, where in modules.items() if len(where) > 1}
    assert not repeated, f"public names listed by several subpackages: {repeated}"
    assert set(skts.__all__) == set(skts._SUBPACKAGES)
    for name in modules:
        assert not hasattr(skts, name), f"skts.{name} is a second path to {modules[name][0]}.{name}"

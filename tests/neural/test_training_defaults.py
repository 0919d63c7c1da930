"""Every neural estimator takes the same training defaults, documented by one text."""

import inspect
import re

import pytest

from skts.neural import KerasForecaster, RNNForecaster, RNNRegressor, WaveNetForecaster, WaveNetRegressor
from skts.neural._window_training import (
    _GLOBAL_MODEL_DOC,
    _TRAINING_PARAMETERS_DOC,
    TRAINING_DEFAULTS,
    _indented,
    _WindowTrainingMixin,
)

NEURAL_ESTIMATORS = [RNNForecaster, WaveNetForecaster, KerasForecaster, RNNRegressor, WaveNetRegressor]


@pytest.mark.parametrize("cls", NEURAL_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_signature_defaults_are_the_shared_ones(cls):
    parameters = inspect.signature(cls).parameters
    defaults = {name: parameters[name].default for name in TRAINING_DEFAULTS}
    assert defaults == TRAINING_DEFAULTS


@pytest.mark.parametrize("cls", NEURAL_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_docstring_holds_the_shared_text(cls):
    assert _indented(_TRAINING_PARAMETERS_DOC) in cls.__doc__
    if "global_model" in inspect.signature(cls).parameters:
        assert _indented(_GLOBAL_MODEL_DOC) in cls.__doc__
    assert "%(" not in cls.__doc__


def test_shared_text_states_the_shared_defaults():
    documented = dict(re.findall(r"^(\w+) : .*, default=(.+)$", _TRAINING_PARAMETERS_DOC, re.M))
    assert documented.keys() == TRAINING_DEFAULTS.keys()
    for name, default in TRAINING_DEFAULTS.items():
        # numpydoc writes 1e-3 for 0.001 and "adam" with double quotes.
        assert eval(documented[name]) == default, name


def test_every_training_parameter_has_a_constraint():
    assert set(TRAINING_DEFAULTS) <= set(_WindowTrainingMixin._training_constraints)

"""``import skts`` stays light: no TensorFlow, Keras, matplotlib or statsmodels."""

import subprocess
import sys

import pytest

HEAVY = ("tensorflow", "keras", "matplotlib", "statsmodels")


def _modules_after(code):
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {name.split(".")[0] for name in out}


def test_import_skts_is_light():
    loaded = _modules_after("import skts")
    assert not loaded & set(HEAVY)


def test_statistical_estimators_do_not_import_keras():
    code = (
        "import numpy as np, skts\n"
        "y = np.arange(30.0)\n"
        "skts.forecasting.NaiveSeasonal(season_length=7).fit(np.empty((30, 0)), y).predict(np.empty((3, 0)))\n"
        "skts.neural, skts.datasets, skts.metrics, skts.windowing, skts.preprocessing"
    )
    loaded = _modules_after(code)
    assert not loaded & {"tensorflow", "keras", "matplotlib"}


def test_public_names_resolve():
    import skts

    for name in skts.__all__:
        assert getattr(skts, name) is not None


def test_each_public_name_has_one_path_and_old_shortcuts_name_it():
    import skts

    assert skts.__all__ == sorted(skts._SUBPACKAGES)
    with pytest.raises(AttributeError, match=r"skts.SARIMAEstimator: import it from skts.forecasting"):
        skts.SARIMAEstimator  # noqa: B018
    assert not hasattr(skts, "backtest")
    with pytest.raises(ImportError, match=r"skts.backtest: import it from skts.model_selection"):
        from skts import backtest  # noqa: F401

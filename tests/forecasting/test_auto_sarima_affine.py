"""AutoSARIMA does not depend on the units or origin of y: a * y + b gives the same model, forecasts a * f + b."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skts.forecasting import AutoSARIMA

SCALES = [1e-12, 1e-5, 1e-3, 1.0, 1e3, 1e12]
SHIFTS = [0.0, 1e6]
BOUNDS = dict(max_p=1, max_q=1, max_P=1, max_Q=1)
H = 8


def _real_series():
    """Short real series that ship with statsmodels: name, values, season_length."""
    import statsmodels.api as sm

    macro = sm.datasets.macrodata.load_pandas().data
    elnino = sm.datasets.elnino.load_pandas().data.iloc[:, 1:].to_numpy().ravel()
    return {
        "nile": (sm.datasets.nile.load_pandas().data["volume"].to_numpy()[-48:], 1),
        "sunspots": (sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()[-48:], 1),
        "us unemployment": (macro["unemp"].to_numpy()[-48:], 4),
        "us inflation": (macro["infl"].to_numpy()[-40:], 4),
        "el nino": (elnino[-48:], 12),
    }


SERIES = _real_series()


def _outputs(model):
    future = np.empty((H, 0))
    intervals = model.predict_interval(future, coverage=[0.5, 0.9]).to_numpy()
    return (model.order_, model.seasonal_order_, model.trend_), model.predict(future), intervals


@pytest.mark.parametrize("name", list(SERIES))
def test_affine_copies_choose_the_same_model_and_forecast_its_image(name):
    y, m = SERIES[name]
    orders, forecasts, intervals = _outputs(AutoSARIMA(season_length=m, **BOUNDS).fit(None, y))
    for a in SCALES:
        for b in SHIFTS:
            if (a, b) == (1.0, 0.0):
                continue  # y itself
            copy = a * y + b
            chosen, copy_forecasts, copy_intervals = _outputs(AutoSARIMA(season_length=m, **BOUNDS).fit(None, copy))
            assert_allclose(copy_forecasts, a * forecasts + b, rtol=1e-6, err_msg=f"a={a}, b={b}")
            assert_allclose(copy_intervals, a * intervals + b, rtol=1e-6, err_msg=f"a={a}, b={b}")
            # Steps of float64 at b + a * y, in standard deviations of a * y.
            resolution = np.spacing(b + a * np.abs(y).max()) / (a * y.std())
            if resolution < 1e-3:
                assert chosen == orders, f"a={a}, b={b}"
            else:
                # Ill-posed: float64 cannot hold 1e6 + 1e-12 * y to better than
                # 1.2e-10, about one standard deviation of 1e-12 * y, so the copy
                # is a different (rounded) series; only its forecasts, which b
                # dominates, can match.
                assert (a, b) == (1e-12, 1e6) and resolution > 0.5


@pytest.mark.parametrize("a", [1e-300, 1e-200, 1e200, 1e300])
def test_scales_whose_squares_leave_float64_choose_the_same_model_and_forecast_its_image(a):
    # The variance of 1e-200 * y underflows to 0 and that of 1e200 * y
    # overflows to inf: a standardisation computed in those units would see
    # a constant, or no finite number at all.
    y, m = SERIES["us unemployment"]
    orders, forecasts, intervals = _outputs(AutoSARIMA(season_length=m, **BOUNDS).fit(None, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        chosen, copy_forecasts, copy_intervals = _outputs(AutoSARIMA(season_length=m, **BOUNDS).fit(None, a * y))
    assert chosen == orders
    assert_allclose(copy_forecasts, a * forecasts, rtol=1e-6)
    assert_allclose(copy_intervals, a * intervals, rtol=1e-6)

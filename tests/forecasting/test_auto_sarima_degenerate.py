"""AutoSARIMA on deterministic and near-deterministic histories: the forecast a person would write down."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skts.forecasting import AutoSARIMA

WEEK = np.array([5.0, 3, 4, 6, 9, 12, 8])
QUARTERS = np.array([10.0, -4, 3, -9])
MONTHS = np.array([3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])
T = np.arange(200.0)


def _line(start, slope, n):
    return start + slope * T[:n]


def _pattern(pattern, start, n):
    """``pattern`` repeated, from position ``start`` for ``n`` steps."""
    return np.resize(pattern, start + n)[start:]


# name: (history, season_length, its forecast of the next h steps as a function of h).
DETERMINISTIC = {
    "constant": (np.full(40, 5.0), 1, lambda h: np.full(h, 5.0)),
    "constant, season_length=12": (np.full(40, 5.0), 12, lambda h: np.full(h, 5.0)),
    "negative constant": (np.full(30, -3e6), 1, lambda h: np.full(h, -3e6)),
    "all zeros": (np.zeros(30), 1, lambda h: np.zeros(h)),
    "all zeros, season_length=7": (np.zeros(30), 7, lambda h: np.zeros(h)),
    "exact line": (_line(3, 2, 50), 1, lambda h: _line(3, 2, 50 + h)[50:]),
    "exact line, season_length=12": (_line(3, 2, 50), 12, lambda h: _line(3, 2, 50 + h)[50:]),
    "level plus fixed season": (100 + _pattern(QUARTERS, 0, 40), 4, lambda h: 100 + _pattern(QUARTERS, 40, h)),
    "exactly repeating week": (_pattern(WEEK, 0, 56), 7, lambda h: _pattern(WEEK, 56, h)),
    "large level plus week": (1e9 + _pattern(WEEK, 0, 42), 7, lambda h: 1e9 + _pattern(WEEK, 42, h)),
    "line plus fixed season": (
        _line(0, 0.5, 60) + _pattern(MONTHS, 0, 60),
        12,
        lambda h: _line(0, 0.5, 60 + h)[60:] + _pattern(MONTHS, 60, h),
    ),
    "season shorter than two seasons": (_pattern(MONTHS, 0, 18), 12, lambda h: _pattern(MONTHS, 18, h)),
    "constant shorter than a season": (np.full(10, 7.0), 12, lambda h: np.full(h, 7.0)),
    "line shorter than two seasons": (_line(1, 0.3, 15), 12, lambda h: _line(1, 0.3, 15 + h)[15:]),
    "quadratic": (0.1 * T[:30] ** 2, 1, lambda h: 0.1 * T[30 : 30 + h] ** 2),
}

# Near-deterministic: the same histories plus Gaussian noise of this size
# relative to their largest absolute value.
NOISY = [
    ("constant", 1e-6),
    ("all zeros, season_length=7", 1e-9),
    ("exact line", 1e-9),
    ("exact line", 1e-6),
    ("exactly repeating week", 1e-6),
    ("line plus fixed season", 1e-9),
    ("season shorter than two seasons", 1e-6),
    ("line shorter than two seasons", 1e-9),
]

H = 10


@pytest.mark.parametrize("name", list(DETERMINISTIC))
def test_deterministic_history_is_an_exact_fit_forecast_exactly(name):
    y, m, expected = DETERMINISTIC[name]
    model = AutoSARIMA(season_length=m).fit(None, y)
    scale = max(np.abs(y).max(), 1.0)
    assert_allclose(model.predict(np.empty((H, 0))), expected(H), rtol=0, atol=1e-9 * scale)
    # The rule that chose it, on record: one exact model, no failed candidates.
    assert model.search_results_["status"].tolist() == ["exact fit"]
    assert model.criterion_ == -np.inf and model.n_failed_ == 0
    # Zero innovation variance: intervals as narrow as the rounding.
    interval = model.predict_interval(np.empty((H, 0)), coverage=0.9)
    assert_allclose(interval["lower"], interval["upper"], rtol=0, atol=1e-6 * scale)


@pytest.mark.parametrize("name, relative_noise", NOISY, ids=[f"{n}, {r:g}" for n, r in NOISY])
def test_near_deterministic_history_is_forecast_within_its_noise(name, relative_noise):
    y, m, expected = DETERMINISTIC[name]
    scale = max(np.abs(y).max(), 1.0)
    noisy = y + np.random.default_rng(0).normal(scale=relative_noise * scale, size=len(y))
    model = AutoSARIMA(season_length=m).fit(None, noisy)
    # Measured: errors within 3 noise standard deviations at 1e-6; at 1e-9,
    # up to 1.5e-7 of the level (the optimiser's tolerance, not the noise).
    assert_allclose(model.predict(np.empty((H, 0))), expected(H), rtol=0, atol=(10 * relative_noise + 1e-6) * scale)
    assert model.n_failed_ < model.n_candidates_


def test_history_that_stopped_forecasts_its_last_value():
    # A discontinued product: five seasonal years of sales, then three of zeros.
    rng = np.random.default_rng(0)
    sales = np.r_[50 + 10 * _pattern(MONTHS, 0, 60) + rng.normal(scale=3, size=60), np.zeros(36)]
    model = AutoSARIMA(season_length=12).fit(None, sales)
    assert_allclose(model.predict(np.empty((24, 0))), 0.0, atol=1e-9)
    assert model.search_results_["status"].tolist() == ["constant end"]
    assert (model.order_, model.trend_) == ((0, 1, 0), "n")
    assert np.isfinite(model.criterion_)
    # One season of zeros is not enough to stop: the search runs.
    short_stop = AutoSARIMA(season_length=12, max_p=1, max_q=1, max_P=1, max_Q=1).fit(None, sales[:72])
    assert "constant end" not in short_stop.search_results_["status"]


def test_exact_fit_updates_and_rolls_like_its_model():
    y, m, expected = DETERMINISTIC["line plus fixed season"]
    model = AutoSARIMA(season_length=m).fit(None, y[:48])
    rolling = model.predict_rolling(None, y[48:], horizon=3)
    assert_allclose(rolling, [y[48 + i : 51 + i] for i in range(10)], rtol=1e-12)
    quantiles = model.predict_rolling_quantiles(None, y[48:], horizon=3, quantiles=[0.1, 0.9])
    assert_allclose(quantiles, np.repeat(rolling[..., None], 2, axis=-1), rtol=1e-12)
    model.update(None, y[48:])
    assert_allclose(model.predict(np.empty((H, 0))), expected(H), rtol=1e-12)


@pytest.mark.parametrize("scale", [1e-12, 1e-5, 1.0, 1e12])
def test_forecasts_of_a_series_with_a_level_do_not_decay_to_zero(scale):
    # AR(1) with mean 10: far ahead, the forecasts approach the level, not 0.
    rng = np.random.default_rng(1)
    x = np.zeros(150)
    for t in range(1, 150):
        x[t] = 0.5 * x[t - 1] + rng.normal()
    y = scale * (10 + x)
    model = AutoSARIMA(max_p=2, max_q=2).fit(None, y)
    far = model.predict(np.empty((60, 0)))
    assert model.trend_ == "c"
    assert np.all((far > y.min()) & (far < y.max()))
    assert far[-1] == pytest.approx(y.mean(), rel=0.05)


def test_verbose_ends_with_one_summary_line(capsys):
    rng = np.random.default_rng(0)
    y = 10 + rng.normal(size=60)
    model = AutoSARIMA(max_p=1, max_q=1, verbose=1).fit(None, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == model.n_candidates_ + 1
    summary = lines[-1]
    assert summary.startswith("AutoSARIMA chose SARIMA(")
    assert f"aicc={model.criterion_:.3f}" in summary
    assert f"{model.n_candidates_} candidate(s) fitted, {model.n_failed_} failed" in summary
    assert summary.endswith(" s")
    AutoSARIMA(verbose=1).fit(None, np.full(20, 3.0))
    out = capsys.readouterr().out
    assert "an exact fit (zero innovation variance)" in out and "(exact fit)" in out.splitlines()[-1]


def test_positional_arguments_are_refused():
    with pytest.raises(TypeError):
        AutoSARIMA(7)
    assert pd.DataFrame(AutoSARIMA().fit(None, np.full(20, 1.0)).search_results_).shape == (1, 13)

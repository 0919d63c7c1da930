"""Bad and unusual input across the public estimators, in one table.

Each row is ``(id, call, expected)``: ``call`` runs the input, ``expected``
is either ``(exception type, words the message must contain)`` or a
function that checks the returned value. Statistical forecasters share the
forecaster rows; neural rows only reach validation (no training), so the
table stays fast.
"""

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error

from skts.forecasting import NaiveSeasonal, ReductionForecaster, SARIMAEstimator
from skts.neural import RNNForecaster, WaveNetForecaster
from skts.preprocessing import Differencer
from skts.windowing import SlidingWindow
from skts.datasets import load_ridership
from skts.metrics import mean_absolute_scaled_error
from skts.model_selection import backtest
from skts.neural import RNNRegressor, WaveNetRegressor

N = 42
VALUES = 10.0 + np.sin(np.arange(N) * 2 * np.pi / 7) + 0.01 * np.arange(N)
DAYS = pd.date_range("2021-01-04", periods=N, freq="D")
Y = pd.Series(VALUES, index=DAYS, name="riders")
XE = pd.DataFrame(index=DAYS)
NONE = np.empty((N, 0))

FORECASTERS = {
    "naive": lambda: NaiveSeasonal(season_length=7),
    "sarima": lambda: SARIMAEstimator(p=1, season_length=7, D=1),
    "reduction": lambda: ReductionForecaster(LinearRegression(), seq_length=7),
}


def _fitted(name, y=Y, X=None):
    return FORECASTERS[name]().fit(XE if X is None else X, y)


def _future(start, periods, freq="D", tz=None):
    return pd.DataFrame(index=pd.date_range(start, periods=periods, freq=freq, tz=tz))


def _with(series, **changes):
    values = series.copy()
    for position, value in changes.items():
        values.iloc[int(position[1:])] = value
    return values


def _raises(exc, *words):
    return (exc, words)


def _close_to(expected):
    def check(value):
        assert_allclose(np.asarray(value, dtype=float), expected(), rtol=1e-10)

    return check


# The Kalman filter skips missing observations; the others need them imputed.
SKIPS_NAN = {"sarima"}


def _finite(value):
    assert np.isfinite(value).all()


def _forecaster_rows(name):
    """Rows every statistical forecaster must pass."""
    make = FORECASTERS[name]
    fitted = lambda: _fitted(name)  # noqa: E731
    gap = Y.drop(Y.index[10:15])
    rows = [
        ("y None", lambda: make().fit(XE, None), _raises(ValueError, "y", "None")),
        (
            "NaN inside y",
            lambda: make().fit(XE, _with(Y, r20=np.nan)).predict(_future("2021-02-15", 3)),
            _finite if name in SKIPS_NAN else _raises(ValueError, "NaN", "impute"),
        ),
        ("inf in y", lambda: make().fit(XE, _with(Y, r20=np.inf)), _raises(ValueError, "inf")),
        (
            "text y",
            lambda: make().fit(XE, pd.Series(["a"] * N, index=DAYS)),
            _raises(ValueError, "non-numeric", "Encode"),
        ),
        (
            "durations as y (NumPy)",
            lambda: make().fit(XE, np.arange(N).astype("timedelta64[h]")),
            _raises(ValueError, "durations", "pd.Timedelta"),
        ),
        (
            "durations as y (pandas)",
            lambda: make().fit(XE, pd.Series(pd.to_timedelta(np.arange(N), unit="h"), index=DAYS)),
            _raises(ValueError, "durations", "pd.Timedelta"),
        ),
        (
            "numbers stored as text",
            lambda: make().fit(XE, Y.astype(str)),
            _raises(ValueError, "stored as text", "to_numeric"),
        ),
        (
            "object-dtype numbers are converted",
            lambda: make().fit(XE, Y.astype(object)).predict(_future("2021-02-15", 3)),
            _close_to(lambda: _fitted(name).predict(_future("2021-02-15", 3))),
        ),
        (
            "duplicate timestamps",
            lambda: make().fit(None, pd.Series(VALUES, index=DAYS.insert(5, DAYS[5])[:N])),
            _raises(ValueError, "duplicate"),
        ),
        ("unsorted", lambda: make().fit(None, Y.iloc[::-1]), _raises(ValueError, "not sorted", "sort_index")),
        (
            "string labels",
            lambda: make().fit(None, pd.Series(VALUES, index=[f"Jan {1980 + i}" for i in range(N)])),
            _raises(ValueError, "PeriodIndex", "to_datetime"),
        ),
        ("float labels", lambda: make().fit(None, pd.Series(VALUES, index=np.arange(N) + 0.5)), _raises(ValueError, "time steps")),
        ("KFold-like hole in dates", lambda: make().fit(None, gap), _raises(ValueError, "TimeSeriesSplit")),
        (
            "hole in integer labels",
            lambda: make().fit(None, pd.Series(VALUES).drop(range(10, 15))),
            _raises(ValueError, "not contiguous", "TimeSeriesSplit"),
        ),
        (
            "hole in periods",
            lambda: make().fit(None, pd.Series(VALUES, index=pd.period_range("2000-01", periods=N, freq="M")).drop(pd.Period("2001-01", "M"))),
            _raises(ValueError, "not contiguous"),
        ),
        (
            "X and y on different indexes",
            lambda: make().fit(pd.DataFrame(index=pd.RangeIndex(N)), Y),
            _raises(ValueError, "different indexes", "index=y.index"),
        ),
        (
            "X labelled with fewer rows than y",
            lambda: make().fit(XE.iloc[: N - 2], Y),
            _raises(ValueError, f"X: {N - 2} rows", f"y: {N} rows", "index=y.index"),
        ),
        ("X and y lengths differ", lambda: make().fit(np.empty((N - 1, 0)), VALUES), _raises(ValueError, "same time steps")),
        (
            "text covariate",
            lambda: make().fit(XE.assign(day=["W"] * N), Y),
            _raises(ValueError, "non-numeric", "day"),
        ),
        ("predict before fit", lambda: make().predict(_future("2021-02-15", 3)), _raises(NotFittedError)),
        ("predict inside history", lambda: fitted().predict(XE.iloc[-3:]), _raises(ValueError, "at or before the end", "update")),
        (
            "predict a default RangeIndex frame on dated history",
            lambda: fitted().predict(pd.DataFrame(np.empty((3, 0)))),
            _raises(ValueError, "integer index", "DatetimeIndex"),
        ),
        ("predict with extra covariates", lambda: fitted().predict(np.ones((3, 2))), _raises(ValueError, "features")),
        ("predict None", lambda: fitted().predict(None), _raises(ValueError, "forecast(horizon)")),
        (
            "naive X on tz-aware history",
            lambda: _fitted(name, Y.tz_localize("UTC"), pd.DataFrame(index=DAYS.tz_localize("UTC"))).predict(
                _future("2021-02-15", 2)
            ),
            _raises(ValueError, "time-zone", "tz_localize"),
        ),
        (
            "other time zone aligns by instant",
            lambda: _fitted(name, Y.tz_localize("UTC"), pd.DataFrame(index=DAYS.tz_localize("UTC"))).predict(
                _future("2021-02-15 01:00", 3, tz="Europe/Paris")
            ),
            _close_to(lambda: _fitted(name).predict(_future("2021-02-15", 3))),
        ),
        (
            "periods on a dated history",
            lambda: fitted().predict(pd.DataFrame(index=pd.period_range("2021-02-15", periods=2, freq="D"))),
            _raises(ValueError, "PeriodIndex", "DatetimeIndex"),
        ),
        ("off-grid timestamp", lambda: fitted().predict(_future("2021-02-15 12:00", 2)), _raises(ValueError, "time grid")),
        (
            "gap after the history is aligned by label",
            lambda: fitted().predict(_future("2021-02-18", 2)),
            _close_to(lambda: _fitted(name).predict(_future("2021-02-15", 5))[3:]),
        ),
        (
            "integer labels are time steps",
            lambda: make().fit(None, pd.Series(VALUES)).predict(pd.DataFrame(index=[N + 2, N + 3])),
            _close_to(lambda: make().fit(None, VALUES).predict(np.empty((4, 0)))[2:]),
        ),
        ("fit(None, y) is no covariates", lambda: make().fit(None, Y).predict(_future("2021-02-15", 3)), _close_to(lambda: _fitted(name).predict(_future("2021-02-15", 3)))),
        ("update not following", lambda: fitted().update(_future("2021-02-16", 2), Y.iloc[:2].set_axis(_future("2021-02-16", 2).index)), _raises(ValueError, "immediately follow")),
        (
            "update with NaN",
            lambda: fitted().update(np.empty((2, 0)), np.array([1.0, np.nan])).predict(np.empty((2, 0))),
            _finite if name in SKIPS_NAN else _raises(ValueError, "NaN", "impute"),
        ),
        ("update with two targets", lambda: fitted().update(np.empty((2, 0)), np.ones((2, 2))), _raises(ValueError, "target")),
        ("forecast horizon 0", lambda: fitted().forecast(0), _raises(ValueError, "horizon", "positive")),
        ("forecast X labelled later", lambda: fitted().forecast(3, X=_future("2021-02-20", 3)), _raises(ValueError, "next 3 steps", "predict(X)")),
        ("forecast X of the wrong length", lambda: fitted().forecast(3, X=np.empty((2, 0))), _raises(ValueError, "one row per step")),
        (
            "forecast labels its steps",
            lambda: fitted().forecast(3).index,
            lambda index: assert_array_equal(index, pd.date_range("2021-02-15", periods=3, freq="D")),
        ),
        ("rolling with too few rows", lambda: fitted().predict_rolling(None, Y.iloc[:2].set_axis(_future("2021-02-15", 2).index), horizon=3), _raises(ValueError, "fewer than horizon")),
        ("rolling stride 0", lambda: fitted().predict_rolling(None, np.ones(3), stride=0), _raises(ValueError, "stride", "positive")),
    ]
    return [(f"{name}: {row_id}", call, expected) for row_id, call, expected in rows]


def _caller_data_edited_after_fit(make):
    """Forecasts before and after the caller edits its arrays in place."""
    y = VALUES.copy()
    X = np.empty((N, 0))
    model = make().fit(X, y)
    before = model.predict(np.empty((5, 0)))
    y[-10:] = 1e6
    return before, model.predict(np.empty((5, 0)))


def _differenced_ttr():
    model = TransformedTargetRegressor(
        regressor=NaiveSeasonal(season_length=7), transformer=Differencer(lag=1), check_inverse=False
    )
    return model.fit(XE, Y)


def _cached_ridership(tmp_path, edit):
    """A loader on a copy of the shared ridership file, edited by ``edit``."""
    csv = Path(os.environ["SKTS_DATA_HOME"]).resolve() / "ridership" / "CTA_-_Ridership_-_Daily_Boarding_Totals.csv"
    target = tmp_path / "ridership" / csv.name
    target.parent.mkdir(parents=True)
    shutil.copy(csv, target)
    edit(target)
    return lambda: load_ridership(data_home=tmp_path, download_if_missing=False)


SPECIFIC_ROWS = [
    ("naive season_length 0", lambda: NaiveSeasonal(season_length=0).fit(None, VALUES), _raises(ValueError, "season_length")),
    ("naive shorter than a season", lambda: NaiveSeasonal(season_length=50).fit(None, VALUES), _raises(ValueError, "full season")),
    ("naive is keyword-only", lambda: NaiveSeasonal(7), _raises(TypeError, "positional")),
    ("sarima seasonal without season_length", lambda: SARIMAEstimator(P=1).fit(None, VALUES), _raises(ValueError, "season_length")),
    ("sarima method in fit_kwargs", lambda: SARIMAEstimator(fit_kwargs={"method": "css"}).fit(None, VALUES), _raises(ValueError, "state-space")),
    ("sarima maxiter in fit_kwargs", lambda: SARIMAEstimator(fit_kwargs={"method_kwargs": {"maxiter": 3}}).fit(None, VALUES), _raises(ValueError, "maxiter parameter")),
    ("sarima two targets", lambda: SARIMAEstimator().fit(None, np.ones((N, 2))), _raises(ValueError, "MultiOutputRegressor")),
    ("sarima too short", lambda: SARIMAEstimator(D=1, season_length=30).fit(None, VALUES[:20]), _raises(ValueError, "sample")),
    (
        "sarima concentrated scale with nothing else to estimate",
        lambda: SARIMAEstimator(p=0, d=1, concentrate_scale=True).fit(None, VALUES),
        _raises(ValueError, "nothing left to estimate", "concentrate_scale=False"),
    ),
    (
        "sarima low_memory point forecasts",
        lambda: SARIMAEstimator(fit_kwargs={"low_memory": True}).fit(None, VALUES).predict(np.empty((3, 0))),
        _close_to(lambda: SARIMAEstimator().fit(None, VALUES).predict(np.empty((3, 0)))),
    ),
    (
        "sarima low_memory update",
        lambda: SARIMAEstimator(fit_kwargs={"low_memory": True}).fit(None, VALUES).update(None, [1.0]).predict(np.empty((3, 0))),
        _close_to(lambda: SARIMAEstimator().fit(None, VALUES).update(None, [1.0]).predict(np.empty((3, 0)))),
    ),
    (
        "sarima low_memory interval",
        lambda: SARIMAEstimator(fit_kwargs={"low_memory": True}).fit(None, VALUES).predict_interval(np.empty((3, 0))),
        _close_to(lambda: SARIMAEstimator().fit(None, VALUES).predict_interval(np.empty((3, 0)))),
    ),
    (
        "sarima low_memory backtest",
        lambda: backtest(SARIMAEstimator(fit_kwargs={"low_memory": True}), None, VALUES, start=30)["forecast"],
        _close_to(lambda: backtest(SARIMAEstimator(), None, VALUES, start=30)["forecast"]),
    ),
    ("sarima unknown trend", lambda: SARIMAEstimator(trend="x").fit(None, VALUES), _raises(ValueError, "trend")),
    ("reduction window too long", lambda: ReductionForecaster(LinearRegression(), seq_length=50).fit(None, VALUES), _raises(ValueError, "seq_length")),
    ("reduction without a regressor", lambda: ReductionForecaster(None, seq_length=3).fit(None, VALUES), _raises(ValueError, "regressor")),
    ("reduction unknown strategy", lambda: ReductionForecaster(LinearRegression(), seq_length=3, strategy="x").fit(None, VALUES), _raises(ValueError, "strategy")),
    (
        "reduction single-output regressor on two targets",
        lambda: ReductionForecaster(__import__("sklearn.svm", fromlist=["SVR"]).SVR(), seq_length=3).fit(None, np.ones((N, 2))),
        _raises(ValueError, "MultiOutputRegressor"),
    ),
    ("rnn units 0", lambda: RNNForecaster(units=0).fit(None, VALUES), _raises(ValueError, "units")),
    ("rnn unknown cell", lambda: RNNForecaster(cell="transformer").fit(None, VALUES), _raises(ValueError, "cell")),
    ("rnn history shorter than a window", lambda: RNNForecaster(seq_length=56).fit(None, VALUES), _raises(ValueError, "seq_length")),
    ("rnn text y", lambda: RNNForecaster(seq_length=3).fit(None, np.array(["a"] * N)), _raises(ValueError, "non-numeric")),
    ("wavenet empty dilations", lambda: WaveNetForecaster(dilations=(), seq_length=3, epochs=1).fit(None, VALUES), _raises(ValueError, "dilations")),
    ("wavenet negative filters", lambda: WaveNetForecaster(filters=-1).fit(None, VALUES), _raises(ValueError, "filters")),
    ("rnn regressor text y", lambda: RNNRegressor().fit(np.ones((8, 3, 1)), np.array(["a"] * 8)), _raises(ValueError, "numeric")),
    ("rnn regressor 4-D X", lambda: RNNRegressor().fit(np.ones((8, 3, 1, 1)), np.ones(8)), _raises(ValueError, "3-D")),
    ("wavenet regressor NaN X", lambda: WaveNetRegressor().fit(np.full((8, 3), np.nan), np.ones(8)), _raises(ValueError, "NaN")),
    ("differencer lag 0", lambda: Differencer(lag=0).fit(VALUES[:, None]), _raises(ValueError, "lag")),
    ("differencer inverse before fit", lambda: Differencer().inverse_transform(VALUES[:, None]), _raises(NotFittedError)),
    ("differencer text column", lambda: Differencer().fit(pd.DataFrame({"a": ["x"] * N})), _raises(ValueError, "non-numeric")),
    ("sliding window length 0", lambda: SlidingWindow(seq_length=0).fit(VALUES[:, None]), _raises(ValueError, "seq_length")),
    (
        "differenced TransformedTargetRegressor after a gap",
        lambda: _differenced_ttr().predict(_future("2021-02-18", 2)),
        _raises(ValueError, "TransformedTargetForecaster", "gap"),
    ),
    (
        "differenced TransformedTargetRegressor right after the history",
        lambda: _differenced_ttr().predict(_future("2021-02-15", 3)),
        _close_to(lambda: VALUES[-1] + np.cumsum(np.diff(VALUES)[-7:][:3])),
    ),
    ("backtest start 0", lambda: backtest(NaiveSeasonal(), None, VALUES, start=0), _raises(ValueError, "no history")),
    ("backtest start after the end", lambda: backtest(NaiveSeasonal(), None, VALUES, start=N), _raises(ValueError, "after the end")),
    ("backtest horizon 0", lambda: backtest(NaiveSeasonal(), None, VALUES, start=30, horizon=0), _raises(ValueError, "horizon")),
    ("backtest refit -1", lambda: backtest(NaiveSeasonal(), None, VALUES, start=30, refit=-1), _raises(ValueError, "refit")),
    ("backtest unknown metric", lambda: backtest(NaiveSeasonal(), None, VALUES, start=30, metrics=["r3"]), _raises(ValueError, "Unknown metric")),
    ("backtest y None", lambda: backtest(NaiveSeasonal(), None, None, start=30), _raises(ValueError, "requires y")),
    ("backtest X rows differ", lambda: backtest(NaiveSeasonal(), np.empty((N - 1, 0)), VALUES, start=30), _raises(ValueError, "same time steps")),
    ("backtest NaN after start", lambda: backtest(NaiveSeasonal(), None, _with(Y, r35=np.nan), start=30), _raises(ValueError, "inside the backtest period")),
    ("backtest date start on positional y", lambda: backtest(NaiveSeasonal(), None, VALUES, start="2021-02-01"), _raises(ValueError, "position")),
    ("backtest horizon past the end", lambda: backtest(NaiveSeasonal(), None, VALUES, start=40, horizon=5), _raises(ValueError, "full horizon")),
    (
        "backtest without update and refit=False",
        lambda: backtest(TransformedTargetRegressor(regressor=NaiveSeasonal(), func=np.log, inverse_func=np.exp), None, Y, start=30),
        _raises(ValueError, "update", "TransformedTargetForecaster"),
    ),
    ("backtest int start not a label", lambda: backtest(NaiveSeasonal(), None, pd.Series(VALUES, index=np.arange(N) + 100), start=5), _raises(ValueError, "not a label")),
    (
        "backtest int start is a label on integer-indexed y",
        lambda: backtest(NaiveSeasonal(), None, pd.Series(VALUES, index=np.arange(N) + 100), start=130).forecast,
        _close_to(lambda: backtest(NaiveSeasonal(), None, VALUES, start=30).forecast),
    ),
    ("backtest aware start on naive index", lambda: backtest(NaiveSeasonal(), None, Y, start=pd.Timestamp("2021-02-01", tz="UTC")), _raises(ValueError, "time zone")),
    ("backtest string labels", lambda: backtest(NaiveSeasonal(), None, pd.Series(VALUES, index=[str(i) for i in range(N)]), start=30), _raises(ValueError, "PeriodIndex")),
    ("mae with NaN", lambda: mean_absolute_error([1.0, np.nan], [1.0, 2.0]), _raises(ValueError, "NaN")),
    ("mase with a constant history", lambda: mean_absolute_scaled_error([1.0], [2.0], y_train=[3.0, 3.0, 3.0]), _raises(ValueError, "divide by 0", "mean_absolute_error")),
]

# Tiny networks (a few parameters, one or two epochs): these rows train.
TINY_RNN = dict(cell="simple", units=2, seq_length=3, epochs=1, random_state=0)
DIVERGING = dict(optimizer="sgd", learning_rate=1e30, loss="mse", seq_length=3, epochs=2, random_state=0)


def _flat_dense(n_features, seq_length, n_outputs):
    import keras

    return keras.Sequential([keras.Input((seq_length, n_features)), keras.layers.Flatten(), keras.layers.Dense(n_outputs)])


def _dense_per_step(n_features, seq_length, n_outputs):
    import keras

    # Ends on the sequence, (batch, steps, 1): the last axis alone looks right.
    return keras.Sequential([keras.Input((seq_length, n_features)), keras.layers.Dense(n_outputs)])


def _subclassed_model():
    import keras

    class Sub(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.flat = keras.layers.Flatten()
            self.dense = keras.layers.Dense(1)

        def call(self, windows):
            return self.dense(self.flat(windows))

    return Sub()


def _younger_series_offsets():
    """A global model's scaling of an older series fitted beside a younger one (leading NaN)."""
    y = pd.DataFrame({"old": VALUES, "young": VALUES[::-1].copy()}, index=DAYS)
    y.iloc[:20, 1] = np.nan
    forecaster = RNNForecaster(global_model=True, **TINY_RNN).fit(None, y)
    assert np.isfinite(forecaster.predict(_future("2021-02-15", 2))).all()
    return forecaster.y_offset_


def _warnings_of(call):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(warning.message) for warning in caught]


def _sktime_theta(**params):
    import warnings

    from sktime.forecasting.theta import ThetaForecaster

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The default of config", FutureWarning)
        return ThetaForecaster(sp=7, **params)


def _theta_updated_and_refitted():
    from skts.interop import SktimeForecaster

    updated = SktimeForecaster(_sktime_theta(), update_params=True).fit(None, VALUES[:30])
    updated.update(None, VALUES[30:])
    refitted = SktimeForecaster(_sktime_theta()).fit(None, VALUES)
    return updated.predict(NONE[:3]), refitted.predict(NONE[:3])


def _to_sktime_filters_kept():
    import warnings

    from skts.interop import to_sktime

    y = pd.Series(VALUES, index=pd.period_range("2021-01-04", periods=N, freq="D"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        before = list(warnings.filters)
        forecaster = to_sktime(NaiveSeasonal(season_length=7)).fit(y)
        forecaster.predict(fh=[1, 2])
        return before, list(warnings.filters)


def _to_sktime_conformal_interval():
    from skts.forecasting import ConformalForecaster
    from skts.interop import to_sktime

    forecaster = to_sktime(ConformalForecaster(NaiveSeasonal(season_length=7))).fit(pd.Series(VALUES))
    return forecaster.predict_interval(fh=[1], coverage=0.8)


def _to_sktime(estimator):
    from skts.interop import to_sktime

    return to_sktime(estimator)


def _keras_forecaster(*args, **kwargs):
    from skts.neural import KerasForecaster

    return KerasForecaster(*args, **kwargs)


SPECIFIC_ROWS += [
    (
        "global model: a younger series does not cut the older one's history",
        _younger_series_offsets,
        lambda offsets: assert_allclose(offsets, [VALUES.mean(), VALUES[::-1][20:].mean()], rtol=1e-10),
    ),
    ("rnn training that diverges", lambda: RNNForecaster(cell="simple", units=2, **DIVERGING).fit(None, VALUES), _raises(FloatingPointError, "diverged", "learning_rate")),
    ("keras training that diverges", lambda: _keras_forecaster(_flat_dense, **DIVERGING).fit(None, VALUES), _raises(FloatingPointError, "diverged", "learning_rate")),
    (
        "rnn scaler=None on data around 1e12",
        lambda: _warnings_of(lambda: RNNForecaster(scaler=None, **TINY_RNN).fit(None, 1e12 + VALUES)),
        lambda messages: assert_array_equal(["scaler='standard'" in message for message in messages], [True]),
    ),
    ("keras builder returning (batch, steps, 1)", lambda: _keras_forecaster(_dense_per_step, seq_length=3, epochs=1).fit(None, VALUES), _raises(ValueError, "(None, 3, 1)", "sequence_to_sequence")),
    ("keras subclassed model", lambda: _keras_forecaster(_subclassed_model(), seq_length=3, epochs=1, random_state=0).fit(None, VALUES).predict(NONE[:2]), _finite),
    ("rnn regressor timedelta y", lambda: RNNRegressor().fit(np.ones((8, 3)), np.arange(8).astype("timedelta64[h]")), _raises(ValueError, "durations", "np.timedelta64")),
    ("sktime theta update_params=True updates the level", _theta_updated_and_refitted, lambda pair: assert_allclose(pair[0], pair[1], rtol=1e-10)),
    ("to_sktime predict keeps the caller's warning filters", _to_sktime_filters_kept, lambda pair: assert_array_equal(pair[0] == pair[1], True)),
    ("to_sktime conformal predict_interval", _to_sktime_conformal_interval, lambda frame: _finite(frame.to_numpy())),
    ("to_sktime plain regressor", lambda: _to_sktime(LinearRegression()), _raises(TypeError, "ReductionForecaster")),
]

for _name in FORECASTERS:
    SPECIFIC_ROWS.append(
        (
            f"{_name}: editing the caller's data after fit changes no forecast",
            (lambda make: lambda: _caller_data_edited_after_fit(make))(FORECASTERS[_name]),
            lambda pair: assert_array_equal(pair[0], pair[1]),
        )
    )

ROWS = [row for name in FORECASTERS for row in _forecaster_rows(name)] + SPECIFIC_ROWS


def test_the_table_has_at_least_80_rows():
    assert len(ROWS) >= 80


@pytest.mark.parametrize("row_id, call, expected", ROWS, ids=[row[0] for row in ROWS])
def test_bad_input(row_id, call, expected):
    if callable(expected):
        expected(call())
        return
    exc, words = expected
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda path: path.write_text(path.read_text()[: len(path.read_text()) // 2]), "truncated"),
        (lambda path: path.write_text(path.read_text().replace("rail_boardings", "rail")), "wrong columns"),
        (
            lambda path: path.write_text("\n".join(line for i, line in enumerate(path.read_text().splitlines()) if i != 100)),
            "missing days",
        ),
    ],
    ids=["truncated", "renamed column", "missing day"],
)
def test_bad_cached_ridership_file_names_the_file_and_the_fix(tmp_path, edit, words):
    load = _cached_ridership(tmp_path, edit)
    with pytest.raises(ValueError) as info:
        load()
    message = str(info.value)
    assert str(tmp_path) in message and "Delete it" in message and words in message

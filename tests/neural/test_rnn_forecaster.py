"""RNNForecaster: architectures, windows, scaling, persistence, batched backtests."""

import io
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skts.neural import RNNForecaster
from skts.neural._window_training import _scaling
from skts.windowing import make_supervised

N_STEPS = 90
TINY = dict(units=3, seq_length=8, epochs=1, batch_size=16, random_state=0)


def _series(n=N_STEPS, n_targets=1, n_features=0, seed=0):
    """Weekly-seasonal series on a daily index with day-of-week style covariates."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    index = pd.date_range("2020-01-01", periods=n, freq="D", name="date")
    columns = {
        f"s{j}": 100.0 * (j + 1) + 10 * np.sin(2 * np.pi * t / 7 + j) + rng.normal(size=n) for j in range(n_targets)
    }
    y = pd.DataFrame(columns, index=index)
    X = pd.DataFrame({f"x{j}": ((t + j) % 7 == 0).astype(float) for j in range(n_features)}, index=index)
    return X, (y.iloc[:, 0] if n_targets == 1 else y)


def _copy(forecaster):
    return pickle.loads(pickle.dumps(forecaster))


def _manual_forecast(forecaster, X_next):
    """The documented window: row t holds the scaled y[t] and X[t + 1]; one network call."""
    L = forecaster.seq_length
    y_rows = (forecaster.y_[-L:] - forecaster.y_offset_) / forecaster.y_scale_
    X_next_rows = np.concatenate([forecaster.X_[-L + 1 :], X_next[:1]])
    X_rows = (X_next_rows - forecaster.X_offset_) / forecaster.X_scale_
    window = np.concatenate([y_rows, X_rows], axis=1)[None].astype(np.float32)
    import keras  # loaded by the fit already; convert_to_numpy detaches torch tensors
    out = keras.ops.convert_to_numpy(forecaster.model_(window, training=False))
    if forecaster.sequence_to_sequence:
        out = out[:, -1]
    scaled = out.reshape(forecaster.output_length, -1)
    return scaled * forecaster.y_scale_ + forecaster.y_offset_


@pytest.fixture(scope="module")
def fitted():
    """A fitted two-target forecaster with two covariates and a time index."""
    X, y = _series(n_targets=2, n_features=2)
    forecaster = RNNForecaster(**TINY, output_length=2).fit(X.iloc[:70], y.iloc[:70])
    return forecaster, X, y


@pytest.mark.parametrize(
    "params",
    [
        dict(cell="simple"),
        dict(cell="lstm"),
        dict(cell="ln_simple"),
        dict(cell="gru", n_layers=2, dropout=0.1, recurrent_dropout=0.1),
        dict(cell="gru", bidirectional=True),
        dict(cell="gru", conv_filters=3, output_length=3),
        dict(cell="gru", sequence_to_sequence=True, output_length=3),
    ],
    ids=["simple", "lstm", "ln_simple", "stacked_dropout", "bidirectional", "conv", "seq2seq"],
)
def test_each_architecture_trains_and_forecasts(params):
    X, y = _series()
    forecaster = RNNForecaster(**{**TINY, **params}).fit(X.iloc[:80], y.iloc[:80])
    _check_trained_and_forecasting(forecaster, X)


def _check_trained_and_forecasting(forecaster, X):
    """One epoch ran, outputs have the head's shape, predict is the documented window's forecast."""
    assert forecaster.n_epochs_ == 1 and np.isfinite(forecaster.history_["loss"]).all()
    n_out = forecaster.output_length * forecaster.y_.shape[1]
    if forecaster.sequence_to_sequence:
        # With the Conv1D front end, outputs line up with input steps 3, 5, 7.
        steps = 3 if forecaster.conv_filters else forecaster.seq_length
        assert forecaster.model_.output_shape == (None, steps, n_out)
    else:
        assert forecaster.model_.output_shape == (None, n_out)
    y_pred = forecaster.predict(X.iloc[80:85])
    assert y_pred.shape == (5,) and np.isfinite(y_pred).all()
    expected = _manual_forecast(forecaster, X.iloc[80:].to_numpy())[:, 0]
    np.testing.assert_allclose(y_pred[: forecaster.output_length], expected, rtol=1e-6)


def test_simple_rnn_1_is_a_single_unit_without_head():
    X, y = _series()
    forecaster = RNNForecaster(**{**TINY, "units": 1}, cell="simple", dense_head=False, scaler="minmax")
    forecaster.fit(X.iloc[:80], y.iloc[:80])
    assert [type(layer).__name__ for layer in forecaster.model_.layers] == ["InputLayer", "SimpleRNN"]
    assert forecaster.model_.count_params() == 3  # the textbook's SimpleRNN(1): w, u, b
    _check_trained_and_forecasting(forecaster, X)


def _captured_training_data(monkeypatch, forecaster, X, y):
    import skts.neural._keras_support as support

    captured = {}
    train_network = support.train_network

    def capture(model, X_train, y_train, **kwargs):
        captured.update(X=np.array(X_train), y=np.array(y_train), **kwargs)
        return train_network(model, X_train, y_train, **kwargs)

    monkeypatch.setattr(support, "train_network", capture)
    forecaster.fit(X, y)
    return captured


def test_window_rows_pair_each_target_with_the_next_covariates(monkeypatch):
    X, y = _series(n_targets=2, n_features=2)
    forecaster = RNNForecaster(**TINY, output_length=2, scaler=None)
    data = _captured_training_data(monkeypatch, forecaster, X, y)
    y_arr, X_arr = y.to_numpy(), X.to_numpy()
    n_windows = N_STEPS - 8 - 2 + 1
    assert data["X"].shape == (n_windows, 8, 4) and data["y"].shape == (n_windows, 4)
    i, t = 17, 5
    np.testing.assert_allclose(data["X"][i, t], np.r_[y_arr[i + t], X_arr[i + t + 1]], rtol=1e-6)
    # Step-major targets: the two targets of step 1, then those of step 2.
    np.testing.assert_allclose(data["y"][i], y_arr[i + 8 : i + 10].ravel(), rtol=1e-6)


def test_conv_seq2seq_targets_are_cropped_and_downsampled(monkeypatch):
    X, y = _series()
    forecaster = RNNForecaster(**TINY, output_length=3, conv_filters=2, sequence_to_sequence=True, scaler=None)
    data = _captured_training_data(monkeypatch, forecaster, X.iloc[:80], y.iloc[:80])
    # The textbook's Y[:, 3::2] for kernel_size=4, strides=2.
    _, Y = make_supervised(y.iloc[:80].to_numpy(), 8, output_length=3, sequence_to_sequence=True)
    np.testing.assert_allclose(data["y"], Y[:, 3::2], rtol=1e-6)
    _check_trained_and_forecasting(forecaster, X)


def test_early_stopping_validates_on_the_last_windows_and_scales_on_the_rest(monkeypatch):
    X, y = _series()
    forecaster = RNNForecaster(**{**TINY, "epochs": 3}, output_length=2, patience=1, validation_fraction=0.2)
    data = _captured_training_data(monkeypatch, forecaster, X, y)
    n_windows = N_STEPS - 8 - 2 + 1
    n_val = round(0.2 * n_windows)
    n_train = n_windows - n_val - 1  # one window between, so no target is shared
    assert len(data["X"]) == n_train and len(data["X_val"]) == n_val
    y_arr = y.to_numpy()
    scaled_first_val_target = data["y_val"][0, 0] * forecaster.y_scale_[0] + forecaster.y_offset_[0]
    np.testing.assert_allclose(scaled_first_val_target, y_arr[n_windows - n_val + 8], rtol=1e-5)
    training_rows = y_arr[: n_train + 8 + 2 - 1]
    np.testing.assert_allclose(forecaster.y_offset_, training_rows.mean())
    np.testing.assert_allclose(forecaster.y_scale_, training_rows.std())
    assert set(forecaster.history_) == {"loss", "val_loss"}


def test_minmax_scaler_and_predictions_in_original_units():
    X, y = _series()
    big = y * 1e4 + 1e6
    forecaster = RNNForecaster(**TINY, scaler="minmax").fit(X, big)
    np.testing.assert_allclose(forecaster.y_offset_, big.min())
    np.testing.assert_allclose(forecaster.y_scale_, big.max() - big.min())
    y_pred = forecaster.forecast(3)
    assert isinstance(y_pred, pd.Series) and y_pred.index[0] == big.index[-1] + pd.Timedelta("1D")
    assert (np.abs(y_pred - big.mean()) < 5 * (big.max() - big.min())).all()


@pytest.mark.parametrize("scaler", ["standard", "minmax"])
def test_scaled_values_do_not_depend_on_units_whose_squares_leave_float64(scaler):
    # The variance of 1e-200 * y underflows to 0 and that of 1e200 * y
    # overflows to inf; the float32 network must still see the same values.
    values = _series(n_targets=2)[1].to_numpy()
    offset, scale = _scaling(values, scaler)
    for units in (1e-300, 1e-200, 1e200, 1e300):
        copy_offset, copy_scale = _scaling(values * units, scaler)
        np.testing.assert_allclose((values * units - copy_offset) / copy_scale, (values - offset) / scale, atol=1e-12)


def test_a_forecaster_on_huge_units_forecasts_the_image_of_its_forecast():
    X, y = _series(n_features=1)
    history, future = slice(0, 70), slice(70, 73)
    reference = RNNForecaster(**TINY).fit(X.iloc[history], y.iloc[history]).predict(X.iloc[future])
    forecaster = RNNForecaster(**TINY).fit(X.iloc[history] * 1e200, y.iloc[history] * 1e200)
    np.testing.assert_allclose(forecaster.predict(X.iloc[future] * 1e200), reference * 1e200, rtol=1e-5)


def test_covariates_and_multi_target(fitted):
    forecaster, X, y = fitted
    X_future = X.iloc[70:75]
    y_pred = forecaster.predict(X_future)
    assert y_pred.shape == (5, 2)
    frame = forecaster.forecast(5, X_future)
    assert list(frame.columns) == ["s0", "s1"] and frame.index.equals(X_future.index)
    np.testing.assert_array_equal(frame.to_numpy(), y_pred)
    # The covariates of the first forecast step enter with the last window row.
    other = X_future.copy()
    other.iloc[0] = 1.0 - other.iloc[0]
    assert not np.allclose(forecaster.predict(other)[0], y_pred[0])
    np.testing.assert_allclose(y_pred[:2], _manual_forecast(forecaster, X_future.to_numpy()), rtol=1e-6)


def test_recursive_beyond_horizon_feeds_forecasts_back(fitted):
    forecaster, X, _ = fitted
    X_future = X.iloc[70:75]
    y_pred = forecaster.predict(X_future)
    np.testing.assert_array_equal(y_pred[:2], forecaster.predict(X_future.iloc[:2]))
    stepped = _copy(forecaster).update(X_future.iloc[:2], y_pred[:2])
    np.testing.assert_allclose(y_pred[2:4], stepped.predict(X_future.iloc[2:4]), rtol=1e-5)
    stepped.update(X_future.iloc[2:4], y_pred[2:4])
    np.testing.assert_allclose(y_pred[4:], stepped.predict(X_future.iloc[4:5]), rtol=1e-5)


def test_update_conditions_on_the_new_last_window(fitted):
    forecaster, X, y = fitted
    updated = _copy(forecaster).update(X.iloc[70:74], y.iloc[70:74])
    np.testing.assert_array_equal(updated.model_.get_weights()[0], forecaster.model_.get_weights()[0])
    X_future = X.iloc[74:76]
    np.testing.assert_allclose(updated.predict(X_future), _manual_forecast(updated, X_future.to_numpy()), rtol=1e-6)
    assert not np.allclose(updated.predict(X_future), forecaster.predict(X.iloc[70:76])[4:])


@pytest.mark.parametrize("horizon", [1, 2, 5])
def test_batched_rolling_forecasts_equal_predict_and_update_per_origin(fitted, horizon):
    forecaster, X, y = fitted
    X_new, y_new = X.iloc[70:], y.iloc[70:]
    origins = np.arange(0, len(y_new) - horizon + 1, 2)
    batched = _copy(forecaster)
    state = pickle.dumps(batched)
    forecasts = batched._rolling_forecasts(y_new.to_numpy(), X_new.to_numpy(), origins, horizon)

    looped = _copy(forecaster)
    expected, seen = [], 0
    for origin in origins:
        if origin > seen:
            looped.update(X_new.iloc[seen:origin], y_new.iloc[seen:origin])
            seen = origin
        expected.append(looped.predict(X_new.iloc[origin : origin + horizon]))
    # Exact on one machine: every window goes through the same padded,
    # whole-SIMD-block batch path (see _predict_padded), batched or alone.
    np.testing.assert_array_equal(forecasts, np.array(expected))
    # The rolling forecasts leave the forecaster as it was.
    np.testing.assert_array_equal(batched.y_, forecaster.y_)
    assert batched.index_.equals(forecaster.index_)


def test_same_random_state_same_forecasts_and_joblib_round_trip(fitted):
    forecaster, X, y = fitted
    X_future = X.iloc[70:75]
    again = clone(forecaster).fit(X.iloc[:70], y.iloc[:70])
    np.testing.assert_array_equal(again.predict(X_future), forecaster.predict(X_future))
    other = clone(forecaster).set_params(random_state=1).fit(X.iloc[:70], y.iloc[:70])
    assert not np.allclose(other.predict(X_future), forecaster.predict(X_future))

    buffer = io.BytesIO()
    joblib.dump(forecaster, buffer)
    loaded = joblib.load(io.BytesIO(buffer.getvalue()))
    np.testing.assert_array_equal(loaded.predict(X_future), forecaster.predict(X_future))
    assert loaded.get_params() == forecaster.get_params()
    assert not hasattr(clone(loaded), "model_")


@pytest.mark.slow
def test_grid_search_over_units_and_cell_in_parallel():
    X, y = _series(n=60)
    search = GridSearchCV(
        RNNForecaster(seq_length=8, output_length=3, epochs=1, batch_size=16, random_state=0),
        {"units": [2, 4], "cell": ["gru", "lstm"]},
        cv=TimeSeriesSplit(n_splits=2, test_size=3),
        scoring="neg_mean_absolute_error",
        n_jobs=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    assert best.model_.get_layer(f"{best.cell}_0").units == best.units
    assert best.predict(pd.DataFrame(index=pd.date_range(y.index[-1], periods=4, freq="D")[1:])).shape == (3,)


def test_default_fit_prints_nothing(capfd):
    X, y = _series()
    RNNForecaster(**TINY).fit(X, y).forecast(3)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize(
    "params, n, match",
    [
        (dict(), 9, r"seq_length \+ output_length = 8 \+ 2 = 10"),
        (dict(conv_filters=2, sequence_to_sequence=True, seq_length=9), 60, r"windows of 8 or 10 steps"),
        (dict(conv_filters=2, seq_length=3), 60, "shorter than conv_kernel_size"),
        (dict(patience=2, validation_fraction=0.9), 20, "no training window"),
        (dict(units=3, dense_head=False), 60, "dense_head=False"),
    ],
)
def test_bad_configurations_raise_clear_errors(params, n, match):
    X, y = _series(n=n)
    with pytest.raises(ValueError, match=match):
        RNNForecaster(**{**TINY, "output_length": 2, **params}).fit(X, y)


def test_bad_data_raises_clear_errors(fitted):
    forecaster, X, y = fitted
    y_nan = y.copy()
    y_nan.iloc[30, 0] = np.nan
    with pytest.raises(ValueError, match="NaN at row"):
        clone(forecaster).fit(X, y_nan)
    X_nan = X.copy()
    X_nan.iloc[30, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clone(forecaster).fit(X_nan, y)
    with pytest.raises(ValueError, match="3 features, but RNNForecaster is expecting 2"):
        forecaster.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="cell"):
        RNNForecaster(cell="transformer").fit(X, y)

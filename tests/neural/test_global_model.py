"""global_model=True: one network trained on the windows of every column of y."""

import pickle

import numpy as np
import pandas as pd
import pytest

from skts.neural import RNNForecaster, WaveNetForecaster
from skts.datasets import make_sine_panel
from skts.model_selection import backtest
from skts.neural import RNNRegressor
from skts.windowing import make_supervised

TINY = dict(units=3, seq_length=8, epochs=1, batch_size=16, random_state=0)


def _numpy_batches(dataset):
    """The batches of one epoch: a ``tf.data`` dataset on TensorFlow, a PyDataset elsewhere."""
    if hasattr(dataset, "as_numpy_iterator"):
        return list(dataset.as_numpy_iterator())
    return [tuple(np.asarray(part) for part in dataset[i]) for i in range(len(dataset))]


def _panel(n_series=4, n_steps=60, seed=0):
    """Series of very different levels and scales, one per column, and a shared covariate."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_steps)
    index = pd.date_range("2021-01-01", periods=n_steps, freq="D")
    y = pd.DataFrame(
        {
            f"s{j}": 10.0**j * (3 + np.sin(2 * np.pi * t / 7 + j)) + rng.normal(scale=0.1 * 10.0**j, size=n_steps)
            for j in range(n_series)
        },
        index=index,
    )
    X = pd.DataFrame({"monday": (index.dayofweek == 0).astype(float)}, index=index)
    return X, y


def test_global_model_trains_on_exactly_the_window_regressor_windows():
    # One full-batch SGD step per epoch: the gradient is the mean over all
    # windows, whatever their order, so the global forecaster and the
    # window regressor on make_supervised windows of every series must end
    # with the same weights (up to float summation order) from the same
    # seed. Any window or target off by a step, or a series mixed into
    # another, changes the gradient and the forecasts.
    series = make_sine_panel(12, 40, random_state=0).T  # (40 steps, 12 series)
    seq_length, n_fit = 10, 30
    settings = dict(
        cell="simple", units=4, scaler=None, loss="mse", optimizer="sgd", learning_rate=0.2, epochs=3, random_state=0
    )
    n_windows = (n_fit - seq_length) * series.shape[1]
    forecaster = RNNForecaster(global_model=True, seq_length=seq_length, batch_size=n_windows, **settings)
    forecaster.fit(None, series[:n_fit])

    windows = [make_supervised(series[:n_fit, j], seq_length) for j in range(series.shape[1])]
    regressor = RNNRegressor(batch_size=n_windows, **settings)
    regressor.fit(np.concatenate([w for w, _ in windows]), np.concatenate([t for _, t in windows]))

    forecasts = forecaster.predict_rolling(None, series[n_fit:])[:, 0]  # (10 origins, 12 series)
    test_windows = np.stack([series[t - seq_length : t] for t in range(n_fit, len(series))])  # (10, L, 12)
    expected = regressor.predict(test_windows.transpose(0, 2, 1).reshape(-1, seq_length, 1)).reshape(10, 12)
    assert forecaster.model_.input_shape == (None, seq_length, 1)
    np.testing.assert_allclose(forecasts, expected, rtol=1e-4, atol=1e-5)
    # The three SGD steps moved the weights: the match is not the initial network's.
    untrained = RNNForecaster(global_model=True, seq_length=seq_length, batch_size=n_windows, **settings)
    untrained.set_params(learning_rate=1e-9).fit(None, series[:n_fit])
    assert np.abs(untrained.predict_rolling(None, series[n_fit:])[:, 0] - forecasts).max() > 1e-3


@pytest.mark.parametrize("sequence_to_sequence", [False, True])
def test_global_batches_hold_every_series_windows_once(sequence_to_sequence):
    X, y = _panel(n_series=3, n_steps=40)
    settings = dict(output_length=2, patience=1, validation_fraction=0.2, sequence_to_sequence=sequence_to_sequence)
    forecaster = RNNForecaster(global_model=True, **settings, **TINY).fit(X, y)
    rows = forecaster._feature_rows(y.to_numpy(), X.to_numpy())
    n_windows = len(y) - forecaster.seq_length - forecaster.output_length + 1
    n_train, n_val = forecaster._holdout_split(n_windows, gap=forecaster.output_length - 1)
    first_rows = np.zeros(y.shape[1], dtype=int)
    train, validation = forecaster._window_datasets(rows, n_train, n_val, first_rows, seed=0)

    expected_inputs, expected_targets = [], []
    for j in range(y.shape[1]):
        inputs, targets = make_supervised(
            rows[:, j], forecaster.seq_length, output_length=2, targets=0, sequence_to_sequence=sequence_to_sequence
        )
        expected_inputs.append(inputs)
        expected_targets.append(targets)
    # Window start-major, series-minor, as the datasets number them.
    expected_inputs = np.stack(expected_inputs, axis=1).reshape(-1, *expected_inputs[0].shape[1:])
    expected_targets = np.stack(expected_targets, axis=1).reshape(-1, *expected_targets[0].shape[1:])
    n_series = y.shape[1]

    def flat(dataset):
        batches = _numpy_batches(dataset)
        inputs = np.concatenate([b[0] for b in batches])
        targets = np.concatenate([b[1] for b in batches])
        return np.concatenate([inputs.reshape(len(inputs), -1), targets.reshape(len(targets), -1)], axis=1)

    def expected(first, count):
        part = slice(first * n_series, (first + count) * n_series)
        return np.concatenate(
            [expected_inputs[part].reshape(count * n_series, -1), expected_targets[part].reshape(count * n_series, -1)],
            axis=1,
        )

    # Validation: the last n_val starts of every series, in order.
    np.testing.assert_array_equal(flat(validation), expected(n_windows - n_val, n_val))
    # Training: every earlier start of every series exactly once, shuffled.
    got, want = flat(train), expected(0, n_train)
    assert not np.array_equal(got, want)
    np.testing.assert_array_equal(np.unique(got, axis=0), np.unique(want, axis=0))
    assert len(np.unique(got, axis=0)) == len(got) == n_train * n_series


def test_global_forecasts_follow_each_column_units():
    # Each column is scaled on its own: an affine change of one column's
    # units changes its forecasts the same way and leaves the others alone.
    X, y = _panel()
    scale = np.array([1.0, 1000.0, 0.001, 7.0])
    shift = np.array([0.0, -50.0, 3.0, 1e4])
    params = dict(global_model=True, output_length=3, **TINY)
    base = RNNForecaster(**params).fit(X[:50], y[:50]).predict(X[50:57])
    moved = RNNForecaster(**params).fit(X[:50], y[:50] * scale + shift).predict(X[50:57])
    assert base.shape == (7, 4)
    np.testing.assert_allclose((moved - shift) / scale, base, rtol=1e-4)


@pytest.mark.parametrize("estimator", [RNNForecaster, WaveNetForecaster])
def test_global_rolling_forecasts_equal_predict_update_loop(estimator):
    X, y = _panel(n_series=3, n_steps=70)
    params = {"units": 3} if estimator is RNNForecaster else {"filters": 4, "dilations": (1, 2)}
    settings = dict(seq_length=8, output_length=2, epochs=1, batch_size=16, random_state=0)
    forecaster = estimator(global_model=True, **settings, **params)
    forecaster.fit(X[:50], y[:50])
    # Horizon 5 > the network's 2: recursive blocks, batched over origins and series.
    rolling = forecaster.predict_rolling(X[50:], y[50:], horizon=5, stride=3)
    copy = pickle.loads(pickle.dumps(forecaster))
    for i, origin in enumerate(range(0, 20 - 5 + 1, 3)):
        np.testing.assert_array_equal(rolling[i], copy.predict(X[50 + origin : 55 + origin]))
        copy.update(X[50 + origin : 53 + origin], y[50 + origin : 53 + origin])
    frame = backtest(forecaster, X, y, start=50, horizon=5, stride=3)
    table = frame.set_index(["origin", "step", "target"])["forecast"].unstack("target")[list(y.columns)]
    np.testing.assert_array_equal(table.to_numpy().reshape(rolling.shape), rolling)


def test_global_model_with_one_series_and_pickle():
    X, y = _panel(n_series=1)
    forecaster = WaveNetForecaster(
        global_model=True, filters=4, dilations=(1, 2), seq_length=8, output_length=2, epochs=1, random_state=0
    ).fit(X[:50], y.iloc[:50, 0])
    forecast = forecaster.predict(X[50:53])
    assert forecast.shape == (3,)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(forecaster)).predict(X[50:53]), forecast)


def test_global_model_is_seeded():
    _, y = _panel(n_series=2)
    first = RNNForecaster(global_model=True, **TINY).fit(None, y).forecast(2)
    again = RNNForecaster(global_model=True, **TINY).fit(None, y).forecast(2)
    np.testing.assert_array_equal(first, again)
    other = RNNForecaster(global_model=True, **{**TINY, "random_state": 1}).fit(None, y).forecast(2)
    assert not np.allclose(first, other)


def test_global_dense_head_needs_units_equal_to_horizon():
    # One series per network call: the outputs are horizon values, not horizon * n_targets.
    _, y = _panel(n_series=3)
    with pytest.raises(ValueError, match=r"\(1 \+ bidirectional\) = 3 must equal the number of outputs .* = 2"):
        RNNForecaster(global_model=True, dense_head=False, units=3, seq_length=8, output_length=2, epochs=1).fit(None, y)
    fitted = RNNForecaster(**{**TINY, "units": 2}, global_model=True, dense_head=False, output_length=2).fit(None, y)
    assert fitted.model_.output_shape == (None, 2) and fitted.forecast(2).shape == (2, 3)


def _flat_dense(n_features, seq_length, n_outputs):
    import keras

    return keras.Sequential(
        [keras.Input((seq_length, n_features)), keras.layers.Flatten(), keras.layers.Dense(n_outputs)]
    )


def test_keras_forecaster_global_network_sees_one_series():
    from skts.neural import KerasForecaster

    X, y = _panel(n_series=3)
    forecaster = KerasForecaster(_flat_dense, global_model=True, seq_length=8, output_length=2, epochs=1, random_state=0)
    forecaster.fit(X, y)
    # One target plus the shared covariate in, horizon values of that series out.
    assert forecaster.model_.input_shape == (None, 8, 2) and forecaster.model_.output_shape == (None, 2)
    future = X.iloc[:4].set_axis(pd.date_range(y.index[-1], periods=5, freq="D")[1:])
    assert forecaster.forecast(4, X=future).shape == (4, 3)


def test_a_younger_series_gives_only_its_observed_windows():
    X, y = _panel(n_series=2, n_steps=40)
    y.iloc[:10, 1] = np.nan
    forecaster = RNNForecaster(global_model=True, **TINY).fit(X, y)
    rows = forecaster._feature_rows(y.to_numpy(), X.to_numpy())
    n_windows = len(y) - forecaster.seq_length - forecaster.output_length + 1
    train, _ = forecaster._window_datasets(rows, n_windows, 0, np.array([0, 10]), seed=0)
    windows, targets = (np.concatenate(part) for part in zip(*_numpy_batches(train)))
    # Every window of the older series, the younger one's from its row 10 on.
    assert len(windows) == 2 * n_windows - 10
    assert np.isfinite(windows).all() and np.isfinite(targets).all()
    future = pd.date_range(y.index[-1], periods=3, freq="D")[1:]
    assert np.isfinite(forecaster.predict(pd.DataFrame({"monday": [0.0, 1.0]}, index=future))).all()

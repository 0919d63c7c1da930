"""KerasForecaster: a user's own Keras network with skts's windows, training and forecasting."""

import io
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from skts.neural import RNNForecaster
from skts.neural import KerasForecaster

TRAINING = dict(seq_length=8, epochs=1, batch_size=16, random_state=0)


def gru(n_features, seq_length, n_outputs, units=3):
    """skts's own GRU network, as a user's build function."""
    from skts.neural._networks import build_recurrent

    return build_recurrent(n_features, seq_length=seq_length, cell="gru", units=units, output_length=n_outputs)


def two_layer_lstm(n_features, seq_length, n_outputs, units=64):
    """The primer's network: two stacked LSTM layers and a linear head."""
    import keras

    return keras.Sequential(
        [
            keras.Input((seq_length, n_features)),
            keras.layers.LSTM(units, return_sequences=True),
            keras.layers.LSTM(units),
            keras.layers.Dense(n_outputs),
        ]
    )


def not_a_model(n_features, seq_length, n_outputs):
    return "network"


@pytest.fixture(scope="module")
def data():
    """A weekly-seasonal daily series of 90 steps and a day-of-week covariate."""
    t = np.arange(90)
    index = pd.date_range("2020-01-01", periods=90, freq="D")
    y = pd.Series(100 + 10 * np.sin(2 * np.pi * t / 7) + np.random.default_rng(0).normal(size=90), index=index)
    X = pd.DataFrame({"monday": (t % 7 == 0).astype(float)}, index=index)
    return X, y


def test_reproduces_rnn_forecaster_gru_bit_for_bit(data):
    X, y = data
    # Early stopping, two-step network, recursion beyond it, covariates.
    common = dict(TRAINING, output_length=2, epochs=2, patience=1, validation_fraction=0.2)
    rnn = RNNForecaster(cell="gru", units=3, **common).fit(X[:70], y[:70])
    own = KerasForecaster(gru, model_kwargs={"units": 3}, **common).fit(X[:70], y[:70])
    assert own.history_ == rnn.history_
    np.testing.assert_array_equal(own.predict(X[70:75]), rnn.predict(X[70:75]))
    np.testing.assert_array_equal(
        own.predict_rolling(X[70:], y[70:], horizon=3), rnn.predict_rolling(X[70:], y[70:], horizon=3)
    )


def test_batched_rolling_forecasts_equal_predict_update(data):
    X, y = data
    model = KerasForecaster(gru, output_length=2, **TRAINING).fit(X[:70], y[:70])
    rolling = model.predict_rolling(X[70:], y[70:], horizon=3, stride=7)
    for i, origin in enumerate(range(70, 88, 7)):
        copy = pickle.loads(pickle.dumps(model))
        if origin > 70:
            copy.update(X[70:origin], y[70:origin])
        np.testing.assert_array_equal(rolling[i], copy.predict(X[origin : origin + 3]))


def test_grid_search_tunes_one_network_hyperparameter(data):
    X, y = data
    params = {"units": 2}
    search = GridSearchCV(
        KerasForecaster(gru, model_kwargs=params, **TRAINING),
        {"model__units": [2, 4]},
        cv=[(np.arange(65), np.arange(65, 70))],
        scoring="neg_mean_absolute_error",
        refit=False,
    ).fit(X[:70], y[:70])
    assert params == {"units": 2}
    assert [p["model__units"] for p in search.cv_results_["params"]] == [2, 4]
    # A candidate's score is the error of a network of its own size.
    four_units = KerasForecaster(gru, model_kwargs={"units": 4}, **TRAINING).fit(X[:65], y[:65])
    expected = -np.mean(np.abs(four_units.predict(X[65:70]) - y[65:70]))
    np.testing.assert_allclose(search.cv_results_["split0_test_score"][1], expected, rtol=1e-6)


def test_params_route_to_model_kwargs_without_touching_the_callers_dict():
    params = {"units": 8}
    forecaster = KerasForecaster(two_layer_lstm, model_kwargs=params)
    assert forecaster.get_params()["model__units"] == 8
    assert "model__units" not in forecaster.get_params(deep=False)
    twin = clone(forecaster).set_params(model__units=16, epochs=2)
    assert twin.model_kwargs == {"units": 16} and twin.epochs == 2
    assert params == {"units": 8} and forecaster.model_kwargs is params


def test_primer_lstm_with_minmax_scaling(data):
    X, y = data
    model = KerasForecaster(two_layer_lstm, scaler="minmax", seq_length=8, epochs=1, random_state=0)
    model.fit(None, y[:70])
    assert [layer.units for layer in model.model_.layers[:2]] == [64, 64]
    np.testing.assert_allclose(model.y_offset_, [y[:70].min()])
    np.testing.assert_allclose(model.y_scale_, [y[:70].max() - y[:70].min()])
    forecast = model.forecast(3)
    assert list(forecast.index) == list(y.index[70:73]) and np.isfinite(forecast).all()


def test_clone_joblib_and_a_model_instance_left_untouched(data):
    X, y = data
    network = gru(2, 8, 1)
    weights = [w.copy() for w in network.get_weights()]
    model = KerasForecaster(network, **TRAINING).fit(X[:70], y[:70])
    assert model.model_ is not network
    for before, after in zip(weights, network.get_weights()):
        np.testing.assert_array_equal(before, after)
    np.testing.assert_array_equal(clone(model).fit(X[:70], y[:70]).predict(X[70:73]), model.predict(X[70:73]))
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    restored = joblib.load(io.BytesIO(buffer.getvalue()))
    np.testing.assert_array_equal(restored.predict(X[70:73]), model.predict(X[70:73]))


def test_conformal_intervals(data):
    from skts.forecasting import ConformalForecaster

    X, y = data
    model = ConformalForecaster(KerasForecaster(gru, **TRAINING), calibration_size=20, calibration_horizon=2)
    interval = model.fit(X[:70], y[:70]).predict_interval(X[70:72], coverage=0.8)
    assert interval.shape == (2, 2) and (interval["lower"] < interval["upper"]).all()


def test_fit_and_predict_are_silent(data, capfd):
    X, y = data
    KerasForecaster(gru, **TRAINING).fit(X[:70], y[:70]).predict(X[70:72])
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_network_that_does_not_fit_the_windows_is_refused_before_training(data):
    X, y = data
    with pytest.raises(ValueError, match="n_features=2"):
        KerasForecaster(gru(1, 8, 1), **TRAINING).fit(X[:70], y[:70])
    with pytest.raises(ValueError, match="output_length \\* n_targets = 2"):
        KerasForecaster(gru(2, 8, 1), output_length=2, **TRAINING).fit(X[:70], y[:70])
    with pytest.raises(TypeError, match="not a keras.Model"):
        KerasForecaster(not_a_model, **TRAINING).fit(X[:70], y[:70])
    with pytest.raises(ValueError, match="model_kwargs"):
        KerasForecaster(gru(2, 8, 1), model_kwargs={"units": 4}, **TRAINING).fit(X[:70], y[:70])

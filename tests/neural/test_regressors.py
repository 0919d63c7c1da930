"""RNNRegressor and WaveNetRegressor on prepared windows of a panel."""

import io
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold

from skts.neural import RNNRegressor, WaveNetRegressor


@pytest.fixture(scope="module")
def fitted(panel):
    """One fitted regressor of each kind, on 3-D windows and 2-step targets."""
    X, y = panel
    rnn = RNNRegressor(cell="lstm", units=4, epochs=2, batch_size=16, random_state=0).fit(X, y)
    wavenet = WaveNetRegressor(
        filters=4, dilations=(1, 2, 4), n_blocks=1, gated=True, epochs=2, batch_size=16, random_state=0
    ).fit(X, y)
    return rnn, wavenet


def test_predictions_are_shaped_like_y(panel, tiny_training):
    X, y = panel
    for regressor in (RNNRegressor(units=2, **tiny_training), WaveNetRegressor(filters=2, n_blocks=1, **tiny_training)):
        assert regressor.fit(X, y[:, 0]).predict(X[:5]).shape == (5,)
        assert regressor.seq_length_ == 10 and regressor.n_step_features_ == 2
        two_d = regressor.fit(X[:, :, 0], y[:, :1])
        assert two_d.predict(X[:5, :, 0]).shape == (5, 1)
        assert two_d.n_step_features_ == 1 and two_d.n_features_in_ == 10


def test_two_d_windows_are_one_feature_per_step(panel, tiny_training):
    X, y = panel
    flat = RNNRegressor(units=2, **tiny_training).fit(X[:, :, 0], y)
    three_d = RNNRegressor(units=2, **tiny_training).fit(X[:, :, :1], y)
    # Exact: the same data, seed and network on the same machine.
    np.testing.assert_array_equal(flat.predict(X[:7, :, 0]), three_d.predict(X[:7, :, :1]))


def test_fitted_networks_match_their_hyperparameters(fitted):
    rnn, wavenet = fitted
    assert rnn.model_.get_layer("lstm_0").units == 4
    assert rnn.model_.output_shape == (None, 2)
    assert wavenet.model_.name == "gated_wavenet"
    assert [len(values) for values in rnn.history_.values()] == [2]


def test_scaling_in_original_units_from_training_windows_only(panel, tiny_training):
    X, y = panel
    # Ridership-sized values: without internal scaling a fresh network
    # outputs values near 0; with it, near the training targets (a one-epoch
    # net is not accurate, so "near" is within 10% of a million).
    y_big = 1e6 + 1e5 * y
    regressor = RNNRegressor(units=2, patience=1, validation_fraction=0.25, **tiny_training).fit(X, y_big)
    n_train = len(X) - 24
    np.testing.assert_allclose(regressor.X_offset_, X[:n_train].mean(axis=(0, 1)))
    np.testing.assert_allclose(regressor.y_scale_, y_big[:n_train].std(axis=0))
    assert "val_loss" in regressor.history_
    assert abs(regressor.predict(X).mean() - 1e6) < 1e5
    minmax = RNNRegressor(units=2, scaler="minmax", **tiny_training).fit(X, y_big)
    np.testing.assert_allclose(minmax.y_offset_, y_big.min(axis=0))
    np.testing.assert_allclose(minmax.y_scale_, np.ptp(y_big, axis=0))
    assert abs(minmax.predict(X).mean() - 1e6) < 1e5


def test_constant_feature_does_not_break_scaling(panel, tiny_training):
    X, y = panel
    X = X.copy()
    X[:, :, 1] = 3.0
    predictions = WaveNetRegressor(filters=2, n_blocks=1, **tiny_training).fit(X, y).predict(X)
    assert np.all(np.isfinite(predictions))


def test_early_stopping_on_the_last_windows(panel):
    X, y = panel
    regressor = RNNRegressor(
        cell="simple", units=2, learning_rate=0.05, epochs=30, patience=1, validation_fraction=0.25, random_state=0
    ).fit(X, y)
    val_loss = regressor.history_["val_loss"]
    assert len(val_loss) < 30
    assert val_loss.index(min(val_loss)) == len(val_loss) - 2


@pytest.mark.parametrize("estimator", [RNNRegressor, WaveNetRegressor])
def test_same_random_state_same_predictions(estimator, panel, tiny_training):
    X, y = panel
    size = {"units": 3, "dropout": 0.2} if estimator is RNNRegressor else {"filters": 3, "n_blocks": 1}
    first = estimator(**size, **tiny_training).fit(X, y).predict(X)
    again = estimator(**size, **tiny_training).fit(X, y).predict(X)
    other = estimator(**size, **{**tiny_training, "random_state": 1}).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


def test_pickle_and_joblib_round_trips_predict_identically(fitted, panel):
    X, _ = panel
    for regressor in fitted:
        expected = regressor.predict(X)
        unpickled = pickle.loads(pickle.dumps(regressor))
        np.testing.assert_array_equal(unpickled.predict(X), expected)
        buffer = io.BytesIO()
        joblib.dump(regressor, buffer)
        buffer.seek(0)
        loaded = joblib.load(buffer)
        np.testing.assert_array_equal(loaded.predict(X), expected)
        assert loaded.get_params() == regressor.get_params()
        # The original keeps working after being pickled.
        np.testing.assert_array_equal(regressor.predict(X), expected)
    unfitted = pickle.loads(pickle.dumps(RNNRegressor(units=3)))
    assert unfitted.units == 3 and not hasattr(unfitted, "model_")


@pytest.mark.slow
def test_grid_search_over_units_and_cell(panel):
    # In this process: neural estimators in worker processes (loky, Dask) are
    # tested on the forecasters, which pickle and train through the same code.
    X, y = panel
    search = GridSearchCV(
        RNNRegressor(epochs=1, batch_size=32, random_state=0),
        {"units": [2, 4], "cell": ["gru", "ln_simple"]},
        cv=KFold(n_splits=2),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_estimator_
    assert best.get_params()["units"] == search.best_params_["units"]
    loaded = joblib.load(_dumped(best))
    np.testing.assert_array_equal(loaded.predict(X), best.predict(X))


def _dumped(estimator):
    buffer = io.BytesIO()
    joblib.dump(estimator, buffer)
    buffer.seek(0)
    return buffer


def test_clone_is_unfitted_with_the_same_parameters(fitted):
    rnn, _ = fitted
    copy = clone(rnn)
    assert copy.get_params() == rnn.get_params()
    assert not hasattr(copy, "model_")


def test_fit_and_predict_print_nothing(panel, capfd):
    X, y = panel
    RNNRegressor(units=2, epochs=2, random_state=0).fit(X, y).predict(X)
    WaveNetRegressor(filters=2, n_blocks=1, epochs=1, random_state=0).fit(X, y).predict(X[:1])
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("verbose", [1, 2])
def test_verbose_prints_one_plain_line_per_epoch(panel, capfd, verbose):
    # Logs and CI consoles keep a progress bar's carriage returns, backspaces
    # and ANSI codes as garbage: every verbose level writes plain lines.
    X, y = panel
    RNNRegressor(units=2, epochs=2, verbose=verbose, random_state=0).fit(X, y)
    out = capfd.readouterr().out
    lines = out.splitlines()
    assert [line.split(" - ")[0] for line in lines] == ["epoch 1/2", "epoch 2/2"]
    assert all(" - loss " in line for line in lines)
    assert not any(code in out for code in ("\r", "\b", "\x1b"))


def test_importing_the_regressors_does_not_import_tensorflow():
    code = (
        "import sys; from skts.neural import RNNRegressor, WaveNetRegressor; "
        "RNNRegressor(units=2); assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_bad_input_gets_a_clear_error(fitted, panel, tiny_training):
    X, y = panel
    rnn, _ = fitted
    with_nan = X.copy()
    with_nan[3, 4, 1] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        RNNRegressor(**tiny_training).fit(with_nan, y)
    with pytest.raises(ValueError, match="Input y contains infinity"):
        RNNRegressor(**tiny_training).fit(X, np.where(y > 0.4, np.inf, y))
    with pytest.raises(ValueError, match=r"2-D \(n_windows, steps\) or 3-D"):
        RNNRegressor(**tiny_training).fit(X[..., np.newaxis], y)
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        RNNRegressor(**tiny_training).fit(X[:, 0, 0], y)
    with pytest.raises(ValueError, match="0 features per step"):
        RNNRegressor(**tiny_training).fit(X[:, :, :0], y)
    with pytest.raises(ValueError, match=r"windows of shape \(8, 2\).*fitted on windows of shape \(10, 2\)"):
        rnn.predict(X[:, :8])
    with pytest.raises(ValueError, match="1 feature per step.*pass 3-D windows"):
        rnn.predict(X[:, :, 0])
    with pytest.raises(ValueError, match=r"validation_fraction.*range \(0.0, 1.0\)"):
        RNNRegressor(patience=2, validation_fraction=0.0, **tiny_training).fit(X, y)
    with pytest.raises(ValueError, match="leaving no training window"):
        RNNRegressor(patience=1, validation_fraction=0.5, **tiny_training).fit(X[:1], y[:1])
    with pytest.raises(ValueError, match="shorter than conv_kernel_size=12"):
        RNNRegressor(conv_filters=2, conv_kernel_size=12, **tiny_training).fit(X, y)
    with pytest.raises(ValueError, match="dilations must be a non-empty tuple of positive integers"):
        WaveNetRegressor(dilations=(1, 0), **tiny_training).fit(X, y)


def test_string_y_is_a_clear_error_and_numeric_object_y_is_converted(panel, tiny_training):
    X, y = panel
    labels = np.where(y[:, 0] > 0, "up", "down")
    with pytest.raises(ValueError, match=r"y must be numeric.*'(up|down)'.*pd.to_numeric"):
        RNNRegressor(units=2, **tiny_training).fit(X, labels)
    as_objects = RNNRegressor(units=2, **tiny_training).fit(X, y[:, 0].astype(object))
    as_floats = RNNRegressor(units=2, **tiny_training).fit(X, y[:, 0])
    np.testing.assert_array_equal(as_objects.predict(X[:4]), as_floats.predict(X[:4]))


def test_simple_rnn_1_without_head_is_the_textbooks_three_parameters(panel, tiny_training):
    X, y = panel
    regressor = RNNRegressor(cell="simple", units=1, dense_head=False, **tiny_training).fit(X[:, :, 0], y[:, 0])
    assert [type(layer).__name__ for layer in regressor.model_.layers] == ["InputLayer", "SimpleRNN"]
    assert regressor.model_.count_params() == 3
    with pytest.raises(ValueError, match=r"dense_head=False.*= 2"):
        RNNRegressor(cell="simple", units=1, dense_head=False, **tiny_training).fit(X, y)


def _trained_on(monkeypatch, regressor, X, y):
    """Fit without training; return the initial weights and what would be trained on."""
    import skts.neural._keras_support as support

    seen = {}

    def record(model, X_train, y_train, **kwargs):
        seen.update(weights=model.get_weights(), X=np.array(X_train), y=np.array(y_train))
        return {"loss": [0.0]}

    monkeypatch.setattr(support, "train_network", record)
    regressor.fit(X, y)
    return seen


@pytest.mark.parametrize(
    ("estimator", "params", "steps"),
    [
        (RNNRegressor, {"units": 2}, np.arange(10)),
        (RNNRegressor, {"units": 2, "conv_filters": 2, "conv_kernel_size": 2, "conv_strides": 2}, np.arange(1, 10, 2)),
        (WaveNetRegressor, {"filters": 2, "n_blocks": 1}, np.arange(10)),
    ],
    ids=["rnn", "conv_rnn", "wavenet"],
)
def test_sequence_to_sequence_trains_every_step_on_the_values_that_follow_it(
    monkeypatch, panel, estimator, params, steps
):
    X, y = panel
    regressor = estimator(**params, sequence_to_sequence=True, scaler=None, random_state=0)
    seen = _trained_on(monkeypatch, regressor, X, y)
    # The textbook's Y[:, t, k] = series[t + 1 + k], cropped and downsampled
    # to the Conv1D outputs (Y[:, 3::2] for its kernel 4, strides 2).
    series = np.concatenate([X[:, :, 0], y], axis=1)
    expected = np.stack([series[:, t + 1 : t + 3] for t in steps], axis=1)
    np.testing.assert_allclose(seen["y"], expected, rtol=1e-6)
    assert regressor.model_.output_shape == (None, len(steps), 2)
    # Predictions are the last step's two values.
    import keras  # loaded by the fit already; convert_to_numpy detaches torch tensors
    last = keras.ops.convert_to_numpy(regressor.model_(X[:3].astype(np.float32), training=False))[:, -1]
    np.testing.assert_allclose(regressor.predict(X[:3]), last, rtol=1e-5, atol=1e-6)


def test_same_random_state_gives_forecaster_and_regressor_the_same_initial_network(monkeypatch):
    from skts.neural import RNNForecaster

    series = np.sin(np.arange(40.0))
    windows = np.lib.stride_tricks.sliding_window_view(series, 6)
    params = {"cell": "lstm", "units": 3, "random_state": 7}
    regressor = _trained_on(monkeypatch, RNNRegressor(**params), windows[:, :5], windows[:, 5])
    forecaster = RNNForecaster(**params, seq_length=5)
    import skts.neural._keras_support as support

    forecaster_seen = {}

    def record(model, *args, **kwargs):
        forecaster_seen.update(weights=model.get_weights())
        return {"loss": [0.0]}

    monkeypatch.setattr(support, "train_network", record)
    forecaster.fit(np.empty((40, 0)), series)
    assert all(np.array_equal(a, b) for a, b in zip(regressor["weights"], forecaster_seen["weights"]))

"""sliding_windows and make_supervised against the Keras and textbook windowing.

The expected windows are built here with plain Python loops that follow the
definitions of Keras' ``timeseries_dataset_from_array`` and the textbook's
``to_windows``/``to_seq2seq_dataset``, so the tests need no TensorFlow.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from skts.windowing import make_supervised, sliding_windows


def keras_timeseries_dataset(data, targets, sequence_length):
    """Keras' timeseries_dataset_from_array with stride 1 and rate 1, unbatched."""
    n_seqs = min(len(data) - sequence_length + 1, len(targets))
    inputs = [data[i : i + sequence_length] for i in range(n_seqs)]
    return np.array(inputs), np.array([targets[i] for i in range(n_seqs)])


def textbook_to_windows(rows, length):
    """The textbook's to_windows: every run of ``length`` consecutive items."""
    return [rows[i : i + length] for i in range(len(rows) - length + 1)]


def textbook_to_seq2seq(series, seq_length, ahead, target_col):
    """The textbook's to_seq2seq_dataset, unbatched and unshuffled."""
    rows = [list(row) for row in series]
    ahead_windows = textbook_to_windows(rows, ahead + 1)
    inputs, targets = [], []
    for S in textbook_to_windows(ahead_windows, seq_length):
        # S[:, 0] and S[:, 1:, target_col]
        inputs.append([step[0] for step in S])
        targets.append([[value[target_col] for value in step[1:]] for step in S])
    return np.array(inputs), np.array(targets)


@pytest.fixture
def series():
    """A (40, 3) series whose values are all distinct, so any misplaced value shows."""
    return np.random.default_rng(0).permutation(120).reshape(40, 3).astype(float)


def test_one_step_matches_keras_univariate(series):
    rail = series[:, 1]
    seq_length = 5
    expected_inputs, expected_targets = keras_timeseries_dataset(rail, rail[seq_length:], seq_length)
    inputs, y = make_supervised(rail, seq_length)
    assert inputs.shape == (35, 5, 1)
    assert y.shape == (35, 1)
    assert_array_equal(inputs[:, :, 0], expected_inputs)
    assert_array_equal(y[:, 0], expected_targets)


def test_one_step_matches_keras_multivariate(series):
    seq_length = 4
    expected_inputs, expected_targets = keras_timeseries_dataset(series, series[seq_length:, 1], seq_length)
    inputs, y = make_supervised(series, seq_length, targets=1)
    assert_array_equal(inputs, expected_inputs)
    assert_array_equal(y[:, 0], expected_targets)


def test_horizon_matches_textbook_ahead_windows(series):
    # The textbook's multi-step set: windows of seq_length + ahead rows,
    # inputs the first seq_length rows, targets the next `ahead` target values.
    seq_length, ahead = 6, 3
    windows = np.array(textbook_to_windows(series, seq_length + ahead))
    inputs, y = make_supervised(series, seq_length, output_length=ahead, targets=1)
    assert_array_equal(inputs, windows[:, :seq_length])
    assert_array_equal(y, windows[:, seq_length:, 1])


def test_horizon_via_keras_with_shifted_targets(series):
    seq_length, ahead = 5, 4
    rail = series[:, 2]
    ahead_targets = [rail[i + seq_length : i + seq_length + ahead] for i in range(len(rail) - seq_length - ahead + 1)]
    expected_inputs, expected_targets = keras_timeseries_dataset(rail, ahead_targets, seq_length)
    inputs, y = make_supervised(rail, seq_length, output_length=ahead)
    assert_array_equal(inputs[:, :, 0], expected_inputs)
    assert_array_equal(y, expected_targets)


def test_sequence_to_sequence_matches_textbook(series):
    seq_length, ahead = 7, 3
    expected_inputs, expected_targets = textbook_to_seq2seq(series, seq_length, ahead, target_col=1)
    inputs, y = make_supervised(series, seq_length, output_length=ahead, targets=1, sequence_to_sequence=True)
    assert y.shape == (40 - 7 - 3 + 1, 7, 3)
    assert_array_equal(inputs, expected_inputs)
    assert_array_equal(y, expected_targets)


def test_list_of_targets_stacks_each_column(series):
    seq_length, ahead = 5, 2
    inputs, y = make_supervised(series, seq_length, output_length=ahead, targets=[2, 0])
    assert y.shape == (34, 2, 2)
    for position, column in enumerate([2, 0]):
        _, single = make_supervised(series, seq_length, output_length=ahead, targets=column)
        assert_array_equal(y[..., position], single)
    _, seq = make_supervised(series, seq_length, output_length=ahead, targets=[2, 0], sequence_to_sequence=True)
    assert seq.shape == (34, 5, 2, 2)
    _, seq_single = make_supervised(series, seq_length, output_length=ahead, targets=0, sequence_to_sequence=True)
    assert_array_equal(seq[..., 1], seq_single)


def test_outputs_are_read_only_views(series):
    inputs, y = make_supervised(series, 5, output_length=3, targets=1)
    _, seq = make_supervised(series, 5, output_length=3, targets=1, sequence_to_sequence=True)
    windows = sliding_windows(series, 5)
    for view in (inputs, y, seq, windows):
        assert np.shares_memory(view, series)
        assert not view.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            view[0, 0] = -1.0
    # Selected columns are gathered once; the windows over them are still views.
    inputs, y = make_supervised(series, 5, targets=[0, 1])
    assert np.shares_memory(inputs, series)
    assert not y.flags.writeable
    assert y.base is not None


def test_sliding_windows_definition(series):
    windows = sliding_windows(series, 4)
    assert windows.shape == (37, 4, 3)
    for i in (0, 17, 36):
        assert_array_equal(windows[i], series[i : i + 4])
    assert_array_equal(sliding_windows(series[:, 0], 4)[5], series[5:9, 0])


def test_pandas_input_gives_the_same_windows(series):
    frame = pd.DataFrame(series, columns=["bus", "rail", "day"], index=pd.date_range("2019-01-01", periods=40))
    inputs, y = make_supervised(frame, 3, output_length=2, targets=1)
    expected_inputs, expected_y = make_supervised(series, 3, output_length=2, targets=1)
    assert_array_equal(inputs, expected_inputs)
    assert_array_equal(y, expected_y)


def test_input_is_not_modified(series):
    before = series.copy()
    make_supervised(series, 3, output_length=2, targets=[0, 2], sequence_to_sequence=True)
    assert_array_equal(series, before)


def test_series_shorter_than_window_names_both_numbers():
    with pytest.raises(ValueError, match=r"10 time steps.*seq_length \+ output_length = 8 \+ 3 = 11.*longer series"):
        make_supervised(np.arange(10.0), 8, output_length=3)
    make_supervised(np.arange(11.0), 8, output_length=3)  # exactly one window is fine
    with pytest.raises(ValueError, match="fewer than seq_length=11"):
        sliding_windows(np.arange(10.0), 11)


@pytest.mark.parametrize("bad", [0, -2, 2.5, True, None])
def test_bad_lengths(bad):
    with pytest.raises(ValueError, match="seq_length must be a positive integer"):
        make_supervised(np.arange(10.0), bad)
    with pytest.raises(ValueError, match="output_length must be a positive integer"):
        make_supervised(np.arange(10.0), 2, output_length=bad)


@pytest.mark.parametrize("targets", [3, -4, [0, 3], [], ["rail"], 1.0])
def test_bad_targets(targets):
    with pytest.raises(ValueError, match="out of range|column position"):
        make_supervised(np.zeros((10, 3)), 2, targets=targets)


def test_non_numeric_and_wrong_rank_input():
    with pytest.raises(ValueError, match="non-numeric dtype"):
        make_supervised(np.array(["a", "b", "c", "d"]), 2)
    with pytest.raises(ValueError, match="non-numeric"):
        make_supervised(pd.DataFrame({"rail": [1.0, 2.0, 3.0], "day_type": ["W", "A", "U"]}), 1)
    with pytest.raises(ValueError, match=r"shape \(n_steps,\) or \(n_steps, n_features\)"):
        sliding_windows(np.zeros((5, 2, 2)), 2)


@settings(max_examples=60, deadline=None)
@given(
    n_steps=st.integers(2, 60),
    n_features=st.integers(1, 4),
    seq_length=st.integers(1, 20),
    horizon=st.integers(1, 10),
    as_list=st.booleans(),
    seq2seq=st.booleans(),
    data=st.data(),
)
def test_shapes_and_first_last_windows(n_steps, n_features, seq_length, horizon, as_list, seq2seq, data):
    x = np.arange(n_steps * n_features, dtype=float).reshape(n_steps, n_features)
    column = data.draw(st.integers(0, n_features - 1))
    targets = [column] if as_list else column
    if n_steps < seq_length + horizon:
        with pytest.raises(ValueError, match="fewer than seq_length"):
            make_supervised(x, seq_length, output_length=horizon, targets=targets, sequence_to_sequence=seq2seq)
        return
    inputs, y = make_supervised(x, seq_length, output_length=horizon, targets=targets, sequence_to_sequence=seq2seq)
    n_windows = n_steps - seq_length - horizon + 1
    assert inputs.shape == (n_windows, seq_length, n_features)
    expected_shape = (n_windows,) + ((seq_length,) if seq2seq else ()) + (horizon,) + ((1,) if as_list else ())
    assert y.shape == expected_shape
    y = y[..., 0] if as_list else y
    last = n_windows - 1
    assert_array_equal(inputs[last], x[last : last + seq_length])
    # The final target of the final window is the last value of the series.
    assert y[last].ravel()[-1] == x[-1, column]
    if seq2seq:
        for s in (0, seq_length - 1):
            assert_array_equal(y[last, s], x[last + s + 1 : last + s + 1 + horizon, column])
    else:
        assert_array_equal(y[0], x[seq_length : seq_length + horizon, column])

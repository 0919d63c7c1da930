"""The time grid: labels, their step, the labels that follow, steps ahead and time zones."""

import numpy as np
import pandas as pd
import pytest

from skts._time_grid import TimeGrid, infer_freq, rows, time_index


def test_positional_grid_counts_steps():
    grid = TimeGrid.of(None)
    assert grid.positional
    assert grid.labels_after(3).equals(pd.RangeIndex(1, 4, name="step"))
    assert grid.extended(5) is grid


@pytest.mark.parametrize(
    "labels, after",
    [
        (pd.RangeIndex(10, 13), [13, 14]),
        (pd.period_range("2024-01", periods=3, freq="M"), list(pd.period_range("2024-04", periods=2, freq="M"))),
        (pd.date_range("2024-01-31", periods=3, freq="ME"), list(pd.to_datetime(["2024-04-30", "2024-05-31"]))),
        (pd.date_range("2024-01-01", periods=3, freq="h"), list(pd.to_datetime(["2024-01-01 03:00", "2024-01-01 04:00"]))),
    ],
)
def test_labels_after_and_steps_of_agree(labels, after):
    grid = TimeGrid.of(labels)
    assert list(grid.labels_after(2)) == after
    assert grid.steps_of(grid.labels_after(4), "X").tolist() == [1, 2, 3, 4]
    longer = grid.extended(2)
    assert list(longer.labels[-2:]) == after
    assert longer.freq == grid.freq


def test_steps_of_marks_labels_off_the_grid():
    grid = TimeGrid.of(pd.date_range("2024-01-01", periods=5, freq="2D"))
    index = pd.DatetimeIndex(["2024-01-11", "2024-01-12", "2024-01-13"])
    assert grid.steps_of(index, "X").tolist() == [1, -1, 2]


def test_month_grid_counts_calendar_steps():
    grid = TimeGrid.of(pd.date_range("2024-01-01", periods=3, freq="MS"))
    assert grid.steps_of(pd.DatetimeIndex(["2024-04-01", "2024-06-01"]), "X").tolist() == [1, 3]


def test_time_zones_are_aligned_and_naive_against_aware_raises():
    labels = pd.date_range("2024-03-30", periods=3, freq="D", tz="Europe/Paris")
    grid = TimeGrid.of(labels)
    # The day of the daylight-saving change has 23 hours: steps by the calendar, not by 24 h.
    future = pd.date_range("2024-04-02", periods=2, freq="D", tz="Europe/Paris").tz_convert("UTC")
    assert grid.steps_of(future, "X").tolist() == [1, 2]
    with pytest.raises(ValueError, match="time-zone-aware"):
        grid.steps_of(pd.DatetimeIndex(["2024-04-02"]), "X")


def test_future_steps_refuse_the_past_and_other_kinds():
    grid = TimeGrid.of(pd.RangeIndex(0, 10))
    assert grid.future_steps(pd.Index([10, 12])).tolist() == [1, 3]
    with pytest.raises(ValueError, match="at or before the end of the history"):
        grid.future_steps(pd.Index([9, 10]))
    with pytest.raises(ValueError, match="labelled by a DatetimeIndex but the history by a integer"):
        grid.future_steps(pd.date_range("2024-01-01", periods=2))


def test_check_follows_names_the_expected_labels():
    grid = TimeGrid.of(pd.period_range("2024-01", periods=3, freq="M"))
    grid.check_follows(pd.period_range("2024-04", periods=2, freq="M"), 2, "update")
    with pytest.raises(ValueError, match="expected 2024-04 to 2024-05, got 2024-05 to 2024-06"):
        grid.check_follows(pd.period_range("2024-05", periods=2, freq="M"), 2, "update")


def test_a_missing_month_names_the_gap_and_the_monthly_fix():
    index = pd.date_range("2020-01-01", periods=24, freq="MS").delete(9)
    with pytest.raises(ValueError, match=r"missing between 2020-09-01.* and 2020-11-01.*asfreq\('MS'\)"):
        infer_freq(index)


def test_integer_gap_and_irregular_timestamps_raise():
    with pytest.raises(ValueError, match="missing between 3 and 5"):
        infer_freq(pd.Index([1, 2, 3, 5]))
    with pytest.raises(ValueError, match="Cannot infer a regular frequency"):
        infer_freq(pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-05 13:00"]))


def test_text_labels_are_named_with_the_input():
    y = pd.Series([1.0, 2.0], index=["a", "b"])
    with pytest.raises(ValueError, match="y is indexed by text labels \\(first label: 'a'\\)"):
        time_index(y, "y")
    assert time_index(np.ones(3)) is None


def test_rows_slice_arrays_and_pandas_by_position():
    y = pd.Series([1.0, 2.0, 3.0], index=[10, 11, 12])
    assert rows(y, 1, 3).index.tolist() == [11, 12]
    assert rows(np.arange(3), 0, 2).tolist() == [0, 1]

"""The time grid of a history: its row labels, their frequency and the steps after its end.

Rows are time steps. A pandas ``DatetimeIndex``, ``PeriodIndex`` or integer
index (``RangeIndex`` included) labels them; any other pandas index is an
error, never silently positional. NumPy input has no labels: its rows are
positions, and rows to forecast follow the history immediately.

:class:`TimeGrid` is the small value object the forecasters and ``backtest``
share: the labels of a history and their step, the labels that follow it,
and the steps ahead of labelled future rows (with time zones aligned).
"""

import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

_TIME_INDEXES = (pd.DatetimeIndex, pd.PeriodIndex)


def rows(data, start, stop):
    """Rows ``start:stop`` of an array or pandas object, by position."""
    return data.iloc[start:stop] if isinstance(data, pd.Series | pd.DataFrame) else data[start:stop]


def time_index(obj, what="X"):
    """The time index of a pandas object (a private copy); None for anything else.

    ``DatetimeIndex``, ``PeriodIndex`` and integer indexes (``RangeIndex``
    included) label time steps. Any other pandas index (strings, floats, a
    ``MultiIndex``) raises: reading its rows as positions could silently
    forecast the wrong steps.

    Parameters
    ----------
    obj : object
        The input; only pandas Series and DataFrames have a time index.
    what : str, default="X"
        Name of the input in the message, for example ``"y of the history"``.

    Returns
    -------
    index : pandas.Index or None
    """
    if not isinstance(obj, (pd.Series, pd.DataFrame)):
        return None
    index = obj.index
    if isinstance(index, _TIME_INDEXES) or (
        not isinstance(index, pd.MultiIndex) and pd.api.types.is_integer_dtype(index.dtype)
    ):
        # A deep copy has a cache of its own: pandas fills an index's
        # is_unique / is_monotonic_increasing cache lazily and without a lock,
        # so threads reading the caller's shared index at once (a
        # MultiOutputRegressor in joblib's threading backend) can see it
        # as unsorted or duplicated.
        return index.copy(deep=True)
    first = f" (first label: {index[0]!r})" if len(index) else ""
    if isinstance(index, pd.MultiIndex):
        kind = "a MultiIndex"
    elif pd.api.types.infer_dtype(index, skipna=True) in ("string", "empty"):
        kind = "text labels"
    else:
        kind = f"labels of dtype {index.dtype}"
    raise ValueError(
        f"{what} is indexed by {kind}{first}. skts reads pandas row labels as time steps, "
        "so they must be a DatetimeIndex, a PeriodIndex or integers. Convert them, for "
        "example y.index = pd.to_datetime(y.index) or pd.PeriodIndex(y.index, freq='M'), "
        "or pass NumPy arrays for positional rows."
    )


def check_time_index(index, what):
    """Labels must be unique and increasing: each row one time step, in order."""
    if not index.is_unique:
        dup = index[index.duplicated()][0]
        raise ValueError(
            f"The time index of {what} has duplicate timestamps (first: {dup}). "
            "Each row must be one time step: drop or aggregate the duplicates."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            f"The time index of {what} is not sorted. Rows are time steps in "
            "order: sort them first, for example y = y.sort_index()."
        )


def index_kind(index):
    """``"DatetimeIndex"``, ``"PeriodIndex"`` or ``"integer index"``."""
    if isinstance(index, pd.DatetimeIndex):
        return "DatetimeIndex"
    if isinstance(index, pd.PeriodIndex):
        return "PeriodIndex"
    return "integer index"


def _is_integer_index(index):
    return not isinstance(index, _TIME_INDEXES)


def infer_freq(index):
    """The step between consecutive rows of a contiguous time index.

    1 for integer labels, a pandas offset for timestamps and periods. A
    history with rows missing from its inside (a ``KFold`` training fold, a
    missing month) or irregular timestamps raises, naming where.
    """
    if _is_integer_index(index):
        if len(index) > 1:
            gaps = np.flatnonzero(np.diff(index.to_numpy()) != 1)
            if len(gaps):
                _raise_not_contiguous(index, gaps[0], None)
        return 1
    if isinstance(index, pd.PeriodIndex):
        gaps = np.flatnonzero(np.diff(index.asi8) != index.freq.n)
        if len(gaps):
            _raise_not_contiguous(index, gaps[0], index.freqstr)
        return index.freq
    if index.freq is not None:
        return index.freq
    if len(index) >= 3:
        freq = _quiet_infer_freq(index)
        if freq is not None:
            return pd.tseries.frequencies.to_offset(freq)
        _raise_if_gaps_on_a_grid(index)
    raise ValueError(
        "Cannot infer a regular frequency from the time index of the history "
        f"(first timestamps: {list(index[:3])}). Give the index a frequency, for "
        "example y = y.asfreq('D') for daily rows, and fill or drop the irregular rows "
        "yourself. If rows were removed from inside the history (a KFold or ShuffleSplit "
        "training fold), use sklearn.model_selection.TimeSeriesSplit instead."
    )


def _quiet_infer_freq(index):
    with warnings.catch_warnings():
        # pandas >= 3 warns that the return type will change; we accept both.
        warnings.simplefilter("ignore")
        try:
            return pd.infer_freq(index)
        except (TypeError, ValueError):
            return None


def _raise_if_gaps_on_a_grid(index):
    """Raise naming the gap when the timestamps lie on one regular grid with steps missing.

    The frequency is read from runs of three consecutive timestamps (months
    have 28 to 31 days, so the smallest difference is no step); it is the
    grid's when every timestamp lies on it.
    """
    seen = set()
    for start in range(0, len(index) - 2):
        freq = _quiet_infer_freq(index[start : start + 3])
        if freq is None or freq in seen:
            continue
        seen.add(freq)
        grid = pd.date_range(index[0], index[-1], freq=freq)
        if len(grid) > len(index) and index.isin(grid).all():
            position = grid.get_indexer(index)
            gap = int(np.argmax(np.diff(position) > 1))
            _raise_not_contiguous(index, gap, freq)
        if len(seen) >= 3:
            return


def _raise_not_contiguous(index, gap, freq):
    fill = (
        f"fill the missing steps first (for example y = y.asfreq({freq!r}) to add them as "
        "NaN, then y = y.interpolate())"
        if freq is not None and not isinstance(index, pd.PeriodIndex)
        else "fill the missing steps first"
    )
    on_grid = f" on its {freq!r} grid" if freq is not None else ""
    raise ValueError(
        f"The history is not contiguous: time steps{on_grid} are missing between "
        f"{index[gap]} and {index[gap + 1]}. A forecaster needs every step of its history, "
        f"so {fill}. A training set with rows removed from its inside (from KFold, "
        "ShuffleSplit or another splitter that is not time-ordered) cannot be used: "
        "evaluate with sklearn.model_selection.TimeSeriesSplit."
    )


def _fixed_nanos(freq, tz):
    """Nanoseconds per step of a fixed-length frequency, else None.

    Calendar frequencies (months, business days) and, with a time zone,
    days (23 or 25 hours around daylight-saving changes) have no fixed length.
    """
    if isinstance(freq, pd.offsets.Tick) or (tz is None and isinstance(freq, pd.offsets.Day)):
        return int(freq.nanos)
    return None


@dataclass(frozen=True)
class TimeGrid:
    """The labels of a history and their step: where the history ends and what follows.

    Parameters
    ----------
    labels : pandas.Index or None
        A ``DatetimeIndex``, ``PeriodIndex`` or integer index of the history
        rows, or None for positional (NumPy) rows.
    freq : pandas.DateOffset, int or None
        The step between consecutive labels (1 for integer labels); None
        when ``labels`` is None.

    Examples
    --------
    >>> import pandas as pd
    >>> from skts._time_grid import TimeGrid
    >>> grid = TimeGrid.of(pd.period_range("2024-01", periods=3, freq="M"))
    >>> grid.labels_after(2)
    PeriodIndex(['2024-04', '2024-05'], dtype='period[M]')
    >>> grid.steps_of(pd.PeriodIndex(["2024-05", "2024-07"], freq="M"), "X").tolist()
    [2, 4]
    """

    labels: pd.Index | None = None
    freq: object = None

    @classmethod
    def of(cls, index):
        """The grid of a history's index (None for positional rows); checks its frequency."""
        return cls() if index is None else cls(index, infer_freq(index))

    @property
    def positional(self):
        """Whether the rows have no labels (NumPy input)."""
        return self.labels is None

    @property
    def end(self):
        """The last label of the history."""
        return self.labels[-1]

    def labels_after(self, n):
        """The ``n`` labels after the history: its grid's, or the steps ``1..n`` named ``"step"``."""
        if self.positional:
            return pd.RangeIndex(1, n + 1, name="step")
        last = self.end
        if isinstance(last, Integral):
            return pd.Index(np.arange(int(last) + 1, int(last) + n + 1))
        if isinstance(last, pd.Period):
            return pd.period_range(start=last + 1, periods=n, freq=self.freq)
        return pd.date_range(start=last, periods=n + 1, freq=self.freq)[1:]

    def extended(self, n):
        """The grid of the history followed by its next ``n`` steps."""
        if self.positional or n == 0:
            return self
        return TimeGrid(self.labels.append(self.labels_after(n)), self.freq)

    def align_timezone(self, index, what):
        """``index`` in the history's time zone; naive against aware raises."""
        if not isinstance(index, pd.DatetimeIndex) or not isinstance(self.labels, pd.DatetimeIndex):
            return index
        history_tz, tz = self.labels.tz, index.tz
        if (history_tz is None) != (tz is None):
            aware = "the history" if tz is None else what
            raise ValueError(
                f"{aware} has time-zone-aware timestamps ({history_tz or tz}) and the other "
                "does not, so their instants cannot be compared. Localize the naive one, "
                "for example X.index = X.index.tz_localize('UTC'), or drop the zone on both."
            )
        if tz is not None and str(tz) != str(history_tz):
            return index.tz_convert(history_tz)
        return index

    def steps_of(self, index, what):
        """1-based steps of the labels of ``index`` after the end of the history, -1 off the grid.

        Arithmetic on integers, period ordinals and fixed-length frequencies;
        a date grid only for calendar frequencies (months, business days, ...).
        """
        if type(index) is not type(self.labels) and not (
            _is_integer_index(index) and _is_integer_index(self.labels)
        ):
            raise ValueError(
                f"{what} is labelled by a {index_kind(index)} but the history by a "
                f"{index_kind(self.labels)}: label both the same way."
            )
        index = self.align_timezone(index, what)
        cutoff, freq = self.end, self.freq
        if _is_integer_index(index):
            return index.to_numpy().astype(np.int64) - int(cutoff)
        if isinstance(index, pd.PeriodIndex):
            if index.freq != freq:
                raise ValueError(
                    f"{what} has periods of frequency {index.freqstr} but the history has {freq.freqstr}."
                )
            offsets = index.asi8 - cutoff.ordinal
            return np.where(offsets % freq.n == 0, offsets // freq.n, -1)
        nanos = _fixed_nanos(freq, index.tz)
        if nanos:
            # In nanoseconds on both sides: pandas >= 3 stores other resolutions too.
            offsets = index.as_unit("ns").asi8 - cutoff.as_unit("ns").value
            return np.where(offsets % nanos == 0, offsets // nanos, -1)
        if len(index) == 0 or index[-1] <= cutoff:
            return np.full(len(index), -1)
        grid = pd.date_range(start=cutoff, end=index[-1], freq=freq)
        return grid.get_indexer(index)

    def future_steps(self, index, what="X"):
        """Steps ahead (1-based) of labelled rows to forecast; labels at or before the end raise."""
        check_time_index(index, what)
        if len(index) == 0:
            return np.arange(1, 1)
        steps = self.steps_of(index, what)
        if self._at_or_before_end(index[0], what):
            raise ValueError(
                f"{what} starts at {index[0]}, at or before the end of the history ({self.end}). "
                "predict forecasts the rows that follow the history; use update() "
                "to add observed rows. Test rows before the training rows come from a "
                "splitter that is not time-ordered (KFold, ShuffleSplit): use "
                "sklearn.model_selection.TimeSeriesSplit. A pandas X built without an "
                "index gets labels 0, 1, ...: give it the labels of the rows to forecast."
            )
        if (steps < 1).any():
            off = index[steps < 1][0]
            raise ValueError(
                f"{what} has label {off}, which is not on the history's time grid (steps of "
                f"{getattr(self.freq, 'freqstr', self.freq)} from {self.end})."
            )
        return steps

    def check_follows(self, index, n_new, method):
        """Labelled new rows must be the ``n_new`` steps right after the history."""
        if self.positional or index is None:
            return
        steps = self.steps_of(index, f"the rows passed to {method}")
        if not np.array_equal(steps, np.arange(1, n_new + 1)):
            expected = self.labels_after(n_new)
            raise ValueError(
                f"{method}() needs the rows that immediately follow the history: expected "
                f"{expected[0]} to {expected[-1]}, got {index[0]} to {index[-1]}."
            )

    def _at_or_before_end(self, label, what):
        if isinstance(label, pd.Timestamp):
            label = self.align_timezone(pd.DatetimeIndex([label]), what)[0]
        return label <= self.end

"""Input checks shared by the skts estimators, transformers, backtests and metrics."""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.utils.validation import check_array

# pandas.api.types.infer_dtype kinds of an object column that holds numbers.
_NUMBER_KINDS = {"integer", "floating", "mixed-integer-float", "decimal", "empty"}


def check_numeric_columns(X, estimator, name="X"):
    """Return ``X`` with numeric columns, or raise a ValueError naming the others.

    scikit-learn's own conversion error ("could not convert string to
    float") names neither the column nor the fix; this one does both.
    Object columns that hold only numbers (``pd.Series([1, 2.5],
    dtype=object)``) are converted to float on a copy; numbers stored as
    text get a pointer to ``pandas.to_numeric``, other text to encoding.

    Parameters
    ----------
    X : array-like
        Input about to be validated by ``validate_data``; never modified.
    estimator : object
        The estimator validating it, named in the message.
    name : str, default="X"
        Name of the argument in the message (``"X"`` or ``"y"``).

    Returns
    -------
    X : array-like
        ``X`` itself, or a float copy when object columns held numbers.
    """
    if isinstance(X, pd.DataFrame):
        columns = {col: X[col] for col, dtype in X.dtypes.items() if not pd.api.types.is_numeric_dtype(dtype)}
    elif isinstance(X, pd.Series):
        columns = {} if pd.api.types.is_numeric_dtype(X.dtype) else {X.name: X}
    elif isinstance(X, np.ndarray) and X.dtype.kind in "USmM":
        # Text, durations and dates: numpy would read the last two as integers.
        columns = {"all": X.ravel()}
    elif isinstance(X, np.ndarray) and X.dtype.kind == "O":
        # Text gets the pointer to encoding; numbers convert and other
        # objects get scikit-learn's own TypeError from check_array.
        if pd.api.types.infer_dtype(X.ravel(), skipna=True) != "string":
            return X
        columns = {"all": X.ravel()}
    else:
        return X
    if not columns:
        return X
    texts, dates, durations, others = [], [], [], []
    for col, values in columns.items():
        kind = pd.api.types.infer_dtype(values, skipna=True)
        if kind in _NUMBER_KINDS:
            continue
        values = pd.Series(np.asarray(values).ravel())
        numbers = pd.to_numeric(values, errors="coerce")
        if kind == "string" and numbers.notna().sum() == values.notna().sum():
            texts.append(col)
        elif kind in ("datetime64", "datetime", "date", "period") or (kind == "string" and _all_dates(values)):
            dates.append(col)
        elif kind in ("timedelta64", "timedelta"):
            durations.append(col)
        else:
            others.append(col)
    who = type(estimator).__name__
    if dates:
        column = dates[0] if isinstance(X, pd.DataFrame) else "date"
        raise ValueError(
            f"{who} needs numeric {name}; column(s) {dates} hold dates. Rows are time steps, "
            f"labelled by the index: make the dates the index, for example "
            f"{name} = {name}.set_index(pd.to_datetime({name}[{column!r}])).drop(columns={column!r})."
        )
    if durations:
        raise ValueError(
            f"{who} needs numeric {name}; column(s) {durations} hold durations. Convert them to "
            f"numbers in a unit of your choice, for example {name} / pd.Timedelta(hours=1)."
        )
    if texts:
        raise ValueError(
            f"{who} needs numeric {name}; column(s) {texts} hold numbers stored as text. "
            f"Convert them first, for example {name} = {name}.apply(pd.to_numeric) "
            "(or pd.to_numeric on a Series)."
        )
    if others:
        raise ValueError(
            f"{who} needs numeric {name}; non-numeric column(s): {others}. Encode them "
            "(for example with pandas.get_dummies or a OneHotEncoder) or drop them first."
        )
    # Every non-numeric column holds numbers: a float copy, never the caller's data.
    if isinstance(X, pd.DataFrame):
        return X.astype({col: np.float64 for col in columns})
    return X.astype(np.float64)


def check_positive_int(value, name):
    """``value`` as an int, or a ValueError naming ``name`` if it is not an integer >= 1.

    Booleans are refused although Python counts them as integers.
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def _all_dates(values):
    """Whether every non-missing text value parses as a date (pandas.to_datetime)."""
    present = values.dropna()
    if present.empty:
        return False
    try:
        with warnings.catch_warnings():
            # "Could not infer format": irrelevant, the parse is only a test.
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(present, errors="coerce")
    except (TypeError, ValueError, OverflowError):
        return False
    return bool(parsed.notna().all())


def check_coverage(coverage, *, flat=False):
    """Coverages as a tuple of floats in (0, 1), and whether a list was given.

    With ``flat``, also refuse coverages whose flat column names
    (``lower_90``, see :func:`bound_column_names`) would coincide.
    """
    is_list = not isinstance(coverage, Real | np.ndarray) or (isinstance(coverage, np.ndarray) and coverage.ndim > 0)
    values = list(np.atleast_1d(np.asarray(coverage, dtype=object))) if is_list else [coverage]
    if not values:
        raise ValueError("coverage is empty: give a probability in (0, 1), e.g. coverage=0.9, or a list.")
    out = []
    for value in values:
        if isinstance(value, bool | np.bool_) or not isinstance(value, Real) or not 0 < float(value) < 1:
            raise ValueError(
                f"coverage must be a probability strictly between 0 and 1 (e.g. 0.9 for a 90% "
                f"interval), or a list of them; got {value!r}. Percentages such as 90 are not accepted."
            )
        lower, upper = bound_quantiles(float(value))
        if not 0 < lower < upper < 1:
            raise ValueError(
                f"coverage={value!r} is too close to 1: its bounds would be the quantiles 0 and 1, "
                "infinite for most forecast distributions. Use a coverage of at most 0.999999."
            )
        out.append(float(value))
    if len(set(out)) != len(out):
        raise ValueError(f"coverage has duplicate values {out}: give each coverage once.")
    if flat and is_list:
        names = [low for low, _ in bound_column_names(out, is_list)]
        if len(set(names)) != len(names):
            twins = [c for c, name in zip(out, names, strict=True) if names.count(name) > 1]
            raise ValueError(
                f"coverages {twins} would share the column names {sorted(set(n for n in names if names.count(n) > 1))} "
                "(the coverage in percent, 6 significant digits): give coverages that differ there."
            )
    return tuple(out), is_list


def bound_quantiles(coverage):
    """The quantile levels ``(1 - c) / 2`` and ``(1 + c) / 2`` of the bounds of coverage ``c``."""
    # Rounded so that 0.05 and 0.95 come out as written, not 0.04999999999999999.
    return round((1 - coverage) / 2, 12), round((1 + coverage) / 2, 12)


def bound_column_names(coverages, is_list):
    """Flat column names of the bounds in ``forecast`` and ``backtest`` frames."""
    if not is_list:
        return [("lower", "upper")]
    return [(f"lower_{100 * c:g}", f"upper_{100 * c:g}") for c in coverages]


def check_quantiles(quantiles):
    """Quantile levels as a strictly increasing float array in (0, 1)."""
    values = np.atleast_1d(np.asarray(quantiles, dtype=object))
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"quantiles must be a probability or a flat, non-empty list of them; got {quantiles!r}.")
    for value in values:
        if isinstance(value, bool | np.bool_) or not isinstance(value, Real) or not 0 < float(value) < 1:
            raise ValueError(
                f"quantiles must be probabilities strictly between 0 and 1 (e.g. 0.05, 0.5, 0.95); got {value!r}."
            )
    levels = values.astype(np.float64)
    if (np.diff(levels) <= 0).any():
        problem = "duplicate" if (np.diff(levels) == 0).any() else "unsorted"
        raise ValueError(
            f"quantiles must be strictly increasing; {list(levels)} has {problem} levels. "
            f"Pass sorted, distinct levels, e.g. {sorted(set(levels.tolist()))}."
        )
    return levels


def check_series_inputs(X, y, who):
    """``X`` and ``y`` of one series: dense, the same rows, ``X=None`` as no covariates.

    Lists become arrays; pandas objects and arrays are kept as they are (never
    copied or modified).
    """
    if y is None:
        raise ValueError(f"{who} requires y to be passed, but the target y is None.")
    for name, data in (("X", X), ("y", y)):
        if issparse(data):
            raise TypeError(
                f"Sparse input is not supported: {name} is a sparse matrix; rows are time steps of a "
                "dense series. Convert it with .toarray()."
            )
    if not hasattr(y, "shape"):
        y = np.asarray(y)
    if X is None:
        X = no_covariates(y)
    elif not hasattr(X, "shape"):
        X = np.asarray(X)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows and y has {len(y)}: they must describe the same time steps.")
    return X, y


def check_target(y, min_samples):
    """``y`` as a float64 array copy of shape ``(n,)`` or ``(n, n_targets)``; NaN allowed, inf not."""
    y_values = y
    if isinstance(y, (pd.Series, pd.DataFrame)):
        # Numeric (checked by check_numeric_columns): a float array is what
        # check_array would build, at a third of its cost on pandas input.
        y_values = y.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    y_arr = check_array(
        y_values,
        ensure_2d=False,
        ensure_all_finite="allow-nan",
        ensure_min_samples=min_samples,
        dtype=np.float64,
        input_name="y",
        copy=y_values is y,
    )
    if np.isinf(y_arr).any():
        raise ValueError("y contains inf. Replace or drop the infinite values before fitting.")
    if y_arr.ndim > 2:
        raise ValueError(f"y must be 1D or 2D (n_steps, n_targets), got shape {y_arr.shape}.")
    return y_arr


def no_covariates(y):
    """Covariates with no columns on the rows of ``y`` (``X=None``)."""
    if isinstance(y, (pd.Series, pd.DataFrame)):
        return pd.DataFrame(index=y.index)
    return np.empty((len(y), 0))


def no_empty_frame(X):
    """A DataFrame without columns as an empty array (check_array rejects it)."""
    if isinstance(X, pd.DataFrame) and X.shape[1] == 0:
        return np.empty((len(X), 0))
    return X


def target_names(y):
    """Column names of a DataFrame ``y``, ``[name]`` of a named Series, else None."""
    if isinstance(y, pd.DataFrame):
        return list(y.columns)
    if isinstance(y, pd.Series) and y.name is not None:
        return [y.name]
    return None


def magnitude_unit(values, axis=None):
    """The unit to take the mean and spread of ``values`` in: 1, or their largest magnitude where squares leave float64.

    Values whose largest magnitude (NaN ignored) is beyond 1e150 or below
    1e-150 would have squares that overflow to inf or underflow to 0;
    divided by that magnitude they do not. In between the unit is 1, so the
    arithmetic is that of ``values`` themselves. ``axis``: per column, as
    :func:`numpy.nanmax`.
    """
    peak = np.nanmax(np.abs(values), axis=axis, initial=0.0)
    return np.where((peak > 1e150) | ((peak > 0) & (peak < 1e-150)), peak, 1.0)

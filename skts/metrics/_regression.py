"""Forecast error metrics: MAPE, sMAPE and MASE, with scikit-learn's signature.

The mean absolute error is scikit-learn's own,
:func:`sklearn.metrics.mean_absolute_error`: the same value, so skts does
not repeat it. MAPE is skts's own because it differs at zeros (see its
Notes).

Every function takes ``y_true`` and ``y_pred`` of shape ``(n,)`` or
``(n, n_outputs)``, an optional ``sample_weight`` of shape ``(n,)`` and
``multioutput`` (``"raw_values"``, ``"uniform_average"`` or output
weights), as :func:`sklearn.metrics.mean_absolute_error` does. NaN or inf
in any input is an error: a forecast error over missing values is not
defined.
"""

from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_array

from skts._compat import Interval, StrOptions, validate_params

_MULTIOUTPUT = [StrOptions({"raw_values", "uniform_average"}), "array-like"]
_COMMON = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "sample_weight": ["array-like", None],
    "multioutput": _MULTIOUTPUT,
}


@validate_params(_COMMON, prefer_skip_nested_validation=True)
def mean_absolute_percentage_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute percentage error, ``mean(|y_true - y_pred| / |y_true|)``, as a fraction.

    The result is a fraction, as scikit-learn's: 0.05 means 5 %. The
    textbook prints MAPE in percent (multiply by 100 to compare).

    Parameters
    ----------
    y_true : array-like of shape (n_steps,) or (n_steps, n_outputs)
        Observed values; none may be 0.
    y_pred : array-like of shape (n_steps,) or (n_steps, n_outputs)
        Forecasts.
    sample_weight : array-like of shape (n_steps,), default=None
        Non-negative weights of the steps.
    multioutput : {"raw_values", "uniform_average"} or array-like of shape \
            (n_outputs,), default="uniform_average"
        How the errors of several outputs are combined.

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)
        Non-negative fraction, 0 for perfect forecasts.

    Raises
    ------
    ValueError
        If ``y_true`` contains 0, where the percentage error is undefined.

    See Also
    --------
    symmetric_mean_absolute_percentage_error : Defined at zeros.
    mean_absolute_scaled_error : Scale-free without dividing by ``y_true``.

    Notes
    -----
    scikit-learn divides by ``max(|y_true|, eps)`` instead, which turns a
    zero into an error of about 1e15 that silently dominates the mean; here
    a zero is an error that names the remedy. Elsewhere the two agree.

    Examples
    --------
    >>> from skts.metrics import mean_absolute_percentage_error
    >>> mean_absolute_percentage_error([100.0, 200.0], [110.0, 180.0])
    0.1
    """
    y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight, multioutput)
    zeros = y_true == 0
    if zeros.any():
        row = int(np.argmax(zeros.any(axis=1)))
        raise ValueError(
            f"y_true has {int(zeros.sum())} zero value(s) (first at row {row}), where the "
            "percentage error is undefined. Use symmetric_mean_absolute_percentage_error, "
            "mean_absolute_scaled_error or sklearn.metrics.mean_absolute_error for series that reach 0."
        )
    return _aggregate(np.abs(y_true - y_pred) / np.abs(y_true), sample_weight, multioutput)


@validate_params(_COMMON, prefer_skip_nested_validation=True)
def symmetric_mean_absolute_percentage_error(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"
):
    """Symmetric MAPE, ``mean(2 |y_true - y_pred| / (|y_true| + |y_pred|))``, as a fraction.

    Parameters
    ----------
    y_true : array-like of shape (n_steps,) or (n_steps, n_outputs)
        Observed values.
    y_pred : array-like of shape (n_steps,) or (n_steps, n_outputs)
        Forecasts.
    sample_weight : array-like of shape (n_steps,), default=None
        Non-negative weights of the steps.
    multioutput : {"raw_values", "uniform_average"} or array-like of shape \
            (n_outputs,), default="uniform_average"
        How the errors of several outputs are combined.

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)
        A fraction between 0 (perfect) and 2 (forecast of the opposite sign
        or zero against a non-zero value).

    See Also
    --------
    mean_absolute_percentage_error : Divides by ``|y_true|`` alone.

    Notes
    -----
    A step where both ``y_true`` and ``y_pred`` are 0 is a perfect forecast
    and counts as 0 (the formula is 0/0 there). This is the sMAPE of the
    M3/M4 competitions without their factor 100: a fraction, like
    :func:`mean_absolute_percentage_error`.

    Examples
    --------
    >>> from skts.metrics import symmetric_mean_absolute_percentage_error
    >>> symmetric_mean_absolute_percentage_error([100.0, 0.0], [300.0, 0.0])
    0.5
    """
    y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight, multioutput)
    numerator = 2.0 * np.abs(y_true - y_pred)
    denominator = np.abs(y_true) + np.abs(y_pred)
    # denominator == 0 only where both are 0, a perfect forecast.
    ratio = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    return _aggregate(ratio, sample_weight, multioutput)


@validate_params(
    {**_COMMON, "y_train": ["array-like"], "season_length": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def mean_absolute_scaled_error(
    y_true, y_pred, *, y_train, season_length=1, sample_weight=None, multioutput="uniform_average"
):
    """Mean absolute scaled error: MAE divided by the in-sample seasonal naive MAE.

    ``MASE = mean(|y_true - y_pred|) / mean(|y_train[t] - y_train[t - m]|)``
    with ``m = season_length``, per output (Hyndman & Koehler, 2006).
    Below 1, the forecasts beat the one-season-back naive forecast on the
    training history; it is scale-free and defined when ``y_true`` has zeros.

    Parameters
    ----------
    y_true : array-like of shape (n_steps,) or (n_steps, n_outputs)
        Observed values.
    y_pred : array-like of shape (n_steps,) or (n_steps, n_outputs)
        Forecasts.
    y_train : array-like of shape (n_train,) or (n_train, n_outputs)
        The history the forecasts were made from, in time order, with more
        than ``season_length`` rows.
    season_length : int, default=1
        Lag of the naive forecast that scales the error (7 for the weekly
        season of daily data; 1 for the "last value" forecast).
    sample_weight : array-like of shape (n_steps,), default=None
        Non-negative weights of the forecast steps (the scale is unweighted).
    multioutput : {"raw_values", "uniform_average"} or array-like of shape \
            (n_outputs,), default="uniform_average"
        How the errors of several outputs, each with its own scale, are
        combined.

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)
        Non-negative, 0 for perfect forecasts.

    Raises
    ------
    ValueError
        If ``y_train`` is too short, its number of outputs differs from
        ``y_true``'s, or the naive forecast is exact on it (a constant or
        exactly periodic history), so the scale is 0.

    See Also
    --------
    make_mase_scorer : The scorer, which reads ``y_train`` from the fitted
        forecaster.
    skts.forecasting.NaiveSeasonal : The forecast in the denominator.

    Examples
    --------
    >>> from skts.metrics import mean_absolute_scaled_error
    >>> y_train = [1.0, 3.0, 2.0, 4.0]  # naive in-sample MAE: (2 + 1 + 2) / 3
    >>> mean_absolute_scaled_error([5.0, 5.0], [4.0, 6.0], y_train=y_train)
    0.6
    """
    y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight, multioutput)
    y_train = _as_2d(check_array(y_train, ensure_2d=False, dtype=np.float64, input_name="y_train"), "y_train")
    if y_train.shape[1] != y_true.shape[1]:
        raise ValueError(
            f"y_train has {y_train.shape[1]} output(s) but y_true has {y_true.shape[1]}: "
            "pass the history of the same series that were forecast."
        )
    if len(y_train) <= season_length:
        raise ValueError(
            f"y_train has {len(y_train)} rows; the seasonal naive scale with "
            f"season_length={season_length} needs at least {season_length + 1}."
        )
    scale = np.mean(np.abs(y_train[season_length:] - y_train[:-season_length]), axis=0)
    if (scale == 0).any():
        raise ValueError(
            f"The seasonal naive forecast (season_length={season_length}) is exact on "
            f"y_train for output(s) {np.flatnonzero(scale == 0).tolist()}, so MASE would "
            "divide by 0. Use sklearn.metrics.mean_absolute_error, or another season_length."
        )
    return _aggregate(np.abs(y_true - y_pred) / scale, sample_weight, multioutput)


def _check_targets(y_true, y_pred, sample_weight, multioutput):
    """Finite float arrays of shape (n, n_outputs), checked weights."""
    y_true = check_array(y_true, ensure_2d=False, dtype=np.float64, input_name="y_true")
    y_pred = check_array(y_pred, ensure_2d=False, dtype=np.float64, input_name="y_pred")
    # As in scikit-learn, (n,) and (n, 1) are the same single output.
    true2d, pred2d = _as_2d(y_true, "y_true"), _as_2d(y_pred, "y_pred")
    if true2d.shape != pred2d.shape:
        raise ValueError(
            f"y_true has shape {y_true.shape} and y_pred has shape {y_pred.shape}: "
            "give one forecast per observed value."
        )
    y_true, y_pred = true2d, pred2d
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        if sample_weight.shape != (len(y_true),):
            raise ValueError(
                f"sample_weight has shape {sample_weight.shape}; expected ({len(y_true)},), "
                "one weight per step."
            )
        if not np.isfinite(sample_weight).all() or (sample_weight < 0).any() or sample_weight.sum() == 0:
            raise ValueError("sample_weight must be finite and non-negative, with a positive sum.")
    if not isinstance(multioutput, str):
        weights = np.asarray(multioutput, dtype=np.float64)
        if weights.shape != (y_true.shape[1],):
            raise ValueError(
                f"multioutput has shape {weights.shape}; expected ({y_true.shape[1]},), "
                "one weight per output."
            )
    return y_true, y_pred, sample_weight


def _as_2d(y, name):
    if y.ndim == 1:
        return y.reshape(-1, 1)
    if y.ndim != 2:
        raise ValueError(f"{name} must be 1D or 2D (n_steps, n_outputs), got shape {y.shape}.")
    return y


def _aggregate(errors, sample_weight, multioutput):
    """Weighted mean over steps, then combine the outputs as asked."""
    per_output = np.average(errors, weights=sample_weight, axis=0)
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output
        multioutput = None
    return float(np.average(per_output, weights=multioutput))

"""Any skts forecaster as an sktime forecaster: skts's models in sktime's tools.

This module imports sktime when it is imported; :mod:`skts.interop` imports
it on first use of :func:`to_sktime`.
"""

import functools
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils import get_tags
from sktime.forecasting.base import BaseForecaster as _SktimeBaseForecaster
from sktime.forecasting.base import ForecastingHorizon

from skts.interop._sktime_forecaster import quiet_sktime


def to_sktime(estimator):
    """Wrap an skts forecaster as an sktime forecaster.

    Parameters
    ----------
    estimator : estimator object
        An skts forecaster (``NaiveSeasonal``, ``SARIMAEstimator``,
        ``RNNForecaster``, ...) or anything that follows the skts contract
        around one: a scikit-learn ``Pipeline`` ending in one, a
        ``TransformedTargetRegressor`` whose regressor is one. It is cloned
        at each fit, never modified.

    Returns
    -------
    forecaster : SktsForecaster
        An instance of a subclass of ``sktime.forecasting.base.BaseForecaster``
        that works in sktime's ``evaluate``, ``ForecastingGridSearchCV``
        (parameters ``estimator__<name>``), ``TransformedTargetForecaster``
        and ``ForecastingPipeline``.

    See Also
    --------
    SktimeForecaster : The other direction, an sktime forecaster in skts.

    Examples
    --------
    >>> import pandas as pd
    >>> from skts.forecasting import NaiveSeasonal
    >>> from skts.interop import to_sktime
    >>> y = pd.Series([1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    >>> forecaster = to_sktime(NaiveSeasonal(season_length=3)).fit(y)
    >>> forecaster.predict(fh=[1, 2, 4]).tolist()
    [10.0, 20.0, 10.0]
    """
    _check_skts_forecaster(estimator)
    return SktsForecaster(estimator)


def _check_skts_forecaster(estimator):
    """A clear error for estimators that do not forecast from a history, such as a plain regressor."""
    inner = estimator
    # scikit-learn's wrappers: a Pipeline ends in the forecaster, a
    # TransformedTargetRegressor holds it as its regressor, a search or a
    # MultiOutputRegressor as its estimator.
    while True:
        if hasattr(inner, "steps") and inner.steps:
            inner = inner.steps[-1][1]
        elif type(inner).__name__ == "TransformedTargetRegressor":
            inner = inner.regressor
        elif hasattr(inner, "estimator") and hasattr(inner, "get_params"):
            inner = inner.estimator
        else:
            break
    if hasattr(inner, "update") and hasattr(inner, "predict"):
        return
    name = type(inner).__name__
    raise TypeError(
        f"to_sktime wraps an skts forecaster, which forecasts the rows after its history; "
        f"{name} has no update and predicts rows from their own features. To forecast a "
        f"series with a scikit-learn regressor, give it lag windows first: "
        f"to_sktime(ReductionForecaster({name}(...), seq_length=...)) "
        "(skts.forecasting.ReductionForecaster)."
    )


def _keeping_warning_filters(method):
    """``method`` with the caller's warning filters restored on exit.

    sktime 1.2's ``ForecastingHorizon`` leaves a ``"default"`` filter for
    every FutureWarning behind (its ``_suppress_pd22_warning`` exits by
    adding one instead of restoring the filters) whenever the time index has
    a frequency; a fit or a forecast must not change the caller's filters.
    """

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        with warnings.catch_warnings():
            return method(self, *args, **kwargs)

    return guarded


class SktsForecaster(_SktimeBaseForecaster):
    """An skts forecaster seen as an sktime forecaster (made by :func:`to_sktime`).

    sktime owns the time index: ``fit(y, X)`` hands the skts estimator the
    values on a ``RangeIndex`` of positions, and ``predict(fh, X)`` asks it
    for steps ``1..max(fh)`` after the history and keeps the steps of
    ``fh``. Covariates ``X`` are the skts covariates (known in advance):
    ``predict`` needs their rows for every step up to ``max(fh)``.

    Parameters
    ----------
    estimator : estimator object
        See :func:`to_sktime`.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``.

    Notes
    -----
    Tags follow the estimator: ``capability:multivariate`` from its
    scikit-learn ``multi_output`` tag, ``capability:pred_int`` when it has
    native ``predict_quantiles``. ``update(update_params=False)`` calls the
    estimator's ``update`` (no refit); ``update(update_params=True)``, or
    any update of an estimator without ``update`` (a ``Pipeline``), refits a
    clone on the whole history. In-sample forecasts are not supported: skts
    forecasters predict the rows after their history.

    Examples
    --------
    >>> import pandas as pd
    >>> from skts.forecasting import NaiveSeasonal
    >>> from skts.interop._to_sktime import SktsForecaster
    >>> y = pd.Series([1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    >>> forecaster = SktsForecaster(NaiveSeasonal(season_length=3)).fit(y)
    >>> forecaster.update(pd.Series([40.0], index=[6]), update_params=False)
    SktsForecaster(estimator=NaiveSeasonal(season_length=3))
    >>> forecaster.predict(fh=[1, 2]).tolist()
    [20.0, 30.0]
    """

    _tags = {
        "authors": "skts developers",
        "maintainers": "skts developers",
        # skts forecasters predict from the end of the history; fh is only
        # needed at predict.
        "requires-fh-in-fit": False,
        # Covariates known in advance are skts's X.
        "capability:exogenous": True,
        "X-y-must-have-same-index": True,
        # The future rows of X must cover every step up to max(fh).
        "capability:non_contiguous_X": False,
        "capability:insample": False,
        "capability:pred_int:insample": False,
        "capability:missing_values": False,
        "capability:categorical_in_X": False,
        # Set per estimator in __init__ (see _estimator_tags).
        "capability:multivariate": False,
        "capability:pred_int": False,
        "capability:update": True,
        "y_inner_mtype": "pd.Series",
        "X_inner_mtype": "pd.DataFrame",
        "fit_is_empty": False,
    }
    # sktime 1.2 warns at construction unless remember_data is set; this
    # adapter refits on the remembered history, so it is set explicitly.
    _config = {"remember_data": True}

    def __init__(self, estimator):
        self.estimator = estimator
        with quiet_sktime():
            super().__init__()
        # sktime's convention: tags that depend on parameters are set here.
        self.set_tags(**_estimator_tags(estimator))

    fit = _keeping_warning_filters(_SktimeBaseForecaster.fit)
    predict = _keeping_warning_filters(_SktimeBaseForecaster.predict)
    predict_interval = _keeping_warning_filters(_SktimeBaseForecaster.predict_interval)
    predict_quantiles = _keeping_warning_filters(_SktimeBaseForecaster.predict_quantiles)
    update = _keeping_warning_filters(_SktimeBaseForecaster.update)
    update_predict = _keeping_warning_filters(_SktimeBaseForecaster.update_predict)

    # -- sktime hooks --------------------------------------------------------

    def _fit(self, y, X, fh):
        self._y_columns = y.columns if isinstance(y, pd.DataFrame) else None
        self.estimator_ = self._fit_clone(y, X)
        self._n_seen = len(y)
        return self

    def _predict(self, fh, X):
        steps, X_future = self._future(fh, X)
        y_pred = np.asarray(self.estimator_.predict(X_future)).reshape(int(steps.max()), -1)
        return self._frame(y_pred[steps - 1], fh)

    def _update(self, y, X=None, update_params=True):
        can_update = hasattr(self.estimator_, "update")
        if update_params or not can_update:
            self.estimator_ = self._fit_clone(self._y, self._X)
        else:
            # sktime has merged the new rows into _y/_X; hand on the unseen ones.
            new = slice(self._n_seen, None)
            y_new = self._y.iloc[new]
            X_new = self._X.iloc[new] if self._X is not None else None
            if len(y_new):
                self.estimator_.update(*_skts_rows(y_new, X_new, self._n_seen))
        self._n_seen = len(self._y)
        return self

    def _predict_quantiles(self, fh, X, alpha):
        steps, X_future = self._future(fh, X)
        # skts takes increasing, distinct levels; sktime asks in any order
        # (an interval's lower and upper levels, coverage by coverage).
        levels, where = np.unique(np.asarray(alpha, dtype=np.float64), return_inverse=True)
        frame = self.estimator_.predict_quantiles(X_future, quantiles=levels.tolist())
        values = np.asarray(frame, dtype=np.float64)
        n_targets = values.shape[1] // len(levels)
        # skts orders a multi-target frame (target, quantile), as sktime's
        # (variable, alpha) columns.
        values = values.reshape(len(values), n_targets, len(levels))[steps - 1][:, :, where]
        names = self._variable_names(n_targets)
        columns = pd.MultiIndex.from_product([names, list(alpha)])
        return pd.DataFrame(
            values.reshape(len(steps), -1), index=fh.to_absolute_index(self.cutoff), columns=columns
        )

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Parameter sets for sktime's own estimator tests (tiny and fast)."""
        from skts.forecasting import NaiveSeasonal, SARIMAEstimator

        return [
            {"estimator": NaiveSeasonal(season_length=2)},
            {"estimator": SARIMAEstimator(p=1)},
        ]

    # -- helpers -------------------------------------------------------------

    def _fit_clone(self, y, X):
        estimator = clone(self.estimator)
        return estimator.fit(*_skts_rows(y, X, 0))

    def _future(self, fh, X):
        """Relative steps of ``fh`` and the covariate rows of steps 1..max(fh)."""
        steps = np.asarray(fh.to_relative(self.cutoff), dtype=np.int64)
        if (steps < 1).any():
            raise NotImplementedError(
                f"{type(self.estimator).__name__} forecasts the steps after the "
                f"history; fh has in-sample steps {steps[steps < 1].tolist()}."
            )
        horizon = int(steps.max())
        positions = pd.RangeIndex(self._n_seen, self._n_seen + horizon)
        n_features = 0 if self._X is None else self._X.shape[1]
        if n_features == 0:
            return steps, pd.DataFrame(index=positions)
        if X is None:
            raise ValueError(
                f"{type(self.estimator).__name__} was fitted with {n_features} covariates: "
                f"pass X with their values for every step up to {horizon} steps ahead."
            )
        wanted = ForecastingHorizon(np.arange(1, horizon + 1), is_relative=True, freq=self._cutoff_freq())
        wanted = wanted.to_absolute_index(self.cutoff)
        missing = wanted.difference(X.index)
        if len(missing):
            raise ValueError(
                f"X must hold the covariates of every step from 1 to {horizon} "
                f"after the cutoff; it lacks {list(missing[:3])}."
            )
        return steps, X.loc[wanted].set_axis(positions)

    def _cutoff_freq(self):
        return getattr(self.cutoff, "freq", None) or getattr(self._y.index, "freq", None)

    def _variable_names(self, n_targets):
        if self._y_columns is not None:
            return list(self._y_columns)
        name = self._y.name if isinstance(self._y, pd.Series) else None
        return [0 if name is None else name] if n_targets == 1 else list(range(n_targets))

    def _frame(self, values, fh):
        index = fh.to_absolute_index(self.cutoff)
        if self._y_columns is not None:
            return pd.DataFrame(values, index=index, columns=self._y_columns)
        return pd.Series(values[:, 0], index=index, name=self._y.name)


def _skts_rows(y, X, start):
    """``(X, y)`` for skts on positions ``start..``: pandas with a RangeIndex."""
    positions = pd.RangeIndex(start, start + len(y))
    y = y.set_axis(positions)
    X = pd.DataFrame(index=positions) if X is None else X.set_axis(positions)
    return X, y


def _estimator_tags(estimator):
    """sktime tags that depend on the wrapped skts estimator."""
    try:
        multi_output = bool(get_tags(estimator).target_tags.multi_output)
    except Exception:  # noqa: BLE001 - tags of third-party wrappers may be broken
        multi_output = False
    tags = {
        "capability:multivariate": multi_output,
        "y_inner_mtype": ["pd.Series", "pd.DataFrame"] if multi_output else "pd.Series",
        "capability:pred_int": _has_native_quantiles(estimator),
    }
    return tags


def _has_native_quantiles(estimator):
    """Whether the estimator forecasts quantiles: its own distribution, or conformal intervals."""
    if not hasattr(estimator, "predict_quantiles"):
        return False
    # skts's interval estimators say whether they have intervals before any
    # fit; ConformalForecaster always does, a NaiveSeasonal only natively.
    check = getattr(estimator, "_check_native_intervals", None)
    if check is None:
        return True
    try:
        check()
    except NotImplementedError:
        return False
    return True

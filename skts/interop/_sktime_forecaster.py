"""Any sktime forecaster as an skts forecaster: sktime's models in scikit-learn tools."""

import contextlib
import copy
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from skts._compat import HasMethods, Interval

from skts.forecasting._base import BaseForecaster

# sktime 1.2 warns whenever a forecaster is constructed, cloned or reset (so
# on every fit) that a config default will change in 1.3. The adapter relies
# on neither default, so the notice is noise to its users.
_REMEMBER_DATA_NOTICE = "The default of config ``remember_data``"


@contextlib.contextmanager
def quiet_sktime():
    """Hide sktime's remember_data notice (and only it) inside the block."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _REMEMBER_DATA_NOTICE, FutureWarning)
        yield


class SktimeForecaster(BaseForecaster):
    """Use an sktime forecaster as an skts (scikit-learn) forecaster.

    The wrapped forecaster is cloned and fitted on the history with a
    ``RangeIndex`` (position ``0`` is the first observed row) and asked for
    relative steps ``1..horizon``; the skts base class does the time
    alignment, so ``predict(X)`` with a pandas index, ``update``,
    ``forecast``, :func:`~skts.model_selection.backtest` and scikit-learn's
    ``GridSearchCV``/``TimeSeriesSplit`` work as for any skts forecaster.
    Its parameters are nested: ``{"forecaster__sp": [1, 7]}`` is a grid.

    Parameters
    ----------
    forecaster : sktime forecaster
        An instance of a subclass of
        ``sktime.forecasting.base.BaseForecaster``, for example
        ``ThetaForecaster(sp=7)`` or ``AutoETS(auto=True, sp=7)``. It is
        cloned, never fitted itself. Covariates ``X`` are passed to it as
        exogenous data (forecasters without ``capability:exogenous`` ignore
        them); several target columns are passed as a DataFrame (sktime
        forecasts univariate-only models column by column).
    fit_horizon : int or None, default=None
        Forecast horizon given to ``fit``, for forecasters that need it
        there (sktime tag ``requires-fh-in-fit``, e.g. direct reductions):
        they are fitted for steps ``1..fit_horizon`` and forecast at most
        ``fit_horizon`` steps ahead. Ignored by the other forecasters.
    update_params : bool, default=False
        What ``update`` does: ``False`` keeps the fitted parameters and only
        conditions on the new rows (sktime's ``update(update_params=False)``);
        ``True`` refits a clone of ``forecaster`` on the whole history, new
        rows included, whatever the sktime forecaster's own ``update`` does.

    Attributes
    ----------
    forecaster_ : sktime forecaster
        The fitted clone of ``forecaster``; its cutoff is the last row of
        the history, counted from 0.
    n_features_in_ : int
        Number of covariate columns of ``X`` (may be 0).
    y_, X_, index_, freq_, target_names_ :
        The stored history; see :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    to_sktime : The other direction, an skts forecaster inside sktime.

    Notes
    -----
    With ``update_params=False``, ``update`` calls sktime's ``update(y, X,
    update_params=False)``: the parameters stay as fitted and the
    forecaster conditions on the new rows as far as its own ``update`` does:
    state-space models through their filter, naive models through their
    stored data; so ``backtest(..., refit=False)`` is the "fit once, then
    update" evaluation. Some sktime forecasters cannot take new data without
    refitting (``ThetaForecaster``, ``ExponentialSmoothing``): sktime then
    warns (``NotImplementedWarning``) and keeps forecasting from the end of
    the fitted history; use ``update_params=True`` with them, which refits
    on the whole history at every ``update``.

    sktime forecasters that need a time index with a frequency (Prophet,
    for example) are not supported: they get positions.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime.forecasting.naive import NaiveForecaster
    >>> from skts.interop import SktimeForecaster
    >>> y = np.array([1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    >>> model = SktimeForecaster(NaiveForecaster(strategy="last", sp=3))
    >>> model.fit(np.empty((6, 0)), y).predict(np.empty((4, 0)))
    array([10., 20., 30., 10.])
    """

    _parameter_constraints = {
        "forecaster": [HasMethods(["fit", "predict"])],
        "fit_horizon": [Interval(Integral, 1, None, closed="left"), None],
        "update_params": ["boolean"],
    }

    def __init__(self, forecaster, *, fit_horizon=None, update_params=False):
        self.forecaster = forecaster
        self.fit_horizon = fit_horizon
        self.update_params = update_params

    def _fit(self, y, X):
        _check_sktime_forecaster(self.forecaster)
        needs_fh = self.forecaster.get_tag("requires-fh-in-fit", False, raise_error=False)
        if needs_fh and self.fit_horizon is None:
            raise ValueError(
                f"{type(self.forecaster).__name__} needs the forecast horizon at fit "
                "(sktime tag requires-fh-in-fit). Pass fit_horizon=<steps ahead>, "
                "e.g. SktimeForecaster(forecaster, fit_horizon=14); it then forecasts "
                "at most that many steps."
            )
        fh = np.arange(1, self.fit_horizon + 1) if needs_fh else None
        self._fit_sktime(y, X, fh)

    def _fit_sktime(self, y, X, fh):
        index = pd.RangeIndex(len(y))
        with quiet_sktime():
            forecaster = self.forecaster.clone()
            forecaster.fit(_series(y, index), X=_frame(X, index), fh=fh)
        self.forecaster_ = forecaster
        self._fh_in_fit = fh
        self._n_seen = len(y)

    def _predict(self, horizon, X):
        fh, X_future = self._sktime_horizon(horizon, X)
        with quiet_sktime():
            y_pred = self.forecaster_.predict(fh=fh, X=X_future)
        return np.asarray(y_pred, dtype=np.float64).reshape(len(fh), -1)[:horizon]

    def _predict_quantiles(self, horizon, X, quantiles):
        if not self.forecaster_.get_tag("capability:pred_int", False, raise_error=False):
            name = type(self.forecaster_).__name__
            raise NotImplementedError(
                f"{name} has no forecast distribution in sktime (tag capability:pred_int "
                "is False). Wrap the SktimeForecaster in skts's ConformalForecaster for "
                "intervals from its out-of-sample errors."
            )
        fh, X_future = self._sktime_horizon(horizon, X)
        levels = [float(q) for q in quantiles]
        with quiet_sktime():
            frame = self.forecaster_.predict_quantiles(fh=fh, X=X_future, alpha=levels)
        n_targets = self.y_.shape[1]
        # sktime's columns are (variable, alpha), variables in fit order.
        values = np.asarray(frame, dtype=np.float64).reshape(len(fh), n_targets, len(levels))
        return self._predict(horizon, X), values[:horizon]

    def _rolling_forecasts(self, y, X, origins, horizon):
        # The base walks the origins on a shallow copy, whose update would
        # reach the shared sktime forecaster: give the walk its own.
        return BaseForecaster._rolling_forecasts(self._private_copy(), y, X, origins, horizon)

    def _rolling_quantiles(self, y, X, origins, horizon, quantiles):
        return BaseForecaster._rolling_quantiles(self._private_copy(), y, X, origins, horizon, quantiles)

    def _update(self, y, X):
        if self.update_params:
            # sktime's update(update_params=True) leaves the parameters of
            # some forecasters as fitted (ThetaForecaster warns and keeps its
            # level): refit a clone on the whole observed history instead.
            seen = slice(len(self.y_) - self._n_seen, None)
            self._fit_sktime(np.concatenate([self.y_[seen], y]), np.concatenate([self.X_[seen], X]), self._fh_in_fit)
            return
        index = pd.RangeIndex(self._n_seen, self._n_seen + len(y))
        with quiet_sktime():
            self.forecaster_.update(_series(y, index), X=_frame(X, index), update_params=self.update_params)
        self._n_seen += len(y)

    def _sktime_horizon(self, horizon, X):
        """sktime's relative fh and future covariates for steps ``1..horizon``."""
        fh = np.arange(1, horizon + 1)
        if self._fh_in_fit is not None:
            fit_horizon = len(self._fh_in_fit)
            if horizon > fit_horizon:
                raise ValueError(
                    f"{type(self.forecaster_).__name__} was fitted for fit_horizon="
                    f"{fit_horizon} steps and cannot forecast {horizon} steps ahead. "
                    f"Refit with fit_horizon={horizon} or more."
                )
            if horizon < fit_horizon and X.shape[1]:
                raise ValueError(
                    f"{type(self.forecaster_).__name__} was fitted for fit_horizon="
                    f"{fit_horizon} steps and predicts them all at once, so it needs "
                    f"the covariates of all {fit_horizon} steps; X covers {horizon}."
                )
            fh = self._fh_in_fit
        return fh, _frame(X, pd.RangeIndex(self._n_seen, self._n_seen + len(fh)))

    def _private_copy(self):
        """A shallow copy of self with its own copy of the fitted sktime forecaster."""
        shadow = self._shallow_copy()
        with quiet_sktime():
            shadow.forecaster_ = copy.deepcopy(self.forecaster_)
        return shadow

    def set_params(self, **params):
        # sktime re-constructs a forecaster whose parameters are set, which
        # repeats sktime's remember_data notice once per grid candidate.
        with quiet_sktime():
            return super().set_params(**params)

    def __sklearn_clone__(self):
        with quiet_sktime():
            return super().__sklearn_clone__()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # sktime forecasts each column with its own clone when the forecaster
        # is univariate only, so several targets are always accepted.
        tags.target_tags.multi_output = True
        return tags


def _check_sktime_forecaster(forecaster):
    from sktime.forecasting.base import BaseForecaster as SktimeBase

    if not isinstance(forecaster, SktimeBase):
        raise TypeError(
            "SktimeForecaster wraps an sktime forecaster (an instance of "
            f"sktime.forecasting.base.BaseForecaster); got {type(forecaster).__name__}. "
            "skts and scikit-learn regressors need no wrapper: use them directly or "
            "in skts.forecasting.ReductionForecaster."
        )


def _series(y, index):
    """Targets as sktime wants them: a Series for one target, else a DataFrame."""
    if y.shape[1] == 1:
        return pd.Series(y[:, 0], index=index)
    return pd.DataFrame(y, index=index, columns=[f"y{i}" for i in range(y.shape[1])])


def _frame(X, index):
    """Covariates as a DataFrame on the same positions, or None without columns."""
    if X.shape[1] == 0:
        return None
    return pd.DataFrame(X, index=index, columns=[f"x{i}" for i in range(X.shape[1])])

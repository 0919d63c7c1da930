"""Forecasting by reduction to regression: any scikit-learn regressor on lag windows."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils import get_tags

from skts._compat import HasMethods, Interval, StrOptions
from skts.forecasting._base import BaseForecaster
from skts.windowing import sliding_windows


class ReductionForecaster(BaseForecaster):
    """Forecast with a scikit-learn regressor trained on lag windows of the target.

    Each training sample is one time step ``t`` of the history: its features
    are the ``seq_length`` target values before it, ``y[t - seq_length] ..
    y[t - 1]`` (every target column, oldest first), followed by the
    covariates ``X[t]`` of the step itself (covariates are known in
    advance); its label is ``y[t]``. ``ReductionForecaster(LinearRegression(),
    seq_length=56)`` is the textbook's linear model on 56-day windows.

    Parameters
    ----------
    regressor : object
        A scikit-learn regressor (anything with ``fit`` and ``predict``),
        cloned before fitting; its hyperparameters are searchable as
        ``regressor__<name>``. With several target columns it must support
        2-D ``y`` (wrap it in :class:`~sklearn.multioutput.MultiOutputRegressor`
        otherwise).
    seq_length : int
        Number of past time steps in a window, at least 1.
    output_length : int, default=1
        Steps ahead trained directly by the ``"direct"`` strategy (one
        regressor per step, the steps one call outputs). Ignored by
        ``"recursive"``, which always trains one step ahead.
    strategy : {"recursive", "direct"}, default="recursive"
        How steps beyond the first are forecast:

        - ``"recursive"``: one regressor predicts the next step; its forecast
          is appended to the window and the regressor applied again, step
          after step.
        - ``"direct"``: one clone of ``regressor`` per step ahead ``h = 1 ..
          output_length``, each trained on the same lag windows with the
          label and covariates of step ``t + h - 1``. Forecasts beyond
          ``output_length`` continue recursively in blocks: the
          ``output_length`` forecasts are appended to the window and the
          clones applied again.

    Attributes
    ----------
    regressor_ : object
        The fitted one-step regressor (``"recursive"`` only).
    regressors_ : list of object, length output_length
        ``regressors_[h - 1]`` forecasts ``h`` steps ahead (``"direct"``
        only).
    n_features_in_ : int
        Number of covariate columns of ``X``; the regressors see
        ``seq_length * n_targets + n_features_in_`` features.
    y_, X_, index_, freq_, target_names_ :
        See :class:`~skts.forecasting.BaseForecaster`.

    See Also
    --------
    NaiveSeasonal : The baseline such a model should beat.
    skts.windowing.sliding_windows : The lag windows the regressors are fitted on.
    skts.windowing.SlidingWindow : Lag features inside a Pipeline, for plain regressors.

    Notes
    -----
    Rows are time steps: pandas rows (``DatetimeIndex``, ``PeriodIndex`` or
    integer labels) are aligned by label, NumPy rows follow the history
    immediately, so ``TimeSeriesSplit(gap>0)`` needs pandas input.

    Feature layout of one sample, ``n_targets`` target columns and ``k``
    covariates: ``[y[t - L, 0], ..., y[t - L, n_targets - 1], ..., y[t - 1,
    n_targets - 1], X[t, 0], ..., X[t, k - 1]]`` with ``L = seq_length``.

    Training windows are built as NumPy views (no Python loop over
    windows); the history must hold ``seq_length + 1`` observed rows
    (``seq_length + output_length`` for ``"direct"``), leading NaN rows excluded.
    The direct step-``h`` regressor trains on every window that has a
    step-``h`` label, so nearer steps get more samples. ``update`` only
    extends the window history: it never refits.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from skts.forecasting import ReductionForecaster
    >>> y = np.arange(20.0)
    >>> model = ReductionForecaster(LinearRegression(), seq_length=3)
    >>> model.fit(np.empty((20, 0)), y).predict(np.empty((3, 0))).round(6)
    array([20., 21., 22.])
    """

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"])],
        "seq_length": [Interval(Integral, 1, None, closed="left")],
        "output_length": [Interval(Integral, 1, None, closed="left")],
        "strategy": [StrOptions({"recursive", "direct"})],
    }

    def __init__(self, regressor, *, seq_length, output_length=1, strategy="recursive"):
        self.regressor = regressor
        self.seq_length = seq_length
        self.output_length = output_length
        self.strategy = strategy

    def _fit(self, y, X):
        n_steps, n_targets = y.shape
        steps_ahead = self.output_length if self.strategy == "direct" else 1
        if n_steps < self.seq_length + steps_ahead:
            if self.strategy == "direct":
                needed = f"seq_length + output_length = {self.seq_length} + {steps_ahead}"
                fix = "seq_length or output_length"
            else:
                needed, fix = f"seq_length + 1 = {self.seq_length} + 1", "seq_length"
            raise ValueError(
                f"ReductionForecaster needs at least {needed} = {self.seq_length + steps_ahead} "
                f"observed rows to build one training window; got {n_steps} sample(s). "
                f"Pass a longer history or a smaller {fix}."
            )
        if n_targets > 1 and _single_output(self.regressor):
            raise ValueError(
                f"y has {n_targets} target columns but {type(self.regressor).__name__} "
                "predicts a single output. Wrap it, e.g. "
                "ReductionForecaster(MultiOutputRegressor(regressor), ...), or fit one "
                "forecaster per target."
            )
        # lags[i] = y[i : i + L], flattened: every window that has a next step.
        lags = sliding_windows(y[:-1], self.seq_length)
        lags = lags.reshape(len(lags), -1)
        regressors = []
        for h in range(steps_ahead):
            # Window i's step-(h + 1) label is row i + L + h; the last h windows have none.
            rows = slice(self.seq_length + h, None)
            features = np.hstack([lags[: len(lags) - h], X[rows]])
            target = y[rows, 0] if n_targets == 1 else y[rows]
            regressors.append(clone(self.regressor).fit(features, target))
        if self.strategy == "direct":
            self.regressors_ = regressors
        else:
            self.regressor_ = regressors[0]

    def _predict(self, horizon, X):
        window = self.y_[-self.seq_length :][np.newaxis]
        return self._forecast(window, X[np.newaxis], horizon)[0]

    def _rolling_forecasts(self, y, X, origins, horizon):
        """Forecasts from every origin at once: one regressor call per step, batched.

        Same forecasts as ``predict`` + ``update`` once per origin (see
        :meth:`BaseForecaster.predict_rolling`); the forecaster is unchanged.
        """
        origins = np.asarray(origins, dtype=np.intp)
        if len(origins) == 0:
            return np.empty((0, horizon, y.shape[1]))
        # windows[j] = the seq_length rows before new row j.
        windows = sliding_windows(np.concatenate([self.y_[-self.seq_length :], y]), self.seq_length)
        future = sliding_windows(X, horizon)
        return self._forecast(windows[origins], future[origins], horizon)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _forecast(self, windows, X, horizon):
        """Forecast ``horizon`` steps after each window.

        Parameters
        ----------
        windows : ndarray of shape (n_origins, seq_length, n_targets)
            The last observed rows before each origin.
        X : ndarray of shape (n_origins, horizon, n_features_in_)
            Covariates of the steps to forecast.
        horizon : int
            Steps to forecast.

        Returns
        -------
        forecasts : ndarray of shape (n_origins, horizon, n_targets)
        """
        regressors = self.regressors_ if self.strategy == "direct" else [self.regressor_]
        n_origins, _, n_targets = windows.shape
        forecasts = np.empty((n_origins, horizon, n_targets))
        for start in range(0, horizon, len(regressors)):
            lags = windows.reshape(n_origins, -1)
            stop = min(start + len(regressors), horizon)
            for step in range(start, stop):
                features = np.hstack([lags, X[:, step]])
                forecasts[:, step] = regressors[step - start].predict(features).reshape(n_origins, n_targets)
            # Recursion: the block's forecasts become the newest window rows.
            windows = np.concatenate([windows, forecasts[:, start:stop]], axis=1)[:, -self.seq_length :]
        return forecasts


def _single_output(regressor):
    """Whether the regressor's scikit-learn tags say it cannot fit a 2-D ``y``.

    Only an estimator that declares its own tags is taken at its word. One
    that inherits BaseEstimator's defaults, such as scikeras' wrappers (their
    legacy ``_more_tags`` is ignored by scikit-learn >= 1.6, scikeras#332),
    or whose tags cannot be built at all, is not refused here: its own fit
    says whether it takes several targets.
    """
    if type(regressor).__sklearn_tags__ is BaseEstimator.__sklearn_tags__ and hasattr(regressor, "_more_tags"):
        return False
    try:
        return not get_tags(regressor).target_tags.multi_output
    except (AttributeError, TypeError):
        return False

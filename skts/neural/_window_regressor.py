"""Shared scikit-learn side of the window regressors: windows in, targets out.

Training, scaling, seeding, the hold-out split and the padded predictor are
the forecasters' (:mod:`skts.neural._window_training`); the network
families are in :mod:`skts.neural._architectures`. This module adds what is
particular to prepared windows: ``validate_data``, 2-D windows as one
feature per step, and sequence-to-sequence targets built from the windows.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from skts._compat import validate_parameters
from skts.neural._window_training import _WindowTrainingMixin, _scaling


class BaseWindowRegressor(_WindowTrainingMixin, RegressorMixin, BaseEstimator):
    """Keras network on prepared windows, as a scikit-learn regressor.

    Rows of ``X`` are independent windows, not time steps: each is one
    sample of shape ``(steps, features)`` (or ``(steps,)``, one feature).
    A subclass puts a network family of :mod:`skts.neural._architectures`
    left of this class and declares ``_parameter_constraints`` as the
    training ones plus the family's.
    """

    def fit(self, X, y):
        """Train the network on windows ``X`` and their targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_windows, steps, n_features) or (n_windows, steps)
            Input windows; 2-D means one feature per step.
        y : array-like of shape (n_windows,) or (n_windows, n_outputs)
            Target of each window, e.g. its next ``n_outputs`` values. With
            ``sequence_to_sequence=True``, the ``n_outputs`` values of the
            window's first feature that follow its last step.

        Returns
        -------
        self : object
            The fitted regressor.
        """
        validate_parameters(self)
        y = _numeric(y, type(self).__name__)
        X, y = validate_data(self, X, y, allow_nd=True, multi_output=True, y_numeric=True, dtype=np.float64)
        X = self._as_windows(X)
        self.seq_length_, self.n_step_features_ = X.shape[1:]
        if self.n_step_features_ == 0:
            raise ValueError(
                f"X has windows of {self.seq_length_} steps but 0 features per step; "
                f"pass at least one feature in the last axis."
            )
        self.output_shape_ = y.shape[1:]
        y = y.reshape(len(y), -1)
        self._check_architecture(self.seq_length_, y.shape[1])
        n_train, n_val = self._holdout_split(len(X))

        # Scaling statistics come from the training part only, so the
        # validation loss is what unseen windows would get.
        self.X_offset_, self.X_scale_ = _scaling(X[:n_train].reshape(-1, X.shape[2]), self.scaler)
        self.y_offset_, self.y_scale_ = _scaling(y[:n_train], self.scaler)
        inputs = ((X - self.X_offset_) / self.X_scale_).astype(np.float32)
        targets = self._targets(X, y)
        validation = (inputs[n_train:], targets[n_train:]) if n_val else None
        train = (inputs[:n_train], targets[:n_train])
        self._fit_network(self.n_step_features_, self.seq_length_, y.shape[1], train, validation)
        return self

    def predict(self, X):
        """Predict the target of each window.

        Parameters
        ----------
        X : array-like of shape (n_windows, steps, n_features) or (n_windows, steps)
            Windows with the ``steps`` and ``n_features`` seen in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_windows,) or (n_windows, n_outputs)
            Predictions in the units of ``y``, shaped like the ``y`` of ``fit``.
        """
        check_is_fitted(self)
        X = check_array(X, allow_nd=True, dtype=np.float64, estimator=self)
        # Checked before validate_data, whose message would call the steps of
        # a 3-D window "features".
        if X.ndim == 3 and X.shape[1:] != (self.seq_length_, self.n_step_features_):
            raise ValueError(
                f"X has windows of shape {X.shape[1:]} (steps, features), but "
                f"{type(self).__name__} was fitted on windows of shape "
                f"{(self.seq_length_, self.n_step_features_)}; window the data the same way."
            )
        X = self._as_windows(validate_data(self, X, reset=False, skip_check_array=True))
        if X.shape[2] != self.n_step_features_:
            raise ValueError(
                f"X has 1 feature per step (2-D windows), but {type(self).__name__} was "
                f"fitted on {self.n_step_features_}; pass 3-D windows (n_windows, steps, features)."
            )
        outputs = self._predict_padded(((X - self.X_offset_) / self.X_scale_).astype(np.float32))
        if self.sequence_to_sequence:
            outputs = outputs[:, -1]
        y_pred = outputs.astype(np.float64) * self.y_scale_ + self.y_offset_
        return y_pred.reshape((len(X), *self.output_shape_))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        # Windows are 3-D; scikit-learn's checks feed 2-D X, one feature per step.
        tags.input_tags.three_d_array = True
        return tags

    def _as_windows(self, X):
        if X.ndim == 2:
            return X[:, :, np.newaxis]
        if X.ndim != 3:
            raise ValueError(
                f"X must be 2-D (n_windows, steps) or 3-D (n_windows, steps, features); "
                f"got an array of shape {X.shape}."
            )
        return X

    def _targets(self, X, y):
        """Scaled float32 targets shaped like the network's output.

        Sequence to vector: ``y`` itself. Sequence to sequence (the
        textbook's ``Y[:, t] = series[t + 1 : t + 1 + n_outputs]``): at each
        output step ``t``, the next ``n_outputs`` values of the first feature,
        read from the window and then from ``y``; column ``k`` (``k + 1``
        steps ahead) is scaled like ``y[:, k]``.
        """
        if not self.sequence_to_sequence:
            return ((y - self.y_offset_) / self.y_scale_).astype(np.float32)
        following = np.concatenate([X[:, 1:, 0], y], axis=1)
        ahead = sliding_window_view(following, y.shape[1], axis=1)[:, self._output_steps(self.seq_length_)]
        return ((ahead - self.y_offset_) / self.y_scale_).astype(np.float32)


def _numeric(y, name):
    """``y`` as given, or a clear error if it holds values that are not numbers.

    scikit-learn's ``y_numeric`` lets string arrays through to NumPy, whose
    ``TypeError`` names no fix.
    """
    if y is None:
        # validate_data names the missing y in scikit-learn's words.
        return y
    values = np.asarray(y)
    if values.dtype.kind in "mM":
        # NumPy casts durations and dates to float silently (nanoseconds):
        # a number, but not one the user chose.
        raise ValueError(
            f"y must be numeric, but {name} got y of dtype {values.dtype} (durations or "
            "dates). Convert it to numbers in the unit you mean, for example "
            "y / np.timedelta64(1, 'h') for hours."
        )
    if values.dtype.kind in "biufc":
        return y
    try:
        return values.astype(np.float64)
    except (TypeError, ValueError):
        flat = values.ravel()
        example = next((value for value in flat if not _is_number(value)), flat[0] if len(flat) else None)
        raise ValueError(
            f"y must be numeric, but {name} got y of dtype {values.dtype} with values "
            f"such as {example!r}. Convert it to numbers first (pd.to_numeric, or "
            f"np.asarray(y, dtype=float)); {name} is a regressor, not a classifier."
        ) from None


def _is_number(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True

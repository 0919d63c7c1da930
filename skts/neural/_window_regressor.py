"""Shared scikit-learn side of the window regressors: validation, scaling, training."""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from skts.neural._keras_support import OPTIMIZERS, KerasPickleMixin, seed_everything, train_network

# Windows per inference call: bounds the memory of one forward pass while
# keeping the per-call overhead negligible for large panels.
_PREDICT_CHUNK = 8192


class BaseWindowRegressor(KerasPickleMixin, RegressorMixin, BaseEstimator):
    """Keras network on prepared windows, as a scikit-learn regressor.

    Rows of ``X`` are independent windows, not time steps: each is one
    sample of shape ``(steps, features)`` (or ``(steps,)``, one feature).
    Subclasses set the architecture parameters and implement
    ``_build_network(n_features, seq_length, n_outputs)``.
    """

    _parameter_constraints = {
        "scaling": [StrOptions({"standard", "minmax"}), None],
        "loss": [StrOptions({"huber", "mse", "mae"})],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "momentum": [Interval(Real, 0, 1, closed="left"), None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "patience": [Interval(Integral, 0, None, closed="left"), None],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def fit(self, X, y):
        """Train the network on windows ``X`` and their targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_windows, steps, n_features) or (n_windows, steps)
            Input windows; 2-D means one feature per step.
        y : array-like of shape (n_windows,) or (n_windows, n_outputs)
            Target of each window, e.g. its next ``horizon`` values.

        Returns
        -------
        self : object
            The fitted regressor.
        """
        self._validate_params()
        if self.patience is not None and self.validation_fraction == 0:
            raise ValueError(
                f"patience={self.patience} early-stops on validation loss, but "
                f"validation_fraction=0 holds out no windows; set validation_fraction, "
                f"e.g. 0.1, or patience=None."
            )
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
        n_val = math.ceil(len(X) * self.validation_fraction)
        if n_val and (n_val >= len(X)):
            raise ValueError(
                f"validation_fraction={self.validation_fraction} of {len(X)} windows "
                f"leaves no training window; pass more windows or lower validation_fraction."
            )
        n_train = len(X) - n_val

        # Scaling statistics come from the training part only, so the
        # validation loss is what unseen windows would get.
        self.X_offset_, self.X_scale_ = _scaling(X[:n_train].reshape(-1, X.shape[2]), self.scaling)
        self.y_offset_, self.y_scale_ = _scaling(y[:n_train], self.scaling)
        X_scaled = ((X - self.X_offset_) / self.X_scale_).astype(np.float32)
        y_scaled = ((y - self.y_offset_) / self.y_scale_).astype(np.float32)

        seed = None
        if self.random_state is not None:
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        seed_everything(seed)
        self.model_ = self._build_network(self.n_step_features_, self.seq_length_, y.shape[1])
        # Validation is the last part, as with time-ordered panels: the
        # windows are not shuffled into it.
        self.history_ = train_network(
            self.model_,
            X_scaled[:n_train],
            y_scaled[:n_train],
            X_val=X_scaled[n_train:] if n_val else None,
            y_val=y_scaled[n_train:] if n_val else None,
            loss=self.loss,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            momentum=self.momentum,
            epochs=self.epochs,
            batch_size=self.batch_size,
            patience=self.patience,
            random_state=seed,
            verbose=self.verbose,
        )
        self._fast_predictor()
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
        X_scaled = ((X - self.X_offset_) / self.X_scale_).astype(np.float32)
        predict = self._fast_predictor()
        y_scaled = np.concatenate(
            [predict(X_scaled[i : i + _PREDICT_CHUNK]) for i in range(0, len(X), _PREDICT_CHUNK)]
        )
        y_pred = y_scaled.astype(np.float64) * self.y_scale_ + self.y_offset_
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


def _scaling(values, scaling):
    """Offset and scale per column of 2-D ``values``; constant columns get scale 1."""
    n_columns = values.shape[1]
    if scaling is None:
        return np.zeros(n_columns), np.ones(n_columns)
    if scaling == "standard":
        offset, scale = values.mean(axis=0), values.std(axis=0)
    else:
        offset = values.min(axis=0)
        scale = values.max(axis=0) - offset
    # A constant column carries no information to rescale, and dividing by
    # zero would turn it into NaN.
    scale = np.where(scale > np.finfo(np.float64).eps * np.maximum(1, np.abs(offset)), scale, 1.0)
    return offset, scale

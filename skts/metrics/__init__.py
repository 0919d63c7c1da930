"""Forecast error metrics (MAE, MAPE, sMAPE, MASE) and their scorers for ``scoring=``.

The functions follow scikit-learn's signature (``y_true, y_pred, *,
sample_weight, multioutput``); the scorers return negated errors, so greater
is better. MAPE and sMAPE are fractions, not percent.
"""

from skts.metrics._regression import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)
from skts.metrics._scorer import make_mase_scorer, mae_scorer, mape_scorer, smape_scorer

__all__ = [
    "mae_scorer",
    "make_mase_scorer",
    "mape_scorer",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_absolute_scaled_error",
    "smape_scorer",
    "symmetric_mean_absolute_percentage_error",
]

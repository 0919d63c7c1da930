"""Forecast error metrics (MAPE, sMAPE, MASE; MAE is scikit-learn's), interval and quantile scores, and their scorers.

The functions follow scikit-learn's signature (``y_true, y_pred, *,
sample_weight, multioutput``); the scorers return negated errors, so greater
is better. MAPE and sMAPE are fractions, not percent.
"""

from skts.metrics._interval import (
    interval_coverage,
    interval_score,
    interval_width,
    make_interval_scorer,
    make_pinball_scorer,
    neg_interval_score,
    neg_pinball_loss,
    pinball_loss,
)
from skts.metrics._regression import (
    mean_absolute_percentage_error,
    mean_absolute_scaled_error,
    symmetric_mean_absolute_percentage_error,
)
from skts.metrics._scorer import make_mase_scorer, mae_scorer, mape_scorer, smape_scorer

__all__ = [
    "interval_coverage",
    "interval_score",
    "interval_width",
    "make_interval_scorer",
    "make_pinball_scorer",
    "neg_interval_score",
    "neg_pinball_loss",
    "pinball_loss",
    "mae_scorer",
    "make_mase_scorer",
    "mape_scorer",
    "mean_absolute_percentage_error",
    "mean_absolute_scaled_error",
    "smape_scorer",
    "symmetric_mean_absolute_percentage_error",
]

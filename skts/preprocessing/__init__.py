"""Preprocessing for forecasting: transformers whose inverse works on forecasts."""

from skts.preprocessing._box_cox import BoxCoxTransformer
from skts.preprocessing._differencer import Differencer
from skts.preprocessing._log import LogTransformer

__all__ = ["BoxCoxTransformer", "Differencer", "LogTransformer"]
